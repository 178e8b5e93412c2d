"""Where a link to an IRI goes on this site: resources under the base IRI to
their own pages, ontology terms to their place in /ontology, anything else to
/resource?iri=. Links keep the reader's language when it was asked for."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request, url_for

from graph.rdf.namespaces import ONTOLOGY_IRI, PG


def base_path(base_iri: str) -> str:
    """The path part of the base IRI, where resource pages are served."""
    path = urlsplit(base_iri).path or "/"
    return path if path.endswith("/") else path + "/"


def page_url(iri: str, **params) -> str:
    if "lang" in request.args:
        params.setdefault("lang", g.lang)
    base = current_app.config["PARTNERGRAPH"].base_iri
    if iri.startswith(base) and len(iri) > len(base):
        return url_for("resource.by_path", rest=iri[len(base):], **params)
    if iri.startswith(str(PG)):
        return url_for("ontology.page", **params) + "#" + iri[len(str(PG)):]
    if iri == ONTOLOGY_IRI:
        return url_for("ontology.page", **params)
    return url_for("resource.by_iri", iri=iri, **params)


def here_in(lang: str) -> str:
    """This page in another language, keeping its other parameters."""
    # Typed as url_for's own values: lists would also be checked against its
    # keyword arguments.
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    return url_for(request.endpoint, **(request.view_args or {}), **args) \
        if request.endpoint else f"?lang={lang}"


def init_app(app: Flask) -> None:
    @app.context_processor
    def _links():
        return {"page_url": page_url, "here_in": here_in}
