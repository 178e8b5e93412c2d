"""The application for a production WSGI server, configured from the
environment:

    granian --interface wsgi --workers 1 --blocking-threads 16 --port 8000 server.wsgi:app
    waitress-serve --threads 16 --port 8000 server.wsgi:app
    gunicorn --workers 4 --bind 0.0.0.0:8000 server.wsgi:app   (a remote store only)
"""
from server import create_app
from server.support.malloc_arenas import limit_malloc_arenas

limit_malloc_arenas()
app = create_app()
