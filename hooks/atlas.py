"""MkDocs hooks of the atlas: each event hands over to the engine (the seatlas package)."""

from seatlas import mkdocs_events


def on_config(config):
    return mkdocs_events.on_config(config)


def on_files(files, config):
    return mkdocs_events.on_files(files, config)
