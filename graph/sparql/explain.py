"""A SPARQL syntax error told as a person would: what is wrong, where the
thing itself is (which can be before where the parser gave up), and how to
fix it, in Swedish or English. The engine's own words stay in the error
(`QuerySyntaxError.message`) for whoever wants them."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from graph.errors import QuerySyntaxError
from graph.sparql.text import Token, tokens

KEYWORDS = frozenset((
    "SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED "
    "OPTIONAL UNION MINUS FILTER BIND VALUES GRAPH SERVICE SILENT GROUP BY ORDER ASC DESC "
    "HAVING LIMIT OFFSET AS NOT EXISTS IN UNDEF A COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT "
    "SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND "
    "CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER "
    "YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 "
    "SHA512 SUBSTR REPLACE REGEX COALESCE IF ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC SAMETERM "
    "STRLANG STRDT TRUE FALSE INSERT DELETE DATA WITH USING DEFAULT ALL LOAD CLEAR DROP CREATE "
    "ADD MOVE COPY INTO TO").split())
# Words worth suggesting when a word is misspelt: the ones a query is built of.
_SUGGESTED = sorted(KEYWORDS - {"A", "TZ", "AS", "BY", "IN", "IF", "TO"})
_PAIRS = {"{": "}", "(": ")", "[": "]"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}

WORDS = {
    "empty": {
        "en": "The query is empty. Write one, or pick an example.",
        "sv": "Frågan är tom. Skriv en fråga eller välj ett exempel."},
    "unknown_prefix": {
        "en": "Unknown prefix '{prefix}:' at line {line}, column {column}. "
              "Declare it with PREFIX {prefix}: <...>",
        "sv": "Okänt prefix '{prefix}:' på rad {line}, kolumn {column}. "
              "Deklarera det med PREFIX {prefix}: <...>"},
    "unclosed_string": {
        "en": "The text that starts with {quote} at line {line}, column {column} is never "
              "closed. End it with {quote} on the same line.",
        "sv": "Texten som börjar med {quote} på rad {line}, kolumn {column} avslutas aldrig. "
              "Avsluta den med {quote} på samma rad."},
    "unclosed": {
        "en": "The '{open}' at line {line}, column {column} is never closed. Add a '{close}'.",
        "sv": "'{open}' på rad {line}, kolumn {column} stängs aldrig. Lägg till en '{close}'."},
    "mismatched": {
        "en": "The '{open}' at line {line}, column {column} is not closed before the "
              "'{found}' at line {found_line}, column {found_column}. Add a '{close}' before it.",
        "sv": "'{open}' på rad {line}, kolumn {column} stängs inte före '{found}' på rad "
              "{found_line}, kolumn {found_column}. Lägg till en '{close}' före den."},
    "unopened": {
        "en": "The '{found}' at line {line}, column {column} closes nothing. Remove it, "
              "or add the '{open}' it should close.",
        "sv": "'{found}' på rad {line}, kolumn {column} stänger ingenting. Ta bort den "
              "eller lägg till den '{open}' den ska stänga."},
    "missing_dot": {
        "en": "A '.' is missing before '{term}' at line {line}, column {column}: "
              "each triple pattern ends with a '.'.",
        "sv": "En '.' fattas före '{term}' på rad {line}, kolumn {column}: "
              "varje trippelmönster slutar med en '.'."},
    "misspelt": {
        "en": "Unknown word '{word}' at line {line}, column {column}. Did you mean {suggestion}?",
        "sv": "Okänt ord '{word}' på rad {line}, kolumn {column}. Menade du {suggestion}?"},
    "ungrouped": {
        "en": "?{var} at line {line}, column {column} is selected but neither grouped nor "
              "counted. Add it to GROUP BY, or select (SAMPLE(?{var}) AS ?{var}_).",
        "sv": "?{var} på rad {line}, kolumn {column} väljs men grupperas inte och räknas inte. "
              "Lägg till den i GROUP BY eller välj (SAMPLE(?{var}) AS ?{var}_)."},
    "duplicate": {
        "en": "?{var} at line {line}, column {column} is named twice in SELECT. "
              "Give one of them another name.",
        "sv": "?{var} på rad {line}, kolumn {column} förekommer två gånger i SELECT. "
              "Ge den ena ett annat namn."},
    "unexpected_end": {
        "en": "The query ends too early, at line {line}, column {column}: something is "
              "missing at its end.{expected}",
        "sv": "Frågan tar slut för tidigt, på rad {line}, kolumn {column}: något fattas i "
              "slutet.{expected}"},
    "general": {
        "en": "The query cannot be read at line {line}, column {column}{near}.{expected}",
        "sv": "Frågan går inte att läsa på rad {line}, kolumn {column}{near}.{expected}"},
    "near": {"en": ", at '{text}'", "sv": ", vid '{text}'"},
    "expected": {"en": " Expected here: {items}.", "sv": " Här väntades: {items}."},
}


@dataclass(frozen=True)
class Explanation:
    """What is wrong (`key` in WORDS), where, and the values for its text."""
    key: str
    line: int
    column: int
    values: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        lang = lang if lang in ("sv", "en") else "en"
        values = dict(self.values)
        if self.key in ("general", "unexpected_end"):
            near, expected = values.pop("near", ""), values.pop("expected", "")
            values["near"] = WORDS["near"][lang].format(text=near) if near else ""
            values["expected"] = WORDS["expected"][lang].format(items=expected) if expected else ""
        return WORDS[self.key][lang].format(line=self.line, column=self.column, **values)


def explain(text: str, error: QuerySyntaxError, known_prefixes: dict[str, str]) -> Explanation:
    """Why `text` does not parse, from the text itself and the engine's error
    (its position and its list of what it expected)."""
    toks = tokens(text)
    where = _Positions(text)
    if not toks:
        return Explanation("empty", 1, 1)
    at = where.offset(error.line, error.column) if error.line else len(text)
    for finder in (_open_string, _unknown_prefix, _brackets):
        found = finder(toks, where, known_prefixes)
        if found is not None:
            return found
    message = error.message
    if "variable that is unbound" in message:
        found = _ungrouped(toks, where)
        if found is not None:
            return found
    if "Duplicated variable name in SELECT" in message:
        found = _duplicate(toks, where)
        if found is not None:
            return found
    for finder in (_missing_dot, _misspelt):
        found = finder(toks, where, at)
        if found is not None:
            return found
    expected = _expected(message)
    line, column = where.line_column(at)
    if at >= toks[-1].end and toks[-1].text != "}":
        return Explanation("unexpected_end", line, column, {"expected": expected})
    near = next((t.text for t in toks if t.start <= at < t.end or t.start >= at), "")
    return Explanation("general", line, column, {"near": near[:40], "expected": expected})


class _Positions:
    """Offsets in the text to lines and columns (1-based, in characters) and back."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.size = len(text)

    def line_column(self, offset: int) -> tuple[int, int]:
        line = max(i for i, start in enumerate(self.starts) if start <= offset)
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int | None) -> int:
        start = self.starts[min(max(line, 1), len(self.starts)) - 1]
        return min(start + max((column or 1) - 1, 0), self.size)

    def at(self, tok: Token) -> tuple[int, int]:
        return self.line_column(tok.start)


