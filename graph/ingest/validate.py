"""SHACL validation of RDF files against ontology/shapes.ttl, with a report
that names each node, the rule it breaks and how to fix it."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import pyshacl
import pyshacl.constraints
import pyshacl.shape
from pyshacl.graph_abstraction import DataGraph
from rdflib import Graph, URIRef, plugin
from rdflib.namespace import FOAF, RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor
from rdflib.term import Identifier

from graph.ingest.load import parse_file
from graph.rdf.namespaces import PREFIXES
from graph.rdf.terms import rdflib_graph, to_rdflib
from graph.resources import ontology_file, reference_files, shapes_file
from graph.store.base import Store

T = TypeVar("T")


@lru_cache(maxsize=256)
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, Any], ...]) -> Query:
    return translateQuery(parseQuery(text), base, dict(namespaces) or None)


class _ReusingSPARQLProcessor(SPARQLProcessor):
    """pyshacl runs each SPARQL-based constraint as query text, once per focus
    node, and rdflib parses that text anew every time: on a few thousand
    nodes that parsing is most of a validation's minutes. The text is the
    same each time (the node comes as a binding), so its parsed and
    translated form is kept and reused, as rdflib's own prepared queries are.
    Answers are unchanged; only the parsing is saved.

    Registered below as rdflib's "sparql" query processor, the one every
    Graph.query (pyshacl's too) takes unless given another."""

    # SPARQLProcessor's signature, which rdflib's Processor.query does not match.
    def query(  # type: ignore[override]  # rdflib ignores the same in SPARQLProcessor
            self, strOrQuery: str | Query, initBindings: Mapping[str, Identifier] | None = None,
            initNs: Mapping[str, Any] | None = None, base: str | None = None,
            DEBUG: bool = False) -> Mapping[str, Any]:
        if isinstance(strOrQuery, str):
            strOrQuery = _prepared(strOrQuery, base, tuple(sorted((initNs or {}).items())))
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


plugin.register("sparql", Processor, __name__, _ReusingSPARQLProcessor.__name__)


class _ListWithSetLookup(list[T]):
    """A list whose `in` is a set lookup."""

    def __init__(self, items: Iterable[T]):
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _constraint_parameters_as_set() -> None:
    """For every shape it checks on every focus node, pyshacl tests each of
    the shape's predicates for membership in its list of some forty
    constraint parameters, comparing terms one by one in Python: more than a
    third of a large validation went there. The same list, looked up as a
    set, gives the same constraints."""
    constraints = pyshacl.constraints
    if isinstance(constraints.ALL_CONSTRAINT_PARAMETERS, _ListWithSetLookup):
        return
    constraints.ALL_CONSTRAINT_PARAMETERS = _ListWithSetLookup(constraints.ALL_CONSTRAINT_PARAMETERS)
    # pyshacl.shape makes CONSTRAINT_PARAMS itself, with setattr, on first use.
    pyshacl.shape.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]  # pyshacl's types lack it
        constraints.ALL_CONSTRAINT_PARAMETERS, constraints.CONSTRAINT_PARAMETERS_MAP)


_constraint_parameters_as_set()


class _FocusSetValidator(pyshacl.Validator):
    """pyshacl keeps the focus nodes as a list and tests membership in it
    for every property shape of every focus node: time grows with the square
    of the nodes (a 3,000-row import spent most of its 40 s there). The same
    nodes, looked up as a set, give the same answers."""

    def make_executor(self):
        executor = super().make_executor()
        if executor.focus_nodes:
            executor.focus_nodes = _ListWithSetLookup(executor.focus_nodes)
        return executor


@dataclass(frozen=True)
class Violation:
    focus_node: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    shape: str
    constraint: str
    severity: str


@dataclass
class ValidationReport:
    files: list[str]
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        if self.conforms:
            return f"{', '.join(self.files)}: conforms to the shapes."
        nodes = len({v.focus_node for v in self.violations})
        return (f"{len(self.violations)} violation(s) on {nodes} node(s) in "
                f"{', '.join(self.files)}")

    def text(self) -> str:
        """The report as a person reads it: a block per violation."""
        lines = [self.summary()]
        for v in self.violations:
            label = f" ({v.focus_label})" if v.focus_label else ""
            lines.append("")
            lines.append(f"{v.severity}: <{v.focus_node}>{label}")
            rule = short(v.shape)
            if v.path:
                rule += f", property {short(v.path)}"
            lines.append(f"  rule: {rule} [{short(v.constraint)}]")
            if v.value is not None:
                lines.append(f"  value: {v.value}")
            lines.append(f"  {v.message}")
        return "\n".join(lines)


def validate_files(paths: Sequence[str | Path], base_iri: str,
                   store: Store | None = None) -> ValidationReport:
    """Validate the files together, as they would stand in the store.

    The bundled theme scheme and reference data give context (a country or
    theme the files point at is known); with `store`, so do the types of the
    store's resources the files point at. Only the files' own resources are
    checked against the shapes."""
    files = [Path(p) for p in paths]
    data = Graph()
    for path in files:
        rdflib_graph(parse_file(path, base_iri), data)
    return _validate_graph(data, [str(p) for p in files], base_iri, store)


