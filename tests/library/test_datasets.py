"""The public data sets: the Swedish municipalities in every new store, and
the Wikipedia twin towns imported on request, with one node per place."""
from __future__ import annotations

import os
import shutil

import pytest

from graph.errors import PartnergraphError
from graph.ingest import datasets
from graph.ingest.bundled import open_initialised
from graph.ingest.names import fold
from graph.settings import Settings

BASE = "https://w3id.org/partnergraph/id/"
TWINS = "twin-towns-wikipedia"
# Rows of the real file: Borlänge's partners, and Borlänge–Chișinău listed from
# both sides with Chișinău spelt two ways (comma below, and cedilla).
ROWS = [5978, 14404, 17575, 18229, 20460, 22803, 310, 10600, 17585, 17587]


def cut_to(rows: list[int], folder, monkeypatch) -> None:
    """The data sets in `folder`, the twin towns cut to these rows of the
    real file, so that the full check of the importer runs in seconds."""
    source = datasets.datasets_dir()
    for name in ("se-municipalities", TWINS):
        shutil.copytree(source / name, folder / name)
    lines = (source / TWINS / "twin_cities_geocoded.csv").read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [lines[n - 1] for n in rows]
    (folder / TWINS / "twin_cities_geocoded.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    (folder / TWINS / "twin_cities_raw.csv").write_text("city1,country1,city2,country2\n", encoding="utf-8")
    monkeypatch.setattr(datasets, "datasets_dir", lambda: folder)


@pytest.fixture
def subset(tmp_path, monkeypatch):
    cut_to(ROWS, tmp_path, monkeypatch)


def test_municipalities_are_there_by_default_with_official_codes(bundled_store):
    rows = bundled_store.select("""
        SELECT ?m ?code ?county WHERE { ?m a pg:Municipality ; pg:officialCode ?code ;
          pg:region/skos:prefLabel ?county }""")
    assert len({r["m"].value for r in rows}) == 290
    codes = {r["m"].value: r["code"].value for r in rows}
    assert codes[BASE + "municipality/se/borlange"] == "2081"
    assert codes[BASE + "municipality/se/stockholm"] == "0180"
    graph = BASE + "graph/se-municipalities"
    assert bundled_store.select(f"""
        SELECT ?l WHERE {{ <{graph}> a pg:SourceGraph ; dcterms:license ?l ;
          prov:wasDerivedFrom/dcterms:source ?s }}""")


def test_datasets_are_listed(cli):
    status, out, _ = cli("datasets")
    assert status == 0
    assert "se-municipalities  (loaded, default" in out
    assert f"{TWINS}  (not loaded" in out and "CC BY-SA" in out


def test_load_twin_towns_merges_places_and_pairs(subset, cli, store):
    store.close()
    status, out, err = cli("load-dataset", TWINS)
    assert status == 0, out + err
    assert "'Chişinău' (Moldova) -> <" + BASE + "municipality/md/chisinau>" in out
    assert "one letter in two encodings" in out
    import os

    from graph.ingest.bundled import open_initialised
    from graph.settings import Settings
    with open_initialised(Settings(store=os.environ["PARTNERGRAPH_STORE"])) as opened:
        towns = opened.select("""
            SELECT DISTINCT ?t ?name ?code ?official WHERE { GRAPH ?g { ?t a pg:Municipality }
              ?t skos:prefLabel ?name ; pg:country/pg:isoAlpha2 ?code . FILTER (LANG(?name) = "en")
              OPTIONAL { ?t pg:officialCode ?official } }""")
        # Håbo and Habo fold alike but are two municipalities, told apart by their codes.
        keys = [(fold(r["name"].value), r["code"].value,
                 r["official"].value if "official" in r else "") for r in towns]
        assert len(keys) == len(set(keys))
        pairs = opened.select(f"""
            SELECT ?p WHERE {{ GRAPH <{BASE}graph/{TWINS}> {{ ?p org:hasMember
              <{BASE}municipality/se/borlange>, <{BASE}municipality/md/chisinau> }} }}""")
        assert len(pairs) == 1
        partners = {r["x"].value for r in opened.select(f"""
            SELECT ?x WHERE {{ ?p org:hasMember <{BASE}municipality/se/borlange>, ?x
              FILTER (?x != <{BASE}municipality/se/borlange>) }}""")}
        assert BASE + "municipality/no/larvik" in partners
        assert not any("/xx/" in p for p in partners)
        # Other names from GeoNames merge no partner into another.
        assert len(partners) == 6
        # A pair the seed already has is that partnership, now stated by both
        # sources, not a second one beside it.
        per_partner = opened.select(f"""
            SELECT ?x (COUNT(DISTINCT ?p) AS ?n) WHERE {{
              ?p a pg:Partnership ; org:hasMember <{BASE}municipality/se/borlange>, ?x
              FILTER (?x != <{BASE}municipality/se/borlange>) }} GROUP BY ?x""")
        assert {r["x"].value: int(r["n"].value) for r in per_partner} == {
            x: 1 for x in partners}
        assert opened.ask(f"""ASK {{ GRAPH <{BASE}graph/{TWINS}> {{
            <{BASE}partnership/borlange-larvik> org:hasMember <{BASE}municipality/no/larvik> }} }}""")
    assert "same pair" in out and f"<{BASE}partnership/borlange-chisinau>" in out
    assert "this source lists them as twin town" in out
    again = cli("load-dataset", TWINS)
    assert again[0] == 0 and "nothing was written" in again[1]


# Rows of the real file naming towns that differ only in letters of the
# German alphabet, an English name of Göteborg, a county, and a place inside
# a Swedish municipality.
NAMESAKES = [11860, 9847, 11861, 12016, 9056, 11399, 977, 22824, 16742, 7992]


def test_places_are_told_apart_by_their_own_letters_and_other_actors_are_reported(
        tmp_path, monkeypatch, cli, store):
    cut_to(NAMESAKES, tmp_path / "datasets", monkeypatch)
    store.close()
    status, out, err = cli("load-dataset", TWINS, "--report", str(tmp_path / "report.txt"))
    assert status == 0, out + err
    report = (tmp_path / "report.txt").read_text(encoding="utf-8")
    with open_initialised(Settings(store=os.environ["PARTNERGRAPH_STORE"])) as opened:
        def nodes(name: str) -> set[str]:
            return {r["m"].value for r in opened.select(f"""
                SELECT ?m WHERE {{ ?m a pg:Municipality ; skos:prefLabel "{name}"@en }}""")}
        for one, other in (("Lohne", "Löhne"), ("Munster", "Münster"), ("Furth", "Fürth")):
            assert len(nodes(one)) == len(nodes(other)) == 1 and nodes(one) != nodes(other)
        assert nodes("Göteborg") == {BASE + "municipality/se/goteborg"}
        assert opened.ask(f"""ASK {{ ?p org:hasMember <{BASE}municipality/se/goteborg> ;
                                  org:hasMember/skos:prefLabel "Chicago"@en }}""")
        assert not nodes("Västra Götaland County") and not nodes("Gothenburg")
        assert not nodes("Ullånger (Kramfors)")
        # A county is a party of its own kind, never a municipality.
        county = BASE + "county/se/vastra-gotaland-county"
        assert {r["t"].value for r in opened.select(f"SELECT ?t WHERE {{ <{county}> a ?t }}")} == {
            "https://w3id.org/partnergraph/ontology#County"}
        assert opened.ask(f"ASK {{ ?p a pg:Partnership ; org:hasMember <{county}> ; pg:kind pg:TwinTown }}")
    assert "kept apart" in out and "'Lohne' (DE)" in report
    assert f"'Västra Götaland County' (SE) -> <{county}>, imported as a county or province" in out
    assert "it looks like a place in the municipality of Kramfors" in out
    assert "new place(s):" in report and "'Fürth' (DE) ->" in report


def test_borlange_page_shows_seed_facts_and_wikipedia_partners(subset, settings, tmp_path):
    from graph.ingest.bundled import open_initialised
    from server import create_app
    from server.support.store import close
    with open_initialised(settings) as store:
        report, built = datasets.load(store, TWINS, agent="test")
        assert report.ok
    app = create_app(settings, test_config={"TESTING": True})
    try:
        page = app.test_client().get("/partnergraph/id/municipality/se/borlange?lang=en")
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Servicecenter" in text            # from the seed page
        assert "Vestmannaeyjar" in text and "twin-towns-wikipedia" in text
    finally:
        close(app)


def test_every_pair_of_a_real_slice_becomes_one_partnership(tmp_path, monkeypatch, store):
    # The first rows of the real file, counted here straight from the CSV:
    # a pair listed twice (from both towns) is one partnership, a row whose
    # country has no ISO code is left out, and nothing else may go missing.
    import csv
    import tomllib
    source = datasets.datasets_dir()
    for name in ("se-municipalities", TWINS):
        shutil.copytree(source / name, tmp_path / name)
    lines = (source / TWINS / "twin_cities_geocoded.csv").read_text(encoding="utf-8").splitlines()[:401]
    (tmp_path / TWINS / "twin_cities_geocoded.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / TWINS / "twin_cities_raw.csv").write_text("city1,country1,city2,country2\n",
                                                          encoding="utf-8")
    monkeypatch.setattr(datasets, "datasets_dir", lambda: tmp_path)
    mapping = tomllib.loads((tmp_path / TWINS / "mapping.toml").read_text(encoding="utf-8"))
    no_code = {fold(k) for k, v in mapping["country_aliases"].items() if not v}
    pairs, left_out = set(), 0
    for row in csv.DictReader(lines):
        sides = [(fold(row[f"city{n}"]), fold(row[f"country{n}"])) for n in (1, 2)]
        if any(fold(country.rsplit(",", 1)[-1]) in no_code for _, country in sides):
            left_out += 1
        else:
            pairs.add(frozenset(sides))
    assert len(pairs) > 350 and left_out

    report, built = datasets.load(store, TWINS, agent="test")
    assert report.ok and report.written, report.problems
    assert built.rows == 400 and len(built.skipped) == left_out
    stored = store.select(f"""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{
        GRAPH <{BASE}graph/{TWINS}> {{ ?p a pg:Partnership ; org:hasMember ?a, ?b FILTER (?a != ?b) }} }}""")
    assert int(stored[0]["n"].value) == built.partnerships == len(pairs)


def test_an_english_name_lands_on_the_swedish_municipality_by_geonames_not_by_an_alias(
        tmp_path, monkeypatch, store):
    cut_to(NAMESAKES, tmp_path, monkeypatch)
    assert "gothenburg|SE" not in datasets.get(TWINS).mapping.get("name_aliases", {})
    report, built = datasets.load(store, TWINS, agent="test")
    assert report.ok and report.written, report.problems
    (merge,) = [m for m in built.merges if m.given == "Gothenburg"]
    assert merge.iri == BASE + "municipality/se/goteborg" and merge.reason == "other name"
    assert str(merge.detail) == "GeoNames lists 'Gothenburg' as a name of 'Göteborg'"
    # The node keeps the name, in the data set's graph, with no language:
    # GeoNames' city lists do not say which language a name is in.
    assert store.ask(f"""ASK {{ GRAPH <{BASE}graph/{TWINS}> {{
        <{BASE}municipality/se/goteborg> skos:altLabel ?name
        FILTER (STR(?name) = "Gothenburg" && LANG(?name) = "") }} }}""")
    # Lohne and Löhne are still two towns, though GeoNames lists "Lohne" among Löhne's names.
    lohne = {r["m"].value for r in store.select("""
        SELECT ?m WHERE { ?m a pg:Municipality ; skos:prefLabel ?n FILTER (STR(?n) IN ("Lohne", "Löhne")) }""")}
    assert len(lohne) == 2
    again, _ = datasets.load(store, TWINS, agent="test")
    assert again.ok and not again.written


def test_a_mapping_may_say_what_kind_of_party_a_name_is(tmp_path, monkeypatch, store):
    cut_to([], tmp_path, monkeypatch)
    folder = tmp_path / TWINS
    with (folder / "twin_cities_geocoded.csv").open("a", encoding="utf-8") as rows:
        rows.write("Dalarna,Sweden,60.6,15.6,Larvik,Norway,59.05,10.03\n")
    mapping = (folder / "mapping.toml").read_text(encoding="utf-8")
    (folder / "mapping.toml").write_text(mapping + '\n[actor_kinds]\n"Dalarna|SE" = "län"\n', encoding="utf-8")
    report, built = datasets.load(store, TWINS, agent="test")
    assert report.ok, report.problems
    dalarna = BASE + "county/se/dalarna"
    assert [(m.given, m.iri, str(m.kind)) for m in built.minted] == [("Dalarna", dalarna, "a county or province")]
    assert store.ask(f"ASK {{ <{dalarna}> a pg:County ; geo:lat ?lat . ?p org:hasMember <{dalarna}> }}")
    (folder / "mapping.toml").write_text(mapping + '\n[actor_kinds]\n"Dalarna|SE" = "kingdom"\n', encoding="utf-8")
    with pytest.raises(PartnergraphError, match="names no kind of actor; write one of: municipality, region"):
        datasets.load(store, TWINS, agent="test")
