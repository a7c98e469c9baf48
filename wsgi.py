"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

import gc

from tracker import create_app

app = create_app()

# The objects made so far (modules, the app, its mappers) live as long as the process.
# Frozen, they are left out of the collector's full runs: on a page of many records each
# such run used to walk them all and add 60 to 80 ms to an unlucky request (bench/RESULTS.md).
gc.freeze()