def validate_quads(quads: Iterable, source: str, base_iri: str,
                   store: Store | None = None) -> ValidationReport:
    """As validate_files, for quads already parsed (an import's content)."""
    return _validate_graph(rdflib_graph(quads), [source], base_iri, store)


def _validate_graph(data: Graph, sources: list[str], base_iri: str,
                    store: Store | None) -> ValidationReport:
    focus = {s for s in data.subjects() if isinstance(s, URIRef)}
    reference = _reference_context(base_iri)
    from_store = Graph()
    if store is not None:
        _add_types_from_store(data, store, from_store, reference)
    # The context joins the data in place: a copy of a large import's graph
    # would double the memory a validation needs.
    for context in (reference, from_store, _ontology_context()):
        data += context
    validator = _FocusSetValidator(DataGraph.from_rdflib(data), shacl_graph=_shapes(), options={
        "inference": "none", "focus_nodes": sorted(focus) or None, "allow_warnings": False})
    conforms, results, _ = validator.run()
    report = ValidationReport(files=sources)
    if focus and not conforms:
        report.violations = _violations(results, data)
    return report


def _violations(results: Graph, data: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        node = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        found.append(Violation(
            focus_node=str(node),
            focus_label=_label(data, node),
            path=str(path) if isinstance(path, URIRef) else None,
            value=value.n3() if value is not None else None,
            message=str(results.value(result, SH.resultMessage) or "breaks the rule"),
            shape=str(results.value(result, SH.sourceShape)),
            constraint=str(results.value(result, SH.sourceConstraintComponent)),
            severity=short(str(results.value(result, SH.resultSeverity) or SH.Violation)).split(":")[-1],
        ))
    found.sort(key=lambda v: (v.focus_node, v.path or "", v.constraint))
    return found


def _label(graph: Graph, node) -> str | None:
    for predicate in (SKOS.prefLabel, RDFS.label, FOAF.name):
        labels = list(graph.objects(node, predicate))
        if labels:
            preferred = [x for x in labels if getattr(x, "language", None) == "en"] or labels
            return str(preferred[0])
    return None


def _add_types_from_store(data: Graph, store: Store, context: Graph, reference: Graph) -> None:
    """rdf:type triples, from the store, of the IRIs the data points at."""
    # An IRI the data only adds facts to (coordinates) is typed in the store.
    untyped = {o for o in data.objects() if isinstance(o, URIRef)} - set(data.subjects(RDF.type))
    referenced = [iri for iri in untyped if (iri, RDF.type, None) not in reference]
    for start in range(0, len(referenced), 500):
        values = " ".join(f"<{iri}>" for iri in referenced[start:start + 500])
        for row in store.select(f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}"):
            context.add((to_rdflib(row["s"]), RDF.type, to_rdflib(row["t"])))
    # A resource the data adds facts to (a data set's coordinates for a
    # seed's town) is checked whole: with what the store already says of it.
    partial = [s for s in set(data.subjects()) - set(data.subjects(RDF.type))
               if isinstance(s, URIRef)]
    for start in range(0, len(partial), 500):
        values = " ".join(f"<{iri}>" for iri in partial[start:start + 500])
        for row in store.select(f"SELECT ?s ?p ?o ?ot WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o "
                                "OPTIONAL { ?o a ?ot } }"):
            context.add((to_rdflib(row["s"]), to_rdflib(row["p"]), to_rdflib(row["o"])))
            if "ot" in row:
                context.add((to_rdflib(row["o"]), RDF.type, to_rdflib(row["ot"])))


def short(iri: str) -> str:
    """An IRI in prefixed form where a known prefix fits."""
    best = None
    for prefix, namespace in {**PREFIXES, "pgsh": "https://w3id.org/partnergraph/shapes#"}.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else iri


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(shapes_file(), format="turtle")


@lru_cache(maxsize=4)
def _reference_context(base_iri: str) -> Graph:
    """The theme scheme and reference data, parsed once per process; only
    ever read (it is added to each validation's own graph)."""
    context = Graph()
    for path in reference_files():
        rdflib_graph(parse_file(path, base_iri), context)
    return context


@lru_cache(maxsize=1)
def _ontology_context() -> Graph:
    """What the shapes need of the ontology: its named rdfs:subClassOf links
    (sh:class and sh:targetClass follow them) and the types of its named
    individuals (pg:TwinTown is a pg:PartnershipKind). Passing the whole
    ontology as pyshacl's ont_graph costs minutes: pyshacl copies its
    owl:unionOf lists node by node, again for every reference to them."""
    ontology = Graph().parse(ontology_file(), format="turtle")
    context = Graph()
    for predicate in (RDFS.subClassOf, RDF.type):
        for subject, obj in ontology.subject_objects(predicate):
            if isinstance(subject, URIRef) and isinstance(obj, URIRef):
                context.add((subject, predicate, obj))
    return context
