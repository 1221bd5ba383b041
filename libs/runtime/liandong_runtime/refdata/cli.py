"""`liandong-refdata`: check a reference-data folder, or import new CSV files into one.

Exit codes: 0 valid (and imported); 2 invalid input, every problem printed to stderr;
1 the valid files could not be written.
"""

import argparse
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.load import (
    MATTERS_CSV,
    ORGANISATIONS_CSV,
    load_reference_data,
    parse,
    read_files,
)
from liandong_runtime.refdata.model import ReferenceData
from liandong_runtime.refdata.problems import RefDataError

INVALID = 2
FAILED = 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except RefDataError as error:
        print(error, file=sys.stderr)
        return INVALID


def _check(args: argparse.Namespace) -> int:
    print(f"{args.dir}: valid\n{summary(load_reference_data(args.dir))}")
    return 0


def _import(args: argparse.Namespace) -> int:
    organisations, matters = read_files(args.organisations, args.matters)
    data = parse(organisations, matters)
    try:
        install(args.into, {ORGANISATIONS_CSV: organisations.content, MATTERS_CSV: matters.content})
    except OSError as error:
        print(f"cannot write into {args.into}: {error}", file=sys.stderr)
        return FAILED
    print(f"imported into {args.into}\n{summary(data)}")
    return 0


def summary(data: ReferenceData) -> str:
    """Counts of organisations by kind and of matters by hand-over date."""
    kinds = Counter(org.kind for org in data.directory)
    handovers = Counter(matter.handover_date for matter in data.catalogue)
    lines = [f"organisations: {len(data.directory)}"]
    lines += [f"  {kind}: {kinds[kind]}" for kind in OrgKind if kinds[kind]]
    lines.append(f"matters: {len(data.catalogue)}")
    lines += [
        f"  handed over to the townships on {day.isoformat()}: {handovers[day]}"
        for day in sorted(day for day in handovers if day is not None)
    ]
    lines.append(f"  never handed over (kept by the departments): {handovers[None]}")
    return "\n".join(lines)


def install(into: Path, contents: dict[str, bytes]) -> None:
    """Write every file to a temporary name in `into`, then rename each over its target."""
    into.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, Path]] = []
    try:
        for name, content in contents.items():
            handle, temporary = tempfile.mkstemp(dir=into, prefix=f".{name}.", suffix=".tmp")
            written.append((Path(temporary), into / name))
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)
        for temporary, target in written:
            os.replace(temporary, target)
    finally:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="liandong-refdata", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="validate a reference-data folder")
    check.add_argument("dir", type=Path, metavar="DIR")
    check.set_defaults(run=_check)
    load = commands.add_parser("import", help="validate two CSV files and copy them into DIR")
    load.add_argument("--organisations", type=Path, required=True, metavar="FILE.csv")
    load.add_argument("--matters", type=Path, required=True, metavar="FILE.csv")
    load.add_argument("--into", type=Path, required=True, metavar="DIR")
    load.set_defaults(run=_import)
    return parser
