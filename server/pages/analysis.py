"""The /analysis pages: who is central, how things connect, who is alike,
statistics as server-drawn SVG charts, and the entity graph for Gephi. Each
page answers JSON with ?format=json, and /api/analysis/<name> gives the same."""
from __future__ import annotations

import unicodedata

from flask import Blueprint, Response, abort, g, jsonify, render_template, request

from graph.analysis.centrality import centrality
from graph.analysis.communities import communities
from graph.analysis.export import FORMATS, export
from graph.analysis.paths import no_path_text, paths
from graph.analysis.prepared import analysis_state, load_analysis
from graph.analysis.projection import Projection
from graph.analysis.similarity import candidate_partners, similar
from graph.analysis.stats import BREAKDOWNS, statistics
from graph.views.network_query import short_key
from graph.views.network_views import country_pairs
from server.support.store import get_store

bp = Blueprint("analysis", __name__)

CENTRALITY_ROWS = 25
CHART_BARS = 12


def _projection() -> Projection:
    """For JSON and files: the analysis, stale while a new one is built;
    waits only when none exists yet."""
    return load_analysis(get_store(), g.lang)


def _for_page(render):
    """An analysis page, never waiting for a whole-graph build: while the
    first is under way it says so, and a stale one says how old it is."""
    state = analysis_state(get_store(), g.lang)
    if state is None:
        return render_template("analysis_pending.html")
    return render(state.value, state)


def _wants_json() -> bool:
    return request.args.get("format") == "json"


def _json(data) -> Response:
    response = jsonify(data)
    response.headers["Vary"] = "Accept-Language"
    return response


def _country() -> str | None:
    """The country code asked for (?country=SE), upper case, or None."""
    code = request.args.get("country", "").strip().upper()
    return code or None