def _open_string(toks, where, _known):
    for tok in toks:
        if tok.kind == "other" and tok.text in "\"'":
            line, column = where.at(tok)
            return Explanation("unclosed_string", line, column, {"quote": tok.text})
    return None


def _unknown_prefix(toks, where, known):
    declared = set(known)
    for i, tok in enumerate(toks):
        if tok.upper == "PREFIX" and i + 1 < len(toks):
            declared.add(toks[i + 1].text.split(":")[0])
    for tok in toks:
        if tok.kind == "word" and ":" in tok.text:
            prefix = tok.text.split(":")[0]
            if prefix not in declared and not tok.text.startswith(("_:",)):
                line, column = where.at(tok)
                return Explanation("unknown_prefix", line, column, {"prefix": prefix})
    return None


def _brackets(toks, where, _known):
    stack: list[Token] = []
    for tok in toks:
        if tok.text in _PAIRS:
            stack.append(tok)
        elif tok.text in _CLOSERS:
            if not stack:
                line, column = where.at(tok)
                return Explanation("unopened", line, column,
                                   {"found": tok.text, "open": _CLOSERS[tok.text]})
            opener = stack.pop()
            if _PAIRS[opener.text] != tok.text:
                line, column = where.at(opener)
                found_line, found_column = where.at(tok)
                return Explanation("mismatched", line, column, {
                    "open": opener.text, "close": _PAIRS[opener.text], "found": tok.text,
                    "found_line": str(found_line), "found_column": str(found_column)})
    if stack:
        line, column = where.at(stack[-1])
        return Explanation("unclosed", line, column,
                           {"open": stack[-1].text, "close": _PAIRS[stack[-1].text]})
    return None


