"""Values for a query's variables, kept as RDF terms from the caller to the
engine so that a value can never become query text.

Terms travel as their N-Triples form (a plain string crosses the worker
process line) and are parsed back into terms where the query runs. The
embedded engine takes them as substitutions; a remote SPARQL server gets them
as a VALUES block built from the serialised terms, never from user text.
"""
from __future__ import annotations

import pyoxigraph as ox

from graph.sparql.text import tokens, walk

_NAME_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def check_name(name: str) -> str:
    if not name or not set(name) <= _NAME_OK:
        raise ValueError(f"not a variable name: {name!r}")
    return name


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def to_term(ntriples: str) -> Term:
    """The term written in N-Triples form (an IRI or a literal)."""
    data = f"<urn:x-partnergraph:s> <urn:x-partnergraph:p> {ntriples} .".encode()
    try:
        parsed = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError:
        parsed = []
    if len(parsed) != 1:
        raise ValueError(f"not one RDF term: {ntriples!r}")
    return parsed[0].object


def substitutions(bindings: dict[str, str]) -> dict[ox.Variable, Term]:
    return {ox.Variable(check_name(k)): to_term(v) for k, v in bindings.items()}


def with_values(text: str, bindings: dict[str, str]) -> str:
    """The query with a VALUES block opening its WHERE group. At the start of
    the group (rather than after the query) the values are there before any
    FILTER of that group, as the engine's substitutions would be."""
    if not bindings:
        return text
    names = [check_name(k) for k in bindings]
    # Re-serialising through a parsed term is what makes this safe: only a
    # single well-formed IRI or literal can come out.
    terms = [str(to_term(bindings[k])) for k in names]
    block = (" VALUES (" + " ".join("?" + n for n in names) + ") { ("
             + " ".join(terms) + ") } ")
    at = _where_group(text)
    return text[:at] + block + text[at:]


def _where_group(text: str) -> int:
    """Just after the `{` that opens the query's WHERE clause."""
    after_where = False
    first_open = None
    for tok, depth in walk(tokens(text)):
        if depth != 0:
            continue
        if tok.text == "{":
            if after_where:
                return tok.end
            if first_open is None:
                first_open = tok.end
        elif tok.kind == "word" and tok.upper == "WHERE":
            after_where = True
    if first_open is None:
        raise ValueError("the query has no WHERE group to bind values in")
    return first_open
