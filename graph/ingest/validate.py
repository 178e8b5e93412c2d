"""SHACL validation of RDF files against ontology/shapes.ttl, with a report
that names each node, the rule it breaks and how to fix it."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
import pyshacl
import pyshacl.constraints
import pyshacl.shape
from pyshacl.constraints.core.shape_based_constraints import PropertyConstraintComponent
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
from graph.ingest.progress import ProgressCallback
from graph.ingest.shape_screen import Facts, Screen
from graph.rdf.compressed import PART_TRIPLES, CompressedTriples, node_key, parts_for
from graph.rdf.namespaces import PREFIXES
from graph.rdf.terms import rdflib_graph, to_rdflib
from graph.resources import ontology_file, reference_files, shapes_file
from graph.store.base import Store

T = TypeVar("T")
_TYPE = str(RDF.type)
_RDF_TYPE = ox.NamedNode(_TYPE)


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


class _PropertyShapesAtOnce(PropertyConstraintComponent):
    """pyshacl checks a node shape's property shapes one focus node at a
    time, and builds each property shape's constraints anew for every node:
    over half of a check went there. A property shape checks a list of
    focus nodes as it checks one, each node with its own values, so it is
    given them all at once: the same results, in a third of the time."""

    def _evaluate_property_shape(self, executor, prop_shape, target_graph, focus_value_nodes,
                                 potentially_recursive, _evaluation_path):
        found = self.shape.get_other_shape(prop_shape)
        if not found or not found.is_property_shape or (
                potentially_recursive and found in potentially_recursive):
            # pyshacl's own way: its errors and warnings.
            return super()._evaluate_property_shape(executor, prop_shape, target_graph, focus_value_nodes,
                                                    potentially_recursive, _evaluation_path)
        values = list(dict.fromkeys(v for nodes in focus_value_nodes.values() for v in nodes))
        conforms, reports = found.validate(executor, target_graph, focus=values,
                                           _evaluation_path=_evaluation_path[:])
        return not conforms, reports


_constraint_parameters_as_set()
pyshacl.constraints.CONSTRAINT_PARAMETERS_MAP[SH.property] = _PropertyShapesAtOnce


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
    """One result of the shapes: `message` is the rule's sh:message in
    English, `messages` the rule's words by language (ontology/shapes.ttl
    gives each rule in Swedish and English)."""
    focus_node: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    shape: str
    constraint: str
    severity: str
    messages: Mapping[str, str] = field(default_factory=dict, hash=False)


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
    content = CompressedTriples(None, parts_for(sum(p.stat().st_size for p in files if p.is_file()),
                                            bytes_per_triple=60))
    for path in files:
        content.add(parse_file(path, base_iri))
    return validate_content(content.close(), [str(p) for p in files], base_iri, store)


def validate_quads(quads: Iterable[ox.Quad] | CompressedTriples, source: str, base_iri: str,
                   store: Store | None = None, *,
                   progress: ProgressCallback | None = None,
                   each_part: Callable[[int, list[ox.Quad]], None] | None = None) -> ValidationReport:
    """As validate_files, for quads already parsed (an import's content)."""
    if not isinstance(quads, CompressedTriples):
        listed = list(quads)
        quads = CompressedTriples.of(listed, None, len(listed) // PART_TRIPLES + 1)
    return validate_content(quads, [source], base_iri, store, progress=progress, each_part=each_part)


def inverse_predicates() -> frozenset[str]:
    """The predicates a shape follows backwards: content to be checked keeps
    their triples at hand (CompressedTriples' index)."""
    return _screen().inverse_predicates


def validate_content(content: CompressedTriples, sources: list[str], base_iri: str,
                     store: Store | None = None, *,
                     progress: ProgressCallback | None = None,
                     each_part: Callable[[int, list[ox.Quad]], None] | None = None) -> ValidationReport:
    """Check the content a part at a time, each part with what its nodes
    point at (from the whole content, the store and the reference data), so
    that memory stays bounded whatever the size; the screen
    (graph/ingest/shape_screen.py) names the nodes that may break a rule,
    and pyshacl checks those. `progress` hears ("checking", parts done,
    parts); `each_part` gets each part's triples as they are read (the
    importer compares them with the graph's, without reading them again)."""
    report = ValidationReport(files=sources)
    screen = _screen()
    pointing = (content.indexed if screen.inverse_predicates <= {p.value for p in content.index}
                else _pointing(content, screen.inverse_predicates))
    reference = _reference_context(base_iri)
    for number in range(content.parts):
        own = list(content.part(number))
        if each_part is not None:
            each_part(number, own)
        focus = {q.subject for q in own if isinstance(q.subject, ox.NamedNode)}
        context, typed = _import_context(content, own, focus, pointing)
        data = own + context
        if store is not None:
            data += _store_context(data, typed, store, reference.types)
        suspects = screen.suspects(Facts(data + reference.quads, screen.inverse_predicates), focus)
        if suspects:
            report.violations += _run_pyshacl(data, suspects, base_iri)
        if progress is not None:
            progress("checking", number + 1, content.parts)
    report.violations.sort(key=lambda v: (v.focus_node, v.path or "", v.constraint))
    return report


def _run_pyshacl(quads: list[ox.Quad], focus: set[ox.NamedNode], base_iri: str) -> list[Violation]:
    data = rdflib_graph(quads)
    # The context joins the data in place: a copy would double the memory.
    for context in (_reference_context_graph(base_iri), _ontology_context()):
        data += context
    validator = _FocusSetValidator(DataGraph.from_rdflib(data), shacl_graph=_shapes(), options={
        "inference": "none", "focus_nodes": sorted(to_rdflib(n) for n in focus),
        "allow_warnings": False})
    conforms, results, _ = validator.run()
    return [] if conforms else _violations(results, data)


def _import_context(content: CompressedTriples, own: list[ox.Quad], focus: set[ox.NamedNode],
                    pointing: dict[str, list[ox.Quad]]) -> tuple[list[ox.Quad], set]:
    """What the part's nodes need from the rest of the import: the triples
    that point at them along a path a shape follows backwards, and the types
    of every node they (or those triples) point at or come from; and the
    nodes typed in the part or by that context."""
    context = [q for node in focus for q in pointing.get(node_key(node), ())]
    typed = {q.subject for q in own if q.predicate == _RDF_TYPE}
    linked = {q.object for q in own if not isinstance(q.object, ox.Literal)}
    linked |= {q.subject for q in context}
    for node in linked - typed:
        types = content.types.get(node_key(node))
        if types:
            context += [ox.Quad(node, _RDF_TYPE, ox.NamedNode(t)) for t in sorted(types)]
            typed.add(node)
    return context, typed


def _pointing(content: CompressedTriples, predicates: frozenset[str]) -> dict[str, list[ox.Quad]]:
    """The content's triples of `predicates`, by the node they point at (one
    pass over the content, only when a shape follows such a path backwards)."""
    found: dict[str, list[ox.Quad]] = {}
    if predicates:
        for number in range(content.parts):
            for quad in content.part(number):
                if quad.predicate.value in predicates:
                    found.setdefault(node_key(quad.object), []).append(quad)
    return found


@lru_cache(maxsize=1)
def _screen() -> Screen:
    return Screen(_shapes())


def _violations(results: Graph, data: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        node = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = {getattr(text, "language", None) or "en": str(text)
                    for text in results.objects(result, SH.resultMessage)}
        found.append(Violation(
            focus_node=str(node),
            focus_label=_label(data, node),
            path=str(path) if isinstance(path, URIRef) else None,
            value=value.n3() if value is not None else None,
            message=messages.get("en", "breaks the rule"),
            messages=messages,
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


def _store_context(data: list[ox.Quad], typed: set, store: Store,
                   reference_types: dict[str, set[str]]) -> list[ox.Quad]:
    """What the store says that the data needs: the rdf:type triples of the
    IRIs it points at but does not type (`typed`: the nodes it types)."""
    subjects = {q.subject for q in data}
    # An IRI the data only adds facts to (coordinates) is typed in the store.
    untyped = {q.object for q in data if isinstance(q.object, ox.NamedNode)} - typed
    referenced = sorted(iri.value for iri in untyped if str(iri) not in reference_types)
    found: list[ox.Quad] = []
    for start in range(0, len(referenced), 500):
        values = " ".join(f"<{iri}>" for iri in referenced[start:start + 500])
        for row in store.select(f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}"):
            found.append(ox.Quad(row["s"], _RDF_TYPE, row["t"]))
    # A resource the data adds facts to (a data set's coordinates for a
    # seed's town) is checked whole: with what the store already says of it.
    partial = sorted(s.value for s in subjects - typed if isinstance(s, ox.NamedNode))
    for start in range(0, len(partial), 500):
        values = " ".join(f"<{iri}>" for iri in partial[start:start + 500])
        for row in store.select(f"SELECT ?s ?p ?o ?ot WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o "
                                "OPTIONAL { ?o a ?ot } }"):
            found.append(ox.Quad(row["s"], row["p"], row["o"]))
            if "ot" in row:
                found.append(ox.Quad(row["o"], _RDF_TYPE, row["ot"]))
    return found


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


@dataclass(frozen=True)
class _Reference:
    """The theme scheme, the reference data and what the shapes need of the
    ontology: the quads, and the types of their nodes."""
    quads: list[ox.Quad]
    types: dict[str, set[str]]


@lru_cache(maxsize=4)
def _reference_context(base_iri: str) -> _Reference:
    """Parsed once per process; only ever read."""
    quads = [ox.Quad(q.subject, q.predicate, q.object) for path in reference_files()
             for q in parse_file(path, base_iri)]
    # The ontology context holds IRIs only (see _ontology_context).
    quads += [ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), ox.NamedNode(str(o)))
              for s, p, o in _ontology_context()]
    types: dict[str, set[str]] = {}
    for quad in quads:
        if quad.predicate.value == _TYPE and isinstance(quad.object, ox.NamedNode):
            types.setdefault(node_key(quad.subject), set()).add(quad.object.value)
    return _Reference(quads, types)


@lru_cache(maxsize=4)
def _reference_context_graph(base_iri: str) -> Graph:
    """The reference data as an rdflib graph, for pyshacl (the ontology's
    part comes separately, from _ontology_context)."""
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
