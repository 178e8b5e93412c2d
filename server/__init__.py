"""partnergraph's web face: a Flask application over the graph library."""
from __future__ import annotations

from flask import Flask

from graph.settings import Settings
from server.pages import (
    admin_import,
    admin_merges,
    analysis,
    embed,
    home,
    network,
    ontology,
    partner_map,
    resource,
    search,
    stored_query_views,
    tables,
    workbench,
)
from server.protocol import graph_store, health, reconcile, small_queries, sparql
from server.support import auth, client_limits, errors, i18n, links, security, store, unread_body


def create_app(settings: Settings | None = None, *, test_config: dict | None = None) -> Flask:
    """Build the application for `settings` (default: from the environment).
    The store is opened here, once, and reached through server.store.get_store()."""
    app = Flask(__name__)
    app.config["PARTNERGRAPH"] = settings or Settings.from_env()
    app.config["JSON_AS_ASCII"] = False
    app.config["MAX_CONTENT_LENGTH"] = app.config["PARTNERGRAPH"].max_body
    if test_config:
        app.config.update(test_config)

    auth.init_app(app)
    store.init_app(app)
    client_limits.init_app(app)
    i18n.init_app(app)
    links.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    embed.init_app(app)
    resource.register(app)
    graph_store.register_direct(app)
    for module in (health, home, sparql, graph_store, reconcile, search, ontology, network,
                   admin_import, admin_merges, workbench, stored_query_views, analysis, partner_map,
                   tables):
        app.register_blueprint(module.bp)
    # Behind the front for small queries, which reads its whole body itself.
    app.wsgi_app = small_queries.SmallQueries(  # type: ignore[method-assign]
        app, unread_body.ReadUnreadBody(app.wsgi_app))
    return app
