"""Which nodes of a batch might break a shape: a quick look before
pyshacl's full check, so that pyshacl checks only those.

pyshacl spends some 2 ms on each node it checks, most of it in its own
bookkeeping: 100,000 partnerships take minutes. Nearly every node of an
import conforms, and a test of each rule on plain Python indexes says so
in microseconds. The screen runs those tests and names the suspects; pyshacl
then checks the suspects alone, so the report is pyshacl's own, with its
messages.

The screen must never miss a node pyshacl would report. For the constraint
components it knows it tests as pyshacl does (its datatype, class and
comparison rules, on the same rdflib terms); a SHACL-SPARQL constraint runs
in Oxigraph for all the batch's nodes at once. Where it cannot be sure (a
component it does not know, a path it does not follow, a query it cannot
run in bulk) it names every node the shape targets, and pyshacl decides.
A shape it does not know costs time, never a missed violation."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cached_property

import pyoxigraph as ox
import pyshacl.constraints
from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from graph.rdf.terms import to_rdflib
from graph.sparql.text import tokens

_TYPE, _SUBCLASS = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.subClassOf))
_XSD_STRING = ox.NamedNode(str(XSD.string))
_NONE: list = []
# Constraint parameters pyshacl acts on; one the screen does not test below
# makes every target of its shape a suspect.
_PARAMETERS = frozenset(pyshacl.constraints.ALL_CONSTRAINT_PARAMETERS)
# Parameters read as part of another one (sh:flags with sh:pattern).
_READ_WITH_OTHERS = frozenset({SH.flags, SH.qualifiedMinCount,
                               SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint,
                               SH.ignoredProperties})
# Parameters a shape inside sh:or may have for the screen to test it.
_VALUE_PARAMETERS = frozenset({SH.datatype, SH["class"], SH.nodeKind, SH.minLength, SH.maxLength,
                               SH.pattern, SH["in"], SH.languageIn, SH.minInclusive, SH.maxInclusive,
                               SH.minExclusive, SH.maxExclusive})
# Those that fail only on a value node: a focus node without values passes
# (sh:property under a property shape tests the values' own properties).
_ON_VALUES = frozenset({SH["or"], SH["and"], SH["not"], SH.xone, SH.node, SH.property})

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Test = Callable[[list[Term], "Facts"], bool]


class Facts:
    """The triples a batch is checked with (its own and their context),
    indexed as the screen reads them."""

    def __init__(self, quads: Iterable[ox.Quad], inverse: frozenset[str]):
        self.quads = list(quads)
        self.out: dict[Term, dict[ox.NamedNode, list[Term]]] = {}
        self.into: dict[Term, dict[ox.NamedNode, list[Term]]] = {}
        backwards = {ox.NamedNode(p) for p in inverse}
        pointed: set[tuple[Term, ox.NamedNode, Term]] = set()
        out = self.out
        for quad in self.quads:
            subject, predicate, obj = quad.subject, quad.predicate, quad.object
            # Run for each triple of a batch: no dict or list made to be thrown away.
            by_predicate = out.get(subject)
            if by_predicate is None:
                out[subject] = {predicate: [obj]}
            elif (values := by_predicate.get(predicate)) is None:
                by_predicate[predicate] = [obj]
            elif obj not in values:
                values.append(obj)
            if predicate in backwards:
                # A triple may come twice (in the batch and in its context):
                # value nodes are a set, as sh:maxCount counts them. A hub has
                # thousands pointing at it, so a set says what was seen.
                if (obj, predicate, subject) not in pointed:
                    pointed.add((obj, predicate, subject))
                    self.into.setdefault(obj, {}).setdefault(predicate, []).append(subject)
        self._rdflib: dict[Term, object] = {}
        self._classes: dict[Term, frozenset[str]] = {}
        self._instances: dict[str, set[ox.NamedNode]] | None = None

    def values(self, node: Term, predicate: ox.NamedNode, inverse: bool = False) -> list[Term]:
        found = (self.into if inverse else self.out).get(node)
        return found.get(predicate, _NONE) if found else _NONE

    def instances_among(self, nodes: set[ox.NamedNode]) -> dict[str, set[ox.NamedNode]]:
        """The nodes by each class they are an instance of (made once)."""
        if self._instances is None:
            self._instances = {}
            for node in nodes:
                for cls in self.classes(node):
                    self._instances.setdefault(cls, set()).add(node)
        return self._instances

    def is_instance(self, node: Term, cls: str) -> bool:
        """As pyshacl's sh:class: a type of the node is `cls` or below it."""
        return cls in self.classes(node)

    def classes(self, node: Term) -> frozenset[str]:
        """The node's types and every class above them."""
        found = self._classes.get(node)
        if found is None:
            seen: set[str] = set()
            todo = [t for t in self.values(node, _TYPE) if isinstance(t, ox.NamedNode)]
            seen.update(t.value for t in todo)
            while todo:
                for parent in self.values(todo.pop(), _SUBCLASS):
                    if isinstance(parent, ox.NamedNode) and parent.value not in seen:
                        seen.add(parent.value)
                        todo.append(parent)
            found = self._classes[node] = frozenset(seen)
        return found

    def rdflib(self, term: Term):
        """The term as pyshacl sees it (an rdflib term), made once."""
        found = self._rdflib.get(term)
        if found is None:
            found = self._rdflib[term] = to_rdflib(term)
        return found

    @cached_property
    def store(self) -> ox.Store:
        """The same triples in Oxigraph, for SPARQL constraints."""
        store = ox.Store()
        store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in self.quads)
        return store


