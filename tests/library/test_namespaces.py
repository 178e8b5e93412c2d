"""The ontology's namespace is closed: a misspelt term fails where it is
written, and the namespace holds exactly the terms the ontology defines."""
from __future__ import annotations

import pytest
import rdflib

from graph.rdf.namespaces import GEO, PG, PG_INTERNAL_TERMS, SCHEMA
from graph.resources import ontology_file


def test_a_misspelt_term_raises_instead_of_minting_an_iri():
    with pytest.raises(AttributeError, match="Partnershp"):
        PG.Partnershp  # noqa: B018
    with pytest.raises(AttributeError):
        GEO.latitude  # noqa: B018
    with pytest.raises(AttributeError):
        SCHEMA.nam  # noqa: B018


def test_the_namespace_holds_the_ontologys_terms_and_no_others():
    ontology = rdflib.Graph().parse(ontology_file())
    prefix = str(PG)
    defined = {str(s)[len(prefix):] for s in ontology.subjects()
               if str(s).startswith(prefix) and str(s) != prefix}
    declared = {name for name in PG.__annotations__} - set(PG_INTERNAL_TERMS)
    assert declared == defined


def test_terms_are_the_iris_people_read_in_the_ontology():
    assert str(PG.Municipality) == "https://w3id.org/partnergraph/ontology#Municipality"
    assert str(GEO.lat) == "http://www.w3.org/2003/01/geo/wgs84_pos#lat"
