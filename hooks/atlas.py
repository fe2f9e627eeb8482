"""MkDocs hooks of the atlas: each event hands over to the engine's glue (seatlas.glue)."""

from seatlas.glue import events


def on_startup(command, dirty):
    return events.on_startup(command, dirty)


def on_config(config):
    return events.on_config(config)


def on_files(files, config):
    return events.on_files(files, config)


def on_env(env, config, files):
    return events.on_env(env, config, files)


def on_build_error(error):
    return events.on_build_error(error)


def on_post_page(output, page, config):
    return events.on_post_page(output, page, config)


def on_post_build(config):
    return events.on_post_build(config)


def on_serve(server, config, builder):
    return events.on_serve(server, config, builder)


def on_shutdown():
    return events.on_shutdown()