@dataclass
class _Shape:
    """A shape with targets, or one of its property shapes: which nodes it
    tests, the values it tests, and its tests (each true when the focus
    node may break the rule)."""
    node: URIRef | BNode
    targets: list[tuple[URIRef, URIRef]] = field(default_factory=list)
    path: tuple[ox.NamedNode, bool] | None = None     # (predicate, inverse); None: the node itself
    followed: bool = True                      # False: a path the screen does not follow
    tests: list[Test] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)     # SPARQL constraints, run in bulk
    everything: bool = False                   # every target is a suspect
    empty_fails: bool = False                  # a test may fail on a node without values


class Screen:
    """The tests of a shapes graph, compiled once."""

    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self.compiled: list[_Shape] = []
        for node in self._shapes_with_targets():
            if shapes.value(node, SH.deactivated) == Literal(True):
                continue
            targets = [(kind, value) for kind in (SH.targetClass, SH.targetSubjectsOf,
                                                  SH.targetObjectsOf, SH.targetNode, SH.target)
                       for value in shapes.objects(node, kind)]
            if (node, RDF.type, RDFS.Class) in shapes or (node, RDF.type, OWL.Class) in shapes:
                targets.append((SH.targetClass, node))
            own = self._compile(node, targets)
            if own.tests or own.queries or own.everything:
                self.compiled.append(own)
            for prop in shapes.objects(node, SH.property):
                if shapes.value(prop, SH.deactivated) != Literal(True):
                    self.compiled.append(self._compile(prop, targets))

    @cached_property
    def inverse_predicates(self) -> frozenset[str]:
        """Predicates a shape follows backwards: their triples must come
        with the node they point at."""
        return frozenset(shape.path[0].value for shape in self.compiled if shape.path and shape.path[1])

    def suspects(self, facts: Facts, focus: set[ox.NamedNode]) -> set[ox.NamedNode]:
        """The focus nodes that may break a shape."""
        found: set[ox.NamedNode] = set()
        targets_of: dict[tuple, set[ox.NamedNode]] = {}
        facts.instances_among(focus)
        for shape in self.compiled:
            key = (tuple(shape.targets), shape.everything)
            if key not in targets_of:
                targets_of[key] = self._targets(shape, facts, focus)
            targets = targets_of[key]
            if not targets:
                continue
            if shape.everything or not shape.followed:
                found |= targets
                continue
            path, tests = shape.path, shape.tests
            # A property shape that fails only on values passes a node without any.
            skip_empty = path is not None and not shape.empty_fails
            # The loop below runs for every node and shape of a big import:
            # Facts.values inlined, and no set made of the nodes still to test.
            by_node, predicate = (None, _TYPE) if path is None else (facts.into if path[1] else facts.out, path[0])
            for node in targets:
                if found and node in found:
                    continue
                if by_node is None:
                    values: list[Term] = [node]
                else:
                    node_values = by_node.get(node)
                    values = node_values.get(predicate, _NONE) if node_values else _NONE
                    if not values and skip_empty:
                        continue
                for test in tests:
                    if test(values, facts):
                        found.add(node)
                        break
            for query in shape.queries:
                found |= self._run(query, targets, facts)
        return found

    # -- compiling ---------------------------------------------------------
    def _shapes_with_targets(self) -> list:
        shapes = self.shapes
        nodes = {s for kind in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf,
                                SH.targetNode, SH.target) for s in shapes.subjects(kind, None)}
        nodes |= {s for s in shapes.subjects(RDF.type, SH.NodeShape)
                  if (s, RDF.type, RDFS.Class) in shapes or (s, RDF.type, OWL.Class) in shapes}
        return sorted(nodes, key=str)

    def _compile(self, node, targets) -> _Shape:
        shapes = self.shapes
        shape = _Shape(node, targets)
        path = shapes.value(node, SH.path)
        if path is not None:
            if isinstance(path, URIRef):
                shape.path = (ox.NamedNode(str(path)), False)
            elif isinstance(path, BNode) and isinstance(inverse := shapes.value(path, SH.inversePath), URIRef) \
                    and len(list(shapes.predicate_objects(path))) == 1:
                shape.path = (ox.NamedNode(str(inverse)), True)
            else:
                shape.path, shape.followed = (_TYPE, False), False
        if any(t[0] == SH.target for t in targets):
            shape.everything = True          # a SPARQL-based target: which nodes, only pyshacl knows
        parameters = {p for p, _ in shapes.predicate_objects(node) if p in _PARAMETERS}
        if shape.path is None:
            # A node shape's property shapes are compiled on their own.
            parameters.discard(SH.property)
        for parameter in sorted(parameters - _READ_WITH_OTHERS, key=str):
            value = shapes.value(node, parameter)
            test = self._test(node, parameter, value)
            if test is not None:
                shape.tests.append(test)
                if parameter == SH.hasValue or (parameter == SH.minCount and int(value) > 0):
                    shape.empty_fails = True
            elif parameter == SH.sparql:
                for constraint in shapes.objects(node, SH.sparql):
                    self._sparql(shape, constraint)
            elif parameter == SH["or"] and (alternatives := self._alternatives(value)) is not None:
                shape.tests.append(_none_of(alternatives))
            elif parameter in _ON_VALUES and shape.path is not None:
                shape.tests.append(_has_values)
            else:
                shape.everything = True
        return shape

    def _test(self, node, parameter, value) -> Test | None:
        """The test of one constraint parameter, or None for one the screen
        does not test itself."""
        if parameter == SH.minCount:
            least = int(value)
            return lambda values, facts: len(values) < least
        if parameter == SH.maxCount:
            most = int(value)
            return lambda values, facts: len(values) > most
        if parameter == SH.datatype:
            if value == RDF.langString:
                # A tagged literal is one, to pyshacl too: no rdflib term needed.
                return lambda values, facts: any(not (isinstance(v, ox.Literal) and v.language) for v in values)
            return lambda values, facts: any(not _datatype_matches(facts.rdflib(v), value) for v in values)
        if parameter == SH["class"]:
            classes = [str(c) for c in self.shapes.objects(node, SH["class"])]
            return lambda values, facts: any(
                isinstance(v, ox.Literal) or not all(facts.is_instance(v, c) for c in classes)
                for v in values)
        if parameter == SH.nodeKind:
            allowed = _NODE_KINDS.get(value)
            if allowed is None:
                return None
            return lambda values, facts: any(not isinstance(v, allowed) for v in values)
        if parameter == SH.minLength:
            shortest = int(value)
            if shortest <= 0:
                return _never
            return lambda values, facts: any(
                isinstance(v, ox.BlankNode) or _length(v, facts) < shortest for v in values)
        if parameter == SH.maxLength:
            longest = int(value)
            return lambda values, facts: any(
                isinstance(v, ox.BlankNode) or _length(v, facts) > longest for v in values)
        if parameter == SH.pattern:
            flags = self.shapes.value(node, SH.flags)
            pattern = re.compile(str(value), _regex_flags(str(flags) if flags else ""))
            return lambda values, facts: any(
                isinstance(v, ox.BlankNode) or not pattern.search(_text(v, facts)) for v in values)
        if parameter == SH.uniqueLang:
            if value != Literal(True):
                return _never
            return lambda values, facts: _repeats_a_language(values)
        if parameter == SH["in"]:
            allowed_values = set(Collection(self.shapes, value))
            return lambda values, facts: any(facts.rdflib(v) not in allowed_values for v in values)
        if parameter == SH.hasValue:
            wanted = set(self.shapes.objects(node, SH.hasValue))
            return lambda values, facts: not wanted <= {facts.rdflib(v) for v in values}
        if parameter == SH.languageIn:
            ranges = [str(r).lower() for r in Collection(self.shapes, value)]
            return lambda values, facts: any(not _language_in(v, ranges) for v in values)
        if parameter in _RANGES:
            bound, passes = value, _RANGES[parameter]
            return lambda values, facts: any(not _in_range(facts.rdflib(v), bound, passes) for v in values)
        return None

    def _alternatives(self, members) -> list[list[Test]] | None:
        """The tests of each shape of an sh:or list, each applied to a value
        node; None unless every shape is one the screen tests whole (no
        path, no targets, only parameters it knows)."""
        found = []
        for member in Collection(self.shapes, members):
            parameters = {p for p, _ in self.shapes.predicate_objects(member)} - {RDF.type, SH.message}
            if not parameters or not parameters <= _VALUE_PARAMETERS:
                return None
            tests = []
            for parameter in parameters:
                test = self._test(member, parameter, self.shapes.value(member, parameter))
                if test is None:
                    return None
                tests.append(test)
            found.append(tests)
        return found

    def _sparql(self, shape: _Shape, constraint) -> None:
        """A SHACL-SPARQL constraint as one query for all targets, or, when it
        cannot be run so, the targets as suspects: all of them, or those with
        values when the query can only match a value."""
        shapes = self.shapes
        if shapes.value(constraint, SH.deactivated) == Literal(True):
            return
        text = shapes.value(constraint, SH.select)
        found = tokens(str(text)) if text is not None else []
        classes = self._one_of(_ONE_OF_CLASSES, constraint, found)
        if classes is not None and shape.path is not None and shape.followed:
            shape.tests.append(lambda values, facts: any(
                not any(facts.is_instance(v, c) for c in classes) for v in values))
            return
        datatypes = self._one_of(_ONE_OF_DATATYPES, constraint, found)
        if datatypes is not None and shape.path is not None and shape.followed:
            allowed = frozenset(datatypes)
            shape.tests.append(lambda values, facts: any(
                not isinstance(v, ox.Literal) or v.datatype.value not in allowed for v in values))
            return
        words = {t.upper for t in found if t.kind == "word"}
        variables = {t.text[1:] for t in found if t.kind == "var"}
        bulk = (found and shape.followed and variables <= {"this", "value", "PATH", "path", "failure"}
                and "EXISTS" not in words and "SERVICE" not in words
                and ("PATH" not in variables or shape.path is not None))
        if bulk:
            brace = next(t for t in found if t.text == "{")
            body = str(text)[:brace.end] + f" VALUES ?this {{ {_FOCUS} }} " + str(text)[brace.end:]
            if shape.path is not None:
                predicate, inverse = shape.path
                body = re.sub(r"\$PATH\b", ("^" if inverse else "") + f"<{predicate}>", body)
            shape.queries.append(self._prefixes(constraint) + body.replace("$this", "?this"))
        elif shape.path is not None and shape.followed and _starts_with_a_value(found):
            # EXISTS inside a bulk query makes Oxigraph slow; a query that
            # begins `$this $PATH ?value` reports nothing for a node without values.
            shape.tests.append(_has_values)
        else:
            shape.everything = True

    def _one_of(self, idiom: re.Pattern, constraint, found) -> list[str] | None:
        """The IRIs listed by a constraint written in one of the shapes'
        idioms for "one of these classes" or "one of these datatypes"
        (shapes.ttl: OrganizationOrPerson, DateOrYear), which the screen
        tests as sh:class and sh:datatype do; None for any other query.
        (Run in bulk, Oxigraph takes seconds a node for the FILTER NOT EXISTS
        of the first; the second saves copying the batch into Oxigraph.)"""
        text = " ".join(t.text for t in found)
        match = idiom.fullmatch(text)
        if match is None:
            return None
        namespaces = dict(line.split(" ", 2)[1:] for line in self._prefixes(constraint).splitlines() if line)
        if "rdf:type" in text and (namespaces.get("rdf:") != f"<{RDF}>" or namespaces.get("rdfs:") != f"<{RDFS}>"):
            return None
        classes = []
        for name in match.group(1).split(" , "):
            if name.startswith("<") and name.endswith(">"):
                classes.append(name[1:-1])
            elif ":" in name and (prefix := name.split(":", 1)[0] + ":") in namespaces:
                classes.append(namespaces[prefix][1:-1] + name.split(":", 1)[1])
            else:
                return None
        return classes

    def _prefixes(self, constraint) -> str:
        """PREFIX lines for the constraint's sh:prefixes declarations."""
        lines = []
        for holder in self.shapes.objects(constraint, SH.prefixes):
            for declaration in self.shapes.objects(holder, SH.declare):
                prefix = self.shapes.value(declaration, SH.prefix)
                namespace = self.shapes.value(declaration, SH.namespace)
                if prefix is not None and namespace is not None:
                    lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(lines) + "\n"

    # -- running -----------------------------------------------------------
    def _targets(self, shape: _Shape, facts: Facts, focus: set[ox.NamedNode]) -> set[ox.NamedNode]:
        if shape.everything and any(kind == SH.target for kind, _ in shape.targets):
            return set(focus)
        found: set[ox.NamedNode] = set()
        for kind, value in shape.targets:
            if kind == SH.targetClass:
                found |= facts.instances_among(focus).get(str(value), set())
            elif kind == SH.targetSubjectsOf:
                found |= {n for n in focus if facts.values(n, ox.NamedNode(str(value)))}
            elif kind == SH.targetNode:
                found |= {n for n in focus if n.value == str(value)}
            elif kind == SH.targetObjectsOf:
                found |= {q.object for q in facts.quads if isinstance(q.object, ox.NamedNode)
                          and q.predicate.value == str(value) and q.object in focus}
        return found

    @staticmethod
    def _run(query: str, targets: set[ox.NamedNode], facts: Facts) -> set[ox.NamedNode]:
        found: set[ox.NamedNode] = set()
        ordered = sorted(targets, key=lambda n: n.value)
        for start in range(0, len(ordered), 2000):
            values = " ".join(str(n) for n in ordered[start:start + 2000])
            try:
                result = facts.store.query(query.replace(_FOCUS, values))
                assert isinstance(result, ox.QuerySolutions)
                rows = list(result)
            except (SyntaxError, OSError, ValueError, RuntimeError, AssertionError):
                # A query Oxigraph will not run is left to pyshacl.
                return set(targets)
            for row in rows:
                this = row["this"]
                if isinstance(this, ox.NamedNode) and this in targets:
                    found.add(this)
                elif this is None:
                    # A row that does not say which node: any of them.
                    return set(targets)
        return found


