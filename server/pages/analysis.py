"""The /analysis pages: who is central, how things connect, who is alike,
statistics as server-drawn SVG charts, and the entity graph for Gephi. Each
page answers JSON with ?format=json, and /api/analysis/<name> gives the same."""
from __future__ import annotations

from flask import Blueprint, Response, abort, g, jsonify, render_template, request

from graph.analysis.export import FORMATS
from graph.analysis.prepared import AnalysisLost, Built, Unavailable, analysis_state, load_analysis
from graph.analysis.stats import BREAKDOWNS
from graph.views.network_views import country_pairs
from server.support.store import get_store

bp = Blueprint("analysis", __name__)

CENTRALITY_ROWS = 25
CHART_BARS = 12


def _analysis() -> Built:
    """For JSON and files: the analysis, stale while a new one is built;
    waits only when none exists yet."""
    return load_analysis(get_store(), g.lang)


def _for_page(render):
    """An analysis page, never waiting for a whole-graph build: while the
    first is under way it says so, and a stale one says how old it is."""
    state = analysis_state(get_store(), g.lang)
    if state is None:
        return render_template("analysis_pending.html")
    if isinstance(state.value, Unavailable):
        return render_template("analysis_pending.html", failed=True)
    try:
        return render(state.value, state)
    except AnalysisLost:
        # Its process ended: the next visit starts it again.
        return render_template("analysis_pending.html")


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


def _statistics(analysis: Built) -> dict:
    return {k: [b.as_dict() for b in v] for k, v in analysis.ask("statistic_bars").items()}


def _overview_data(analysis: Built) -> dict:
    return {"centrality": [c.as_dict() for c in analysis.ask("ranking", _country(), _limit(None))],
            "communities": [c.as_dict() for c in analysis.ask("community_list")],
            "statistics": _statistics(analysis)}


@bp.get("/analysis")
def overview():
    if _wants_json():
        return _json(_overview_data(_analysis()))
    country = _country()
    return _for_page(lambda analysis, computed: render_template(
        "analysis.html", ranking=analysis.ask("ranking", country, CENTRALITY_ROWS),
        country=country, countries=analysis.ask("countries"),
        country_pairs=country_pairs(get_store(), g.lang, country),
        communities=analysis.ask("community_list"), statistics=analysis.ask("statistic_bars"),
        breakdowns=BREAKDOWNS, bars=CHART_BARS, computed=computed,
        municipalities=analysis.ask("municipality_names")))


@bp.get("/analysis/path")
def path_page():
    if _wants_json():
        return _path(_analysis(), as_json=True)
    return _for_page(lambda analysis, computed: _path(analysis, False, computed))


def _path(analysis: Built, as_json: bool, computed=None):
    source = analysis.ask("resolve", request.args.get("from", ""))
    target = analysis.ask("resolve", request.args.get("to", ""))
    found, message = analysis.ask("connections", source, target) if source and target else ([], None)
    if as_json:
        if not (source and target):
            abort(400, "from= and to= must name entities of the graph")
        return _json({"from": source, "to": target, "paths": [p.as_dict() for p in found]})
    names = analysis.ask("labels", [i for i in (source, target) if i])
    return render_template("analysis_path.html", source=source, target=target, paths=found,
                           message=message, asked_from=request.args.get("from", ""),
                           asked_to=request.args.get("to", ""), computed=computed,
                           label=names.get, municipalities=analysis.ask("municipality_names"))


@bp.get("/analysis/similar")
def similar_page():
    if _wants_json():
        return _similar(_analysis(), as_json=True)
    return _for_page(lambda analysis, computed: _similar(analysis, False, computed))


def _similar(analysis: Built, as_json: bool, computed=None):
    iri = analysis.ask("resolve", request.args.get("iri", ""))
    alike, candidates = analysis.ask("alike", iri) if iri else ([], [])
    if as_json:
        if not iri:
            abort(400, "iri= must name a municipality of the graph")
        return _json({"iri": iri, "similar": [s.as_dict() for s in alike],
                      "candidates": [s.as_dict() for s in candidates]})
    names = analysis.ask("labels", [iri] if iri else [])
    return render_template("analysis_similar.html", iri=iri, similar=alike, candidates=candidates,
                           label=names.get, asked=request.args.get("iri", ""),
                           computed=computed,
                           municipalities=analysis.ask("municipality_names"))


@bp.get("/analysis/export.<fmt>")
def export_file(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    response = Response(_analysis().ask("exported", fmt), content_type=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="partnergraph.{fmt}"'
    return response


@bp.get("/api/analysis/<name>")
def api(name: str):
    if name == "countries":
        # By aggregate query, without the analysis of the whole graph.
        return _json([p.as_dict() for p in country_pairs(get_store(), g.lang, _country(),
                                                         _limit(50) or 50)])
    analysis = _analysis()
    if name == "centrality":
        # ?country=SE&limit=10: a country's top ten without the world's list.
        return _json([c.as_dict() for c in analysis.ask("ranking", _country(), _limit(None))])
    if name == "communities":
        return _json([c.as_dict() for c in analysis.ask("community_list")])
    if name == "stats":
        return _json(_statistics(analysis))
    if name == "path":
        return _path(analysis, as_json=True)
    if name == "similar":
        return _similar(analysis, as_json=True)
    abort(404)


@bp.app_context_processor
def _for_resource_pages():
    def analysis_for(iri: str) -> dict:
        """The resource page's analysis section; {"pending": True} while
        the first analysis is being built, rather than waiting for it."""
        state = analysis_state(get_store(), g.lang)
        if state is None:
            return {"pending": True}
        analysis = state.value
        if isinstance(analysis, Unavailable):
            return {"pending": True, "failed": True}
        try:
            if not analysis.ask("is_municipality", iri):
                return {}
            alike, candidates = analysis.ask("alike", iri, 5)
        except AnalysisLost:
            return {"pending": True}
        return {"similar": alike, "candidates": candidates,
                "municipalities": analysis.ask("municipality_names"), "computed": state}
    return {"analysis_for": analysis_for}