def _limit(default: int | None) -> int | None:
    raw = request.args.get("limit", "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        abort(400, "limit= must be a whole number of rows, such as 10")
    return int(raw)


def _ranking(projection: Projection, country: str | None) -> list:
    """The centrality ranking, of one country's municipalities when asked."""
    rows = centrality(projection)
    if country:
        rows = [r for r in rows if r.country and short_key(r.country) == country]
    return rows


def _countries(projection: Projection) -> list[tuple[str, str, int]]:
    """(code, name, municipalities ranked) for the country filter."""
    def build():
        counts: dict[str, list] = {}
        for row in centrality(projection):
            if row.country:
                entry = counts.setdefault(short_key(row.country), [row.country_label or "", 0])
                entry[1] += 1
        return sorted(((code, name, n) for code, (name, n) in counts.items()),
                      key=lambda c: c[1].casefold())
    return projection.memoised("countries ranked", build)


def _overview_data(projection: Projection) -> dict:
    country, limit = _country(), _limit(None)
    return {"centrality": [c.as_dict() for c in _ranking(projection, country)[:limit]],
            "communities": [c.as_dict() for c in communities(projection)],
            "statistics": {k: [b.as_dict() for b in v] for k, v in statistics(projection).items()}}


@bp.get("/analysis")
def overview():
    if _wants_json():
        return _json(_overview_data(_projection()))
    country = _country()
    return _for_page(lambda projection, computed: render_template(
        "analysis.html", ranking=_ranking(projection, country)[:CENTRALITY_ROWS],
        country=country, countries=_countries(projection),
        country_pairs=country_pairs(get_store(), g.lang, country),
        communities=communities(projection), statistics=statistics(projection),
        breakdowns=BREAKDOWNS, bars=CHART_BARS, computed=computed,
        municipalities=_municipality_names(projection)))


@bp.get("/analysis/path")
def path_page():
    if _wants_json():
        return _path(_projection(), as_json=True)
    return _for_page(lambda projection, computed: _path(projection, False, computed))


def _path(projection: Projection, as_json: bool, computed=None):
    source = resolve(projection, request.args.get("from", ""))
    target = resolve(projection, request.args.get("to", ""))
    found = paths(projection, source, target) if source and target else []
    message = no_path_text(projection, source, target) if source and target and not found else None
    if as_json:
        if not (source and target):
            abort(400, "from= and to= must name entities of the graph")
        return _json({"from": source, "to": target, "paths": [p.as_dict() for p in found]})
    return render_template("analysis_path.html", source=source, target=target, paths=found,
                           message=message, asked_from=request.args.get("from", ""),
                           asked_to=request.args.get("to", ""), computed=computed,
                           label=projection.label, municipalities=_municipality_names(projection))


@bp.get("/analysis/similar")
def similar_page():
    if _wants_json():
        return _similar(_projection(), as_json=True)
    return _for_page(lambda projection, computed: _similar(projection, False, computed))


def _similar(projection: Projection, as_json: bool, computed=None):
    iri = resolve(projection, request.args.get("iri", ""))
    alike = similar(projection, iri) if iri else []
    candidates = candidate_partners(projection, iri) if iri else []
    if as_json:
        if not iri:
            abort(400, "iri= must name a municipality of the graph")
        return _json({"iri": iri, "similar": [s.as_dict() for s in alike],
                      "candidates": [s.as_dict() for s in candidates]})
    return render_template("analysis_similar.html", iri=iri, similar=alike, candidates=candidates,
                           label=projection.label, asked=request.args.get("iri", ""),
                           computed=computed,
                           municipalities=_municipality_names(projection))


@bp.get("/analysis/export.<fmt>")
def export_file(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    response = Response(export(_projection(), fmt), content_type=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="partnergraph.{fmt}"'
    return response


@bp.get("/api/analysis/<name>")
def api(name: str):
    if name == "countries":
        # By aggregate query, without the analysis of the whole graph.
        return _json([p.as_dict() for p in country_pairs(get_store(), g.lang, _country(),
                                                         _limit(50) or 50)])
    projection = _projection()
    if name == "centrality":
        # ?country=SE&limit=10: a country's top ten without the world's list.
        return _json([c.as_dict() for c in _ranking(projection, _country())[:_limit(None)]])
    if name == "communities":
        return _json([c.as_dict() for c in communities(projection)])
    if name == "stats":
        return _json(_overview_data(projection)["statistics"])
    if name == "path":
        return _path(projection, as_json=True)
    if name == "similar":
        return _similar(projection, as_json=True)
    abort(404)


def resolve(projection: Projection, asked: str) -> str | None:
    """An entity of the graph from an IRI or, failing that, a municipality's
    name (case and accents ignored), as the resource page's form sends it."""
    asked = asked.strip()
    if not asked:
        return None
    if asked in projection.entities:
        return asked
    wanted = _plain(asked)
    matches = sorted(n for n in projection.municipalities if _plain(projection.label(n)) == wanted)
    return matches[0] if matches else None


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _municipality_names(projection: Projection, most: int = 2000) -> list[str]:
    """Names for the forms' suggestion lists: those of the municipalities
    with the most partners. By degree alone: every municipality page shows
    this list, and full centrality (betweenness) takes the better part of a
    minute on the world-wide twin-town graph. Kept with the analysis: every
    municipality page shows it."""
    def names() -> list[str]:
        graph = projection.municipalities
        ranked = sorted((n for n, d in graph.degree() if d > 0),
                        key=lambda n: (-graph.degree(n), projection.label(n).casefold(), n))
        return sorted({projection.label(n) for n in ranked[:most]}, key=str.casefold)
    return projection.memoised(("names", most), names)


@bp.app_context_processor
def _for_resource_pages():
    def analysis_for(iri: str) -> dict:
        """The resource page's analysis section; {"pending": True} while
        the first analysis is being built, rather than waiting for it."""
        state = analysis_state(get_store(), g.lang)
        if state is None:
            return {"pending": True}
        projection = state.value
        if iri not in projection.municipalities:
            return {}
        return {"similar": similar(projection, iri, limit=5),
                "candidates": candidate_partners(projection, iri, limit=5),
                "municipalities": _municipality_names(projection), "computed": state}
    return {"analysis_for": analysis_for}