# "Each value is an instance of one of these classes", as shapes.ttl writes it.
_ONE_OF_CLASSES = re.compile(
    r"SELECT \$this \?value WHERE \{ \$this \$PATH \?value \. FILTER NOT EXISTS \{ "
    r"\?value rdf:type/rdfs:subClassOf\* \?class \. FILTER \( \?class IN \( "
    r"((?:[^ ()]+ , )*[^ ()]+) \) \) \} \}")
# "Each value is a literal of one of these datatypes", as shapes.ttl writes it.
_ONE_OF_DATATYPES = re.compile(
    r"SELECT \$this \?value WHERE \{ \$this \$PATH \?value \. FILTER \( ! isLiteral \( \?value \) "
    r"\| \| ! \( datatype \( \?value \) IN \( ((?:[^ ()]+ , )*[^ ()]+) \) \) \) \}")
# Where a bulk query gets the nodes it is run for.
_FOCUS = "#FOCUS-NODES#\n"

_NODE_KINDS: dict[URIRef, type | tuple[type, ...]] = {
    SH.IRI: ox.NamedNode,
    SH.BlankNode: ox.BlankNode,
    SH.Literal: ox.Literal,
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}
_RANGES = {
    SH.minInclusive: lambda order: order >= 0,
    SH.minExclusive: lambda order: order > 0,
    SH.maxInclusive: lambda order: order <= 0,
    SH.maxExclusive: lambda order: order < 0,
}


