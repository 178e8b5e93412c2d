"""Which graphs a SPARQL Update writes, read from its text before it runs,
so that a token allowed some graphs only can be refused an update that would
write others.

An update is operations separated by `;`, each perhaps after PREFIX and BASE
declarations. What each writes: INSERT/DELETE DATA and DELETE WHERE the
graphs of their GRAPH blocks, and the default graph for triples outside one;
INSERT/DELETE ... WHERE the same for their templates, with WITH naming the
graph for triples outside a GRAPH block; CLEAR, DROP, CREATE and LOAD INTO
their graph; ADD and COPY their target; MOVE its source and target. Some
cannot be known beforehand: a template's `GRAPH ?g` (the data chooses the
graph), CLEAR/DROP NAMED or ALL (every graph), and anything this reader does
not understand; those are listed in words in `unknown`."""
from __future__ import annotations

from dataclasses import dataclass, field

from graph.sparql.text import Token, iri_at, tokens, walk

_GRAPH_STEPS = ("CLEAR", "DROP", "CREATE")
_GRAPH_PAIRS = ("ADD", "MOVE", "COPY")


@dataclass
class UpdateTargets:
    graphs: set[str] = field(default_factory=set)
    default_graph: bool = False     # the store's own default graph
    unknown: list[str] = field(default_factory=list)


@dataclass
class _Prologue:
    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None


def written_graphs(text: str) -> UpdateTargets:
    """The graphs the update `text` writes (deletes count as writes)."""
    targets = UpdateTargets()
    prologue = _Prologue()
    for operation in _operations(tokens(text)):
        _read(_declarations(operation, prologue), prologue, targets)
    return targets


def _operations(toks: list[Token]) -> list[list[Token]]:
    operations: list[list[Token]] = [[]]
    for tok, depth in walk(toks):
        if depth == 0 and tok.text == ";":
            operations.append([])
        else:
            operations[-1].append(tok)
    return [op for op in operations if op]


def _declarations(op: list[Token], prologue: _Prologue) -> list[Token]:
    """The operation after its PREFIX and BASE declarations, which hold for
    the rest of the request."""
    i = 0
    while i < len(op):
        if op[i].upper == "BASE" and i + 1 < len(op) and op[i + 1].kind == "iri":
            prologue.base = op[i + 1].text[1:-1]
            i += 2
        elif op[i].upper == "PREFIX" and i + 2 < len(op) and op[i + 2].kind == "iri":
            prologue.prefixes[op[i + 1].text.rstrip(":")] = op[i + 2].text[1:-1]
            i += 3
        else:
            break
    return op[i:]


def _read(op: list[Token], prologue: _Prologue, targets: UpdateTargets) -> None:
    if not op:
        return
    verb = op[0].upper
    i = 1
    if i < len(op) and op[i].upper == "SILENT":
        i += 1
    if verb in _GRAPH_STEPS:
        _graph_ref(op, i, prologue, targets, verb)
    elif verb in _GRAPH_PAIRS:
        to = next((j for j in range(i, len(op)) if op[j].upper == "TO"), None)
        if to is None:
            targets.unknown.append(f"{verb} without TO")
            return
        _graph_or_default(op, to + 1, prologue, targets, verb)
        if verb == "MOVE":
            _graph_or_default(op, i, prologue, targets, verb)
    elif verb == "LOAD":
        into = next((j for j in range(i, len(op)) if op[j].upper == "INTO"), None)
        if into is None:
            targets.default_graph = True
        else:
            _graph_ref(op, into + 1, prologue, targets, verb)
    elif verb == "WITH":
        with_graph = iri_at(op, 1, prologue.prefixes, prologue.base)
        if with_graph is None:
            targets.unknown.append("WITH without a graph IRI")
            return
        _modify(op[2:], prologue, targets, with_graph)
    elif verb in ("INSERT", "DELETE"):
        _modify(op, prologue, targets, None)
    else:
        targets.unknown.append(f"an operation that starts with {op[0].text!r}")


def _graph_ref(op: list[Token], i: int, prologue: _Prologue, targets: UpdateTargets, verb: str) -> None:
    """GRAPH <g>, DEFAULT, NAMED or ALL at token i."""
    word = op[i].upper if i < len(op) else ""
    if word == "DEFAULT":
        targets.default_graph = True
    elif word in ("NAMED", "ALL"):
        targets.unknown.append(f"{verb} {word}, which writes every {'named ' if word == 'NAMED' else ''}graph")
    else:
        _graph(op, i + 1 if word == "GRAPH" else i, prologue, targets, verb)


def _graph_or_default(op: list[Token], i: int, prologue: _Prologue, targets: UpdateTargets,
                      verb: str) -> None:
    if i < len(op) and op[i].upper == "DEFAULT":
        targets.default_graph = True
    else:
        _graph(op, i + 1 if i < len(op) and op[i].upper == "GRAPH" else i, prologue, targets, verb)


def _graph(op: list[Token], i: int, prologue: _Prologue, targets: UpdateTargets, verb: str) -> None:
    graph = iri_at(op, i, prologue.prefixes, prologue.base)
    if graph is None:
        seen = op[i].text if i < len(op) else "nothing"
        targets.unknown.append(f"{verb} GRAPH {seen}, which names no graph IRI")
    else:
        targets.graphs.add(graph)


def _modify(op: list[Token], prologue: _Prologue, targets: UpdateTargets, with_graph: str | None) -> None:
    """INSERT/DELETE DATA, DELETE WHERE, and DELETE/INSERT templates: the
    group after each INSERT or DELETE (and DATA or WHERE) is what is
    written; a later WHERE's group is only read."""
    walked = list(walk(op))
    i = 0
    while i < len(walked):
        tok, depth = walked[i]
        if depth == 0 and tok.upper in ("INSERT", "DELETE"):
            j = i + 1
            if j < len(walked) and walked[j][0].upper in ("DATA", "WHERE"):
                j += 1
            if j >= len(walked) or walked[j][0].text != "{":
                targets.unknown.append(f"{tok.text} without a {{ template }}")
                return
            end = _closing(walked, j)
            _template([t for t, _ in walked[j + 1:end]], prologue, targets, with_graph, tok.upper)
            i = end
        i += 1


def _template(body: list[Token], prologue: _Prologue, targets: UpdateTargets,
              with_graph: str | None, verb: str) -> None:
    """The graphs of a template's GRAPH blocks; its other triples go to the
    WITH graph, else the default graph."""
    outside = False
    walked = list(walk(body))
    i = 0
    while i < len(walked):
        tok, depth = walked[i]
        if depth == 0 and tok.upper == "GRAPH":
            name = walked[i + 1][0] if i + 1 < len(walked) else None
            if name is not None and name.kind == "var":
                targets.unknown.append(f"{verb} into GRAPH {name.text}: the data chooses the graph, "
                                       "so which graphs it writes cannot be known beforehand")
            else:
                _graph([t for t, _ in walked], i + 1, prologue, targets, verb)
            i = _closing(walked, i + 2)
        elif depth == 0 and tok.text != ".":
            outside = True
        i += 1
    if outside:
        if with_graph is not None:
            targets.graphs.add(with_graph)
        else:
            targets.default_graph = True


def _closing(walked: list[tuple[Token, int]], opening: int) -> int:
    """Where the group opened at `opening` (depth 0) closes; the end if it does not."""
    return next((k for k in range(opening + 1, len(walked))
                 if walked[k][1] == 0 and walked[k][0].text == "}"), len(walked))
