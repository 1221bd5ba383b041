"""Writes the JSON Schema of every event, their index, and any missing sample.

    python -m liandong_contracts.export            # write
    python -m liandong_contracts.export --check    # list differences, exit 1 if any

Schemas and `index.json` are generated and rewritten; a sample is written only when
its file is missing, because committed samples are hand-reviewed fixtures.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from liandong_contracts.envelope import Event
from liandong_contracts.registry import ALL_EVENTS
from liandong_contracts.samples import samples

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schemas"
SAMPLE_DIR = ROOT / "samples"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def dumps(data: Any, *, sort_keys: bool = True) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n"


def schema_path(model: type[Event]) -> Path:
    return SCHEMA_DIR / f"{model.subject()}.json"


def sample_path(model: type[Event]) -> Path:
    return SAMPLE_DIR / f"{model.subject()}.json"


def schema_of(model: type[Event]) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = f"{model.subject()}.json"
    schema["title"] = f"{model.__name__} v{model.version()} ({model.subject()})"
    return schema


def index() -> dict[str, Any]:
    return {
        model.subject(): {
            "model": f"{model.__module__}.{model.__qualname__}",
            "producer": model.producer,
            "type": model.event_name(),
            "version": model.version(),
            "schema": f"{model.subject()}.json",
        }
        for model in ALL_EVENTS
    }


def generated() -> dict[Path, str]:
    """Every generated file and its text."""
    files = {schema_path(model): dumps(schema_of(model)) for model in ALL_EVENTS}
    files[SCHEMA_DIR / "index.json"] = dumps(index())
    return files


def missing_samples() -> dict[Path, str]:
    built = {sample_path(type(event)): event for event in samples()}
    return {
        path: dumps(event.model_dump(mode="json"), sort_keys=False)
        for path, event in built.items()
        if not path.exists()
    }


def differences() -> list[str]:
    found = [
        f"{'missing' if not path.exists() else 'differs'}: {path.relative_to(ROOT)}"
        for path, text in generated().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    found += [f"stale: {path.relative_to(ROOT)}" for path in stale()]
    found += [f"missing sample: {path.relative_to(ROOT)}" for path in missing_samples()]
    return found


def stale() -> list[Path]:
    """Schema files that no model generates any more."""
    return sorted(set(SCHEMA_DIR.glob("*.json")) - set(generated()))


def write() -> None:
    for directory in (SCHEMA_DIR, SAMPLE_DIR):
        directory.mkdir(exist_ok=True)
    for path in stale():
        path.unlink()
        print(f"removed {path.relative_to(ROOT)}")
    for path, text in {**generated(), **missing_samples()}.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m liandong_contracts.export")
    parser.add_argument("--check", action="store_true", help="list differences, write nothing")
    if not parser.parse_args(argv).check:
        write()
        return 0
    found = differences()
    for line in found:
        print(line)
    if found:
        print("run `python -m liandong_contracts.export` and commit the result", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
