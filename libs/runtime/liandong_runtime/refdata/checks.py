"""Checks across rows and files: duplicates, parents, owners, one district government, and
hand-overs to townships that exist, of matters that exist."""

from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.problems import Problem
from liandong_runtime.refdata.rows import HandoverRow, MatterRow, OrganisationRow, Table

PARENT_KINDS = frozenset(
    {OrgKind.DEPARTMENT, OrgKind.TOWNSHIP, OrgKind.STREET_OFFICE, OrgKind.PUBLIC_SECURITY,
     OrgKind.PROCURATORATE, OrgKind.COURT}
)


def duplicates(table: Table, column: str) -> list[Problem]:
    """A problem for every repetition of a key, whether or not the rest of its row is valid."""
    first: dict[str, int] = {}
    problems = []
    for line, key in table.keys(column):
        if key in first:
            message = f"duplicate {column} {key!r}: already defined on line {first[key]}"
            problems.append(Problem(table.file, message, line, column))
        first.setdefault(key, line)
    return problems


def valid_by_id(orgs: Table[OrganisationRow]) -> dict[str, OrganisationRow]:
    """The valid organisation rows by id; the first wins where an id repeats."""
    by_id: dict[str, OrganisationRow] = {}
    for _, row in orgs.rows:
        by_id.setdefault(row.id, row)
    return by_id


def check_organisations(orgs: Table[OrganisationRow]) -> list[Problem]:
    problems = duplicates(orgs, "id")
    known = {key for _, key in orgs.keys("id")}
    by_id = valid_by_id(orgs)
    for line, row in orgs.rows:
        for message in _parent_problems(row, known, by_id):
            problems.append(Problem(orgs.file, message, line, "parent_id"))
        if row.kind is OrgKind.DEPARTMENT and row.liaison_person is None:
            message = "a department names a joint-enforcement liaison person (JNT-2)"
            problems.append(Problem(orgs.file, message, line, "liaison_person"))
    return problems + _exactly_one_government(orgs) + _some_township(orgs)


def _parent_problems(
    row: OrganisationRow, known: set[str], by_id: dict[str, OrganisationRow]
) -> list[str]:
    if row.kind.is_unit and row.parent_id is None:
        return [f"a {row.kind} names its parent, the body in whose name it acts"]
    if not row.kind.is_unit and row.parent_id is not None:
        return [f"only internal, affiliated and dispatched units have a parent, not a {row.kind}"]
    if row.parent_id is None:
        return []
    if row.parent_id not in known:
        return [f"parent {row.parent_id!r} is not an organisation of this file"]
    parent = by_id.get(row.parent_id)
    if parent is not None and parent.kind not in PARENT_KINDS:
        return [f"parent {row.parent_id!r} is a {parent.kind}; a unit belongs to a "
                "department, township, street office or judicial organ"]
    return []


def _exactly_one_government(orgs: Table[OrganisationRow]) -> list[Problem]:
    lines = [line for line, row in orgs.rows if row.kind is OrgKind.DISTRICT_GOVERNMENT]
    if not lines:
        message = "no district government (kind district_government); exactly one is required"
        return [Problem(orgs.file, message, None, "kind")]
    message = f"a second district government; exactly one is allowed (see line {lines[0]})"
    return [Problem(orgs.file, message, line, "kind") for line in lines[1:]]


def _some_township(orgs: Table[OrganisationRow]) -> list[Problem]:
    if any(row.kind.is_township for _, row in orgs.rows):
        return []
    message = "no township or street office; matters are handed over to townships"
    return [Problem(orgs.file, message, None, "kind")]


def check_matters(matters: Table[MatterRow], orgs: Table[OrganisationRow]) -> list[Problem]:
    problems = duplicates(matters, "code")
    known = {key for _, key in orgs.keys("id")}
    by_id = valid_by_id(orgs)
    for line, row in matters.rows:
        owner = by_id.get(row.department_id)
        if row.department_id not in known:
            message = f"{row.department_id!r} is not an organisation of {orgs.file}"
        elif owner is not None and owner.kind is not OrgKind.DEPARTMENT:
            message = f"{row.department_id!r} is a {owner.kind}, not a department"
        else:
            continue
        problems.append(Problem(matters.file, message, line, "department_id"))
    return problems


def check_handovers(handovers: Table[HandoverRow], matters: Table[MatterRow],
                    orgs: Table[OrganisationRow]) -> list[Problem]:
    """JUR-1: each row names a matter of the catalogue and a township or street office, once."""
    problems = _duplicate_pairs(handovers)
    codes = {key for _, key in matters.keys("code")}
    known = {key for _, key in orgs.keys("id")}
    by_id = valid_by_id(orgs)
    for line, row in handovers.rows:
        if row.matter_code not in codes:
            message = f"{row.matter_code!r} is not a matter of {matters.file}"
            problems.append(Problem(handovers.file, message, line, "matter_code"))
        township = by_id.get(row.township_id)
        if row.township_id not in known:
            message = f"{row.township_id!r} is not an organisation of {orgs.file}"
        elif township is not None and not township.kind.is_township:
            message = (f"{row.township_id!r} is a {township.kind}; matters are handed over to "
                       "townships and street offices")
        else:
            continue
        problems.append(Problem(handovers.file, message, line, "township_id"))
    return problems


def _duplicate_pairs(handovers: Table[HandoverRow]) -> list[Problem]:
    """One date per matter and township: a second row for the same pair is a problem."""
    first: dict[tuple[str, str], int] = {}
    problems = []
    for line, cells in handovers.cells:
        pair = (cells["matter_code"].strip(), cells["township_id"].strip())
        if not all(pair):
            continue
        if pair in first:
            message = (f"{pair[0]!r} already has a hand-over date for {pair[1]!r} "
                       f"on line {first[pair]}")
            problems.append(Problem(handovers.file, message, line, "township_id"))
        first.setdefault(pair, line)
    return problems
