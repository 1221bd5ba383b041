"""Load a reference-data folder (organisations.csv, matters.csv and, if present,
handovers.csv) and validate all of it.

Every problem is collected and raised together in one `RefDataError`, each naming the file,
the line (the header is line 1), the column and what is wrong.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from liandong_runtime.refdata.checks import check_handovers, check_matters, check_organisations
from liandong_runtime.refdata.model import Catalogue, Directory, Matter, ReferenceData
from liandong_runtime.refdata.problems import Problem, RefDataError
from liandong_runtime.refdata.rows import HandoverRow, MatterRow, OrganisationRow, Row, Table

ORGANISATIONS_CSV = "organisations.csv"
MATTERS_CSV = "matters.csv"
HANDOVERS_CSV = "handovers.csv"  # optional: per-township hand-over dates (JUR-1)
HANDOVERS_HEADER = b"matter_code,township_id,handover_date\n"


@dataclass(frozen=True, slots=True)
class CsvFile:
    """The bytes of one CSV file and the name under which its problems are reported."""

    name: str
    content: bytes


def read_files(
    organisations: Path | str, matters: Path | str, handovers: Path | str | None = None
) -> tuple[CsvFile, CsvFile, CsvFile | None]:
    paths = [organisations, matters] + ([handovers] if handovers is not None else [])
    files, problems = [], []
    for path in paths:
        try:
            files.append(CsvFile(str(path), Path(path).read_bytes()))
        except OSError as error:
            problems.append(Problem(str(path), f"cannot be read: {error.strerror or error}"))
    if problems:
        raise RefDataError(problems)
    return files[0], files[1], files[2] if handovers is not None else None


def load_reference_data(folder: Path | str) -> ReferenceData:
    """Load `organisations.csv`, `matters.csv` and, if the folder has it, `handovers.csv`."""
    folder = Path(folder)
    handovers = folder / HANDOVERS_CSV
    return load_files(folder / ORGANISATIONS_CSV, folder / MATTERS_CSV,
                      handovers if handovers.exists() else None)


def load_files(organisations: Path | str, matters: Path | str,
               handovers: Path | str | None = None) -> ReferenceData:
    return parse(*read_files(organisations, matters, handovers))


def parse(organisations: CsvFile, matters: CsvFile,
          handovers: CsvFile | None = None) -> ReferenceData:
    """Validate the files together; raise `RefDataError` with every problem found."""
    orgs, mats = read_table(organisations, OrganisationRow), read_table(matters, MatterRow)
    hands = read_table(handovers or CsvFile(HANDOVERS_CSV, HANDOVERS_HEADER), HandoverRow)
    problems = orgs.problems + mats.problems + hands.problems
    if orgs.readable:
        problems += check_organisations(orgs)
    if orgs.readable and mats.readable:
        problems += check_matters(mats, orgs)
    if orgs.readable and mats.readable and hands.readable:
        problems += check_handovers(hands, mats, orgs)
    if problems:
        order = [organisations.name, matters.name, hands.file]
        raise RefDataError(sorted(problems, key=lambda p: (order.index(p.file), p.line or 0)))
    return ReferenceData(
        Directory(row.to_domain() for _, row in orgs.rows),
        Catalogue(_matters(mats, hands)),
    )


def _matters(matters: Table[MatterRow], handovers: Table[HandoverRow]) -> list[Matter]:
    """Each matter with its per-township hand-over dates, in the order of handovers.csv."""
    by_code: dict[str, list[tuple[str, date | None]]] = {}
    for _, row in handovers.rows:
        by_code.setdefault(row.matter_code, []).append((row.township_id, row.handover_date))
    return [row.to_domain(tuple(by_code.get(row.code, ()))) for _, row in matters.rows]


def read_table(file: CsvFile, model: type[Row]) -> Table[Row]:
    """Every row of `file` with its line number, validated against `model`."""
    table: Table[Row] = Table(file.name)
    try:
        text = file.content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = file.content[: error.start].count(b"\n") + 1
        table.problems.append(Problem(file.name, "is not UTF-8; save it as CSV UTF-8", line))
        table.readable = False
        return table
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
        table.problems += _header_problems(file.name, header, list(model.model_fields))
        table.readable = not table.problems
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if table.readable and any(cell.strip() for cell in cells):
                _read_row(table, model, start, header, cells)
    except csv.Error as error:
        table.problems.append(Problem(file.name, f"is not valid CSV: {error}", reader.line_num))
        table.readable = False
    return table


def _read_row(
    table: Table[Row], model: type[Row], line: int, header: list[str], cells: list[str]
) -> None:
    if len(cells) != len(header):
        message = f"has {len(cells)} cells, the header has {len(header)}"
        table.problems.append(Problem(table.file, message, line))
        return
    named = dict(zip(header, cells, strict=True))
    table.cells.append((line, named))
    try:
        table.rows.append((line, model.model_validate(named)))
    except ValidationError as error:
        table.problems += [
            Problem(table.file, detail["msg"], line, str(detail["loc"][0]))
            for detail in error.errors()
        ]


def _header_problems(file: str, header: list[str], columns: list[str]) -> list[Problem]:
    expected = f"the header names the columns {','.join(columns)}, in any order"
    if not header:
        return [Problem(file, f"is empty; {expected}", 1)]
    problems = [
        Problem(file, f"column missing from the header; {expected}", 1, name)
        for name in columns
        if name not in header
    ]
    for index, name in enumerate(header):
        if name not in columns:
            problems.append(Problem(file, f"unknown column; {expected}", 1, name or "(blank)"))
        elif name in header[:index]:
            problems.append(Problem(file, "column named twice in the header", 1, name))
    return problems
