"""The exceptions the library raises; the CLI and the server map each to a
message and an exit code or HTTP status in one place."""
from __future__ import annotations

from typing import Any


class PartnergraphError(Exception):
    """Base class: every error meant to be shown to a user."""


class ConfigError(PartnergraphError):
    """A setting has a value that cannot work."""


class InputFileError(PartnergraphError):
    """A file named by the user is missing, unreadable or of an unknown kind."""


class ParseError(PartnergraphError):
    """RDF or SPARQL text that does not parse, with where it went wrong."""

    def __init__(self, message: str, *, source: str | None = None,
                 line: int | None = None, column: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.source:
            where = self.source
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            return f"{where}: {self.message}"
        if self.line is not None:
            column = f", column {self.column}" if self.column is not None else ""
            return f"line {self.line}{column}: {self.message}"
        return self.message


class QuerySyntaxError(ParseError):
    """A SPARQL query or update that does not parse. `explanation`, when
    the text was at hand, says what is wrong in a person's words
    (graph.sparql.explain.Explanation)."""

    explanation: Any = None


def engine_syntax_error(text: str) -> QuerySyntaxError:
    """The engine's syntax error, with its position taken out of the text
    (Oxigraph words them 'error at LINE:COLUMN: message')."""
    line = column = None
    if text.startswith("error at "):
        where, _, rest = text[len("error at "):].partition(": ")
        line_text, _, column_text = where.partition(":")
        if line_text.isdigit() and column_text.isdigit():
            line, column, text = int(line_text), int(column_text), rest
    return QuerySyntaxError(text, line=line, column=column)


class UpdateRefused(PartnergraphError):
    """The engine refused a well-formed update, such as CREATE GRAPH of a graph
    that exists or DROP GRAPH of one that does not (without SILENT)."""


# How engines word their refusals of an update (Oxigraph: "The graph <g>
# already exists"; Jena: "Graph <g> already exists").
_REFUSALS = ("already exists", "does not exist", "not exist", "doesn't exist")


def is_update_refusal(message: str) -> bool:
    """Whether an engine's error message for an update says it refused it."""
    lowered = message.lower()
    return any(phrase in lowered for phrase in _REFUSALS)


class UnsupportedFormat(PartnergraphError):
    """A format the operation cannot produce or read."""


class ValidationError(PartnergraphError):
    """Data that breaks the SHACL shapes; `report` says node by node."""

    def __init__(self, report):
        self.report = report
        super().__init__(report.summary())


class StoreBusy(PartnergraphError):
    """The embedded store is open in another process."""


class StoreUnavailable(PartnergraphError):
    """The remote store cannot be reached, or answered with an error (its
    HTTP status in `status`, when it answered)."""

    def __init__(self, message: str, *, status: int | None = None, answer: str = ""):
        self.status = status
        self.message = message
        self.answer = answer      # what the server said, when it answered
        super().__init__(message)


class WriteNotLanded(StoreUnavailable):
    """The remote store acknowledged a write that is not in it afterwards:
    the engine dropped it, or did part of it. `answer` is what it said."""


class QueryTimeout(PartnergraphError):
    """A query ran past its time limit and was stopped."""


class Forbidden(PartnergraphError):
    """The caller may not do this (a write without the token)."""


class InvalidRequest(PartnergraphError):
    """A request the library cannot answer as given, such as a reconciliation
    batch that is not JSON or a limit that is not a number; the message says
    what to send instead."""


class RequestTooLarge(InvalidRequest):
    """A request asking for more work at once than the service does, such as
    a reconciliation batch of too many queries."""
