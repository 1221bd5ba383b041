"""The official working-day calendar as data: the operators' TOML file and python-holidays.

The file holds one table a year, `[years.2026]`, with `source` (the State Council
notice), `holidays` (days off) and `workdays` (调休: weekend days that are working days),
as TOML local dates. Every entry is checked when the file is read; a bad one raises
ValueError naming the file, the year and the entry (ESC-2).
"""

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import holidays

YEAR_KEYS = frozenset({"source", "holidays", "workdays"})
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@dataclass(frozen=True)
class YearTable:
    """One year of the calendar: its days off and its make-up working days."""

    holidays: frozenset[date]
    workdays: frozenset[date]


def read_data_file(path: Path) -> dict[int, YearTable]:
    """Every year the operators' file lists, checked entry by entry."""
    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    years = document.get("years")
    if not isinstance(years, dict) or set(document) != {"years"}:
        raise ValueError(f"{path}: expected [years.YYYY] tables and nothing else")
    return {_year(path, key): _year_table(path, key, table) for key, table in years.items()}


def library_year(year: int) -> YearTable:
    """What python-holidays says of one year (by rule where it lacks the notice)."""
    china = holidays.China(years=year)
    workdays = frozenset(day for day in china.weekend_workdays if day.year == year)
    return YearTable(frozenset(china), workdays)


def _year(path: Path, key: str) -> int:
    if not (len(key) == 4 and key.isdigit()):
        raise ValueError(f"{path}: [years.{key}] is not a four-digit year")
    return int(key)


def _year_table(path: Path, key: str, table: Any) -> YearTable:
    where = f"{path}: [years.{key}]"
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table")
    if set(table) != YEAR_KEYS:
        raise ValueError(f"{where} has keys {sorted(table)}; expected {sorted(YEAR_KEYS)}")
    if not isinstance(table["source"], str) or not table["source"].strip():
        raise ValueError(f"{where}: source must name the State Council notice")
    days_off = _dates(where, "holidays", table["holidays"], int(key))
    workdays = _dates(where, "workdays", table["workdays"], int(key))
    _check_consistent(where, days_off, workdays)
    return YearTable(days_off, workdays)


def _check_consistent(where: str, days_off: frozenset[date], workdays: frozenset[date]) -> None:
    if both := sorted(days_off & workdays):
        raise ValueError(f"{where}: {both[0]} is listed both in holidays and in workdays")
    if weekdays := sorted(day for day in workdays if day.weekday() < 5):
        name = WEEKDAY_NAMES[weekdays[0].weekday()]
        raise ValueError(f"{where}: workdays entry {weekdays[0]} is a {name}, not a weekend day")


def _dates(where: str, key: str, entries: Any, year: int) -> frozenset[date]:
    if not isinstance(entries, list):
        raise ValueError(f"{where}: {key} must be a list of dates like {year}-10-01")
    seen: set[date] = set()
    for entry in entries:
        if type(entry) is not date:
            raise ValueError(f"{where}: {key} entry {entry!r} is not a date like {year}-10-01")
        if entry.year != year:
            raise ValueError(f"{where}: {key} entry {entry} lies outside {year}")
        if entry in seen:
            raise ValueError(f"{where}: {key} lists {entry} twice")
        seen.add(entry)
    return frozenset(seen)