def _misspelt(toks, where, at):
    for tok in toks:
        if tok.start > at:
            break
        if tok.kind != "word" or ":" in tok.text or tok.upper in KEYWORDS:
            continue
        close = difflib.get_close_matches(tok.upper, _SUGGESTED, n=1, cutoff=0.7)
        if close:
            line, column = where.at(tok)
            return Explanation("misspelt", line, column, {"word": tok.text, "suggestion": close[0]})
    return None


def _is_term(tok: Token) -> bool:
    return tok.kind in ("var", "iri", "string", "number") or (
        tok.kind == "word" and (":" in tok.text or tok.text == "a"))


def _missing_dot(toks, where, at):
    """A fourth term in a row where a triple pattern starts: the '.' that
    ends the pattern before it is missing (VALUES blocks excepted)."""
    run = None          # the number of terms since a pattern could start
    in_values = []      # per open brace: whether it opens a VALUES block
    for i, tok in enumerate(toks):
        if tok.start > at:
            break
        if tok.text == "{":
            back = i - 1
            while back >= 0 and (toks[back].kind == "var" or toks[back].text in "()"):
                back -= 1
            in_values.append(back >= 0 and toks[back].upper == "VALUES")
            run = 0
        elif tok.text == "}":
            if in_values:
                in_values.pop()
            run = 0
        elif tok.text == ".":
            run = 0
        elif run is not None and _is_term(tok) and not (in_values and in_values[-1]):
            run += 1
            if run == 4:
                line, column = where.at(tok)
                return Explanation("missing_dot", line, column, {"term": tok.text[:40]})
        else:
            run = None
    return None


def _select_clause(toks):
    """The tokens between SELECT and the query's first '{' or WHERE."""
    start = next((i for i, t in enumerate(toks) if t.upper == "SELECT"), None)
    if start is None:
        return []
    clause = []
    for tok in toks[start + 1:]:
        if tok.text == "{" or tok.upper in ("WHERE", "FROM"):
            break
        clause.append(tok)
    return clause


def _projected(toks):
    """The variables the SELECT clause names bare (not inside an expression)."""
    depth = 0
    for tok in _select_clause(toks):
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif depth == 0 and tok.kind == "var":
            yield tok


def _ungrouped(toks, where):
    grouped = set()
    for i, tok in enumerate(toks):
        if tok.upper == "GROUP" and i + 1 < len(toks) and toks[i + 1].upper == "BY":
            for later in toks[i + 2:]:
                if later.upper in ("HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES") or later.text == "}":
                    break
                if later.kind == "var":
                    grouped.add(later.text[1:])
    for tok in _projected(toks):
        if tok.text[1:] not in grouped:
            line, column = where.at(tok)
            return Explanation("ungrouped", line, column, {"var": tok.text[1:]})
    return None


def _duplicate(toks, where):
    seen = set()
    clause = _select_clause(toks)
    for i, tok in enumerate(clause):
        named = tok.kind == "var" and (i == 0 or clause[i - 1].upper == "AS" or
                                       clause[i - 1].text in (")", "*") or clause[i - 1].kind == "var"
                                       or clause[i - 1].upper in ("DISTINCT", "REDUCED"))
        if not named:
            continue
        if tok.text[1:] in seen:
            line, column = where.at(tok)
            return Explanation("duplicate", line, column, {"var": tok.text[1:]})
        seen.add(tok.text[1:])
    return None


def _expected(message: str) -> str:
    """The engine's list of what it expected, without its character classes,
    when the list is short enough to help."""
    match = re.search(r"expected (?:one of )?(.*)", message, re.DOTALL)
    if not match:
        return ""
    items = [m.group(1) or m.group(2) for m in re.finditer(r'"((?:[^"\\]|\\.)+)"|\b([A-Z][A-Za-z]+)\b',
                                                            re.sub(r"\[[^\]]*\]", "", match.group(1)))]
    words = []
    for item in items:
        if item and item not in words and (item.upper() in KEYWORDS or not item.isalpha()):
            words.append(item.replace('\\"', '"'))
    # The engine names a sample of what it tried last; a lone keyword other
    # than these leads astray more often than not.
    helpful = any(not w.isalpha() for w in words) or words in (["BY"], ["WHERE"], ["AS"])
    return ", ".join(words) if helpful and len(words) <= 8 else ""
