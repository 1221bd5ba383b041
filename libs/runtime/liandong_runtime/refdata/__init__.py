"""District reference data: the organisations (directory) and the enforcement catalogue (清单).

Rules: JUR-1 (ownership as of a date and a place, with per-township hand-over dates), REF-8
(units and their own name), JNT-2 (liaisons).
"""

from pathlib import Path

from liandong_runtime.refdata.load import (
    HANDOVERS_CSV,
    MATTERS_CSV,
    ORGANISATIONS_CSV,
    CsvFile,
    load_files,
    load_reference_data,
    parse,
    read_files,
)
from liandong_runtime.refdata.model import (
    Catalogue,
    Directory,
    Matter,
    Organisation,
    ReferenceData,
    UnknownMatter,
    UnknownOrganisation,
)
from liandong_runtime.refdata.problems import Problem, RefDataError


def default_dir() -> Path:
    """The sample district shipped with the repository: `<repo>/data/district/`."""
    return Path(__file__).resolve().parents[4] / "data" / "district"


__all__ = [
    "HANDOVERS_CSV",
    "MATTERS_CSV",
    "ORGANISATIONS_CSV",
    "Catalogue",
    "CsvFile",
    "Directory",
    "Matter",
    "Organisation",
    "Problem",
    "RefDataError",
    "ReferenceData",
    "UnknownMatter",
    "UnknownOrganisation",
    "default_dir",
    "load_files",
    "load_reference_data",
    "parse",
    "read_files",
]
