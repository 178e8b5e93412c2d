"""partnergraph's library: the store, loading, validation and queries.

Everything that knows RDF lives here; nothing here imports the web server, so
the library can be used from a notebook or a script on its own.
"""
