"""MkDocs hooks of the atlas: each event hands over to the engine's glue (seatlas.glue)."""

from seatlas.glue import events


def on_config(config):
    return events.on_config(config)


def on_files(files, config):
    return events.on_files(files, config)
