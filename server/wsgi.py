"""The application for a production WSGI server, configured from the
environment:

    gunicorn --workers 4 --bind 0.0.0.0:8000 server.wsgi:app
    waitress-serve --threads 8 --port 8000 server.wsgi:app
"""
from server import create_app
from server.support.malloc_arenas import limit_malloc_arenas

limit_malloc_arenas()
app = create_app()
