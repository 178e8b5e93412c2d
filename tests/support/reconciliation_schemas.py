"""The W3C Reconciliation Service API 0.2 JSON Schemas (copied in
tests/support/reconciliation/, see its SOURCE.md) as validators.

The specification's own tests read the schemas as draft-07 (ajv 6), and so
does this; references between them (`type.json`) resolve against the copies,
so that nothing is fetched."""
from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

FOLDER = Path(__file__).parent / "reconciliation"
# Where the specification publishes them: a schema's relative references
# resolve against its $id, which is under this folder.
PUBLISHED = "https://reconciliation-api.github.io/specs/0.2/schemas/"


def _schemas() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(FOLDER.glob("*.json"))}


SCHEMAS = _schemas()
# Each schema by its $id and by its file's published address (the query
# batch schema's $id names another file than its own).
REGISTRY: Registry = Registry().with_resources(
    pair for name, schema in SCHEMAS.items()
    for pair in [(schema["$id"], Resource(schema, DRAFT7)),
                 (f"{PUBLISHED}{name}.json", Resource(schema, DRAFT7))])


def problems(schema: str, instance: object) -> list[str]:
    """What in `instance` breaks the named schema (`manifest`,
    `reconciliation-result-batch`, ...); empty when it is valid."""
    validator = Draft7Validator(SCHEMAS[schema], registry=REGISTRY)
    return [f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
            for error in validator.iter_errors(instance)]
