"""partnergraph's web face: a Flask application over the graph library."""
from __future__ import annotations

from flask import Flask

from graph.settings import Settings


def create_app(settings: Settings | None = None, *, test_config: dict | None = None) -> Flask:
    """Build the application for `settings` (default: from the environment).
    The store is opened here, once, and reached through server.store.get_store()."""
    app = Flask(__name__)
    app.config["PARTNERGRAPH"] = settings or Settings.from_env()
    app.config["JSON_AS_ASCII"] = False
    app.config["MAX_CONTENT_LENGTH"] = app.config["PARTNERGRAPH"].max_body
    if test_config:
        app.config.update(test_config)

    from . import (errors, graph_store, health, home, i18n, links, ontology, resource, search,
                   security, sparql, store)
    store.init_app(app)
    i18n.init_app(app)
    links.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(graph_store.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(ontology.bp)
    resource.register(app)
    from .network import bp as network_bp; app.register_blueprint(network_bp)
    from . import embed; embed.init_app(app)
    from .admin_import import bp as admin_import_bp; app.register_blueprint(admin_import_bp)
    return app
