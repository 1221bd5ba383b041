"""Validate rendered Kubernetes objects offline; run by the tools environment's Python.

    .venv-tools/bin/python tests/deploy/validate_objects.py RENDERED.yaml SCHEMAS_DIR VERSION

Built-in kinds are checked by kubernetes-validate (strict: unknown fields are errors)
against the schemas of Kubernetes VERSION; custom resources against the vendored CRD
schemas in SCHEMAS_DIR (`<kind>.<group>-<version>.json`). A kind with neither is an error.
Prints one JSON object: {"objects": [every object, as JSON], "errors": ["Kind/name: ..."]}.
It is not a test module (pytest does not collect it): PyYAML, jsonschema and
kubernetes-validate live in .venv-tools, not in the services' environment.
"""

import json
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml


def crd_schemas(schemas_dir: Path) -> dict[tuple[str, str], dict]:
    schemas = {}
    for path in schemas_dir.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        props = schema["properties"]
        schemas[(props["apiVersion"]["const"], props["kind"]["const"])] = schema
    return schemas


def problems(obj: dict, schemas: dict, version: str) -> list[str]:
    schema = schemas.get((obj["apiVersion"], obj["kind"]))
    if schema is not None:
        validator = jsonschema.Draft202012Validator(schema)
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in validator.iter_errors(obj)]
    try:
        kubernetes_validate.validate(obj, version, strict=True)
    except kubernetes_validate.ValidationError as error:
        return [f"{'/'.join(map(str, error.path))}: {error.message}"]
    except kubernetes_validate.SchemaNotFoundError:
        return [f"no schema for {obj['apiVersion']} {obj['kind']} (neither Kubernetes "
                f"{version} nor a vendored CRD schema)"]
    return []


def main(rendered: str, schemas_dir: str, version: str) -> None:
    schemas = crd_schemas(Path(schemas_dir))
    objects = [obj for obj in yaml.safe_load_all(Path(rendered).read_text(encoding="utf-8"))
               if obj]
    errors = [f"{obj['kind']}/{obj['metadata']['name']}: {problem}"
              for obj in objects for problem in problems(obj, schemas, version)]
    print(json.dumps({"objects": objects, "errors": errors}))


if __name__ == "__main__":
    main(*sys.argv[1:])