def _none_of(alternatives: list[list[Test]]) -> Test:
    """sh:or: a value breaks it when it fails a test of every alternative."""
    def test(values: list[Term], facts: Facts) -> bool:
        return any(all(any(t([v], facts) for t in tests) for tests in alternatives) for v in values)
    return test


def _never(values, facts) -> bool:
    return False


def _has_values(values, facts) -> bool:
    return bool(values)


def _datatype_matches(value, datatype) -> bool:
    """pyshacl's sh:datatype test of one value (an rdflib term)."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        return getattr(value, "ill_typed", None) is not True and _value_is(value, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and value.datatype:
        return True
    if value.datatype is None and value.language is None and datatype == XSD.string:
        return _value_is(value, datatype)
    return bool(datatype == RDF.langString and value.language and _value_is(value, datatype))


# The Python types pyshacl wants a literal's value to have, by datatype.
_VALUE_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
    XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}


def _value_is(value: Literal, datatype) -> bool:
    expected = _VALUE_TYPES.get(datatype)
    return expected is None or isinstance(value.value, expected)


def _string(value) -> str:
    """The text pyshacl tests sh:pattern and the lengths on."""
    if isinstance(value, Literal) and value.value is not None \
            and value.datatype in (None, RDF.langString, XSD.string):
        return str(value.value)
    return str(value)


def _text(value: Term, facts: Facts) -> str:
    """_string of the term as pyshacl sees it; a plain or tagged string
    is its own text, without making an rdflib literal of it (most values
    of an import are such strings)."""
    if isinstance(value, ox.Literal) and (value.language or value.datatype == _XSD_STRING):
        return value.value
    return _string(facts.rdflib(value))


def _length(value: Term, facts: Facts) -> int:
    return len(_text(value, facts))


def _repeats_a_language(values: list[Term]) -> bool:
    seen: set[str] = set()
    for value in values:
        if isinstance(value, ox.Literal) and value.language:
            language = value.language.lower()
            if language in seen:
                return True
            seen.add(language)
    return False


def _language_in(value: Term, ranges: list[str]) -> bool:
    if not isinstance(value, ox.Literal) or not value.language:
        return False
    language = value.language.lower()
    return any(r == "*" or language == r or language.startswith(r + "-") for r in ranges)


def _in_range(value, bound: Literal, passes: Callable[[int], bool]) -> bool:
    """pyshacl's comparison of a value (rdflib term) with a range bound."""
    if not isinstance(value, Literal):
        return False
    if isinstance(bound.value, str) != isinstance(value.value, str):
        return False
    try:
        return passes(compare_literal(value, bound))
    except (TypeError, NotImplementedError):
        return False


def _regex_flags(flags: str) -> int:
    found = 0
    for letter, flag in (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL), ("x", re.VERBOSE)):
        if letter in flags:
            found |= flag
    return found


def _starts_with_a_value(found) -> bool:
    """Whether a constraint's query reads `SELECT ... WHERE { $this $PATH ?value .`
    (a solution needs a value of the path)."""
    texts = [t.text for t in found]
    try:
        brace = texts.index("{")
    except ValueError:
        return False
    return texts[brace + 1:brace + 5] in (["$this", "$PATH", "?value", "."], ["?this", "$PATH", "?value", "."])
