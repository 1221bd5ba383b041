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
    HANDOVERS_CSV,
    HANDOVERS_HEADER,
    MATTERS_CSV,
    ORGANISATIONS_CSV,
    load_reference_data,
    parse,
    read_files,
)
from liandong_runtime.refdata.model import Matter, ReferenceData
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
    organisations, matters, handovers = read_files(args.organisations, args.matters,
                                                   args.handovers)
    data = parse(organisations, matters, handovers)
    contents = {ORGANISATIONS_CSV: organisations.content, MATTERS_CSV: matters.content,
                # no --handovers: no per-township dates, not the old ones of the folder
                HANDOVERS_CSV: handovers.content if handovers else HANDOVERS_HEADER}
    try:
        install(args.into, contents)
    except OSError as error:
        print(f"cannot write into {args.into}: {error}", file=sys.stderr)
        return FAILED
    print(f"imported into {args.into}\n{summary(data)}")
    return 0


def summary(data: ReferenceData) -> str:
    """Counts of organisations by kind and of matters by hand-over date (and place)."""
    kinds = Counter(org.kind for org in data.directory)
    same_everywhere = [matter for matter in data.catalogue if not matter.township_handovers]
    per_township = [matter for matter in data.catalogue if matter.township_handovers]
    handovers = Counter(matter.handover_date for matter in same_everywhere)
    lines = [f"organisations: {len(data.directory)}"]
    lines += [f"  {kind}: {kinds[kind]}" for kind in OrgKind if kinds[kind]]
    lines.append(f"matters: {len(data.catalogue)}")
    lines += [
        f"  handed over to the townships on {day.isoformat()}: {handovers[day]}"
        for day in sorted(day for day in handovers if day is not None)
    ]
    lines.append(f"  never handed over (kept by the departments): {handovers[None]}")
    if per_township:
        lines.append(f"  handed over on dates that differ by township (handovers.csv): "
                     f"{len(per_township)}")
        lines += [_per_township(matter) for matter in per_township]
    return "\n".join(lines)


def _per_township(matter: Matter) -> str:
    default = matter.handover_date.isoformat() if matter.handover_date else "never"
    places = ", ".join(f"{township} {day.isoformat() if day else 'never'}"
                       for township, day in matter.township_handovers)
    return f"    {matter.code}: {places}; elsewhere: {default}"


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
    load = commands.add_parser("import", help="validate the CSV files and copy them into DIR")
    load.add_argument("--organisations", type=Path, required=True, metavar="FILE.csv")
    load.add_argument("--matters", type=Path, required=True, metavar="FILE.csv")
    load.add_argument("--handovers", type=Path, metavar="FILE.csv",
                      help="per-township hand-over dates; without it DIR gets none")
    load.add_argument("--into", type=Path, required=True, metavar="DIR")
    load.set_defaults(run=_import)
    return parser
