"""District reference data: the sample, ownership as of a date, validation and the CLI."""

from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_runtime.refdata import (
    Catalogue,
    Directory,
    Matter,
    Organisation,
    Problem,
    RefDataError,
    ReferenceData,
    UnknownMatter,
    UnknownOrganisation,
    default_dir,
    load_reference_data,
)
from liandong_runtime.refdata.cli import main

pytestmark = pytest.mark.unit

HANDOVER = date(2025, 7, 1)
ROAD = Matter(
    "M-URB-001", "对擅自占用城市道路的处罚", "dept-urban", "《城市道路管理条例》第四十二条",
    handover_date=HANDOVER,
)
PERMITS = Matter(
    "M-ENV-005", "对未依法取得排污许可证排放污染物的处罚", "dept-ecology",
    "《排污许可管理条例》第三十三条",
)
CATALOGUE = Catalogue([ROAD, PERMITS])

ORGS = """id,kind,name,parent_id,liaison_person,liaison_phone
district-gov,district_government,示例区人民政府,,,
town-hexi,township,河西镇人民政府,,李明,0000-0000011
street-dongguan,street_office,东关街道办事处,,,
dept-urban,department,示例区城市管理局,,沈丽萍,0000-0000035
dept-market,department,示例区市场监督管理局,,陈晓燕,0000-0000031
unit-market-hexi,dispatched_unit,河西市场监督管理所,dept-market,,
court,court,示例区人民法院,,,
"""
MATTERS = """code,name,department_id,legal_basis,handover_date,unit_may_act_in_own_name
M-URB-001,对擅自占用城市道路的处罚,dept-urban,《城市道路管理条例》第四十二条,2024-01-01,false
M-MKT-004,对食品摊贩未办理登记卡从事食品经营的处罚,dept-market,《示例省条例》第四十二条,,true
"""


@cache
def sample() -> ReferenceData:
    return load_reference_data(default_dir())


def write(folder: Path, organisations: str = ORGS, matters: str = MATTERS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "organisations.csv").write_text(organisations, encoding="utf-8")
    (folder / "matters.csv").write_text(matters, encoding="utf-8")
    return folder


def problems_in(folder: Path) -> tuple[Problem, ...]:
    with pytest.raises(RefDataError) as raised:
        load_reference_data(folder)
    return raised.value.problems


def where(problems: tuple[Problem, ...]) -> list[tuple[str, int | None, str | None]]:
    return [(Path(problem.file).name, problem.line, problem.column) for problem in problems]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# The shipped sample


def test_the_shipped_sample_district_loads_without_problems():
    data = sample()

    assert len(data.directory.townships()) == 7
    assert len(data.directory.departments()) == 11
    assert data.directory.district_government().id == "district-gov"
    assert {org.id for org in data.directory.judicial_organs()} == {
        "police-bureau", "procuratorate", "court"
    }
    assert 30 <= len(data.catalogue) <= 40


def test_the_shipped_sample_says_it_is_sample_data():
    assert "SAMPLE" in (default_dir() / "README.md").read_text(encoding="utf-8")


def test_every_department_of_the_sample_names_a_liaison_person():
    assert all(org.liaison_person for org in sample().directory.departments())


# JUR-1: ownership as of a date


@pytest.mark.rule("JUR-1")
def test_a_handed_over_matter_belongs_to_its_department_the_day_before_the_hand_over():
    assert CATALOGUE.owner_as_of("M-URB-001", HANDOVER - timedelta(days=1), "town-hexi") == (
        "dept-urban"
    )


@pytest.mark.rule("JUR-1")
def test_a_handed_over_matter_belongs_to_the_township_of_the_violation_on_the_hand_over_day():
    assert CATALOGUE.owner_as_of("M-URB-001", HANDOVER, "town-hexi") == "town-hexi"


@pytest.mark.rule("JUR-1")
def test_a_handed_over_matter_belongs_to_the_township_of_the_violation_after_the_hand_over():
    assert CATALOGUE.owner_as_of("M-URB-001", date(2026, 3, 2), "street-dongguan") == (
        "street-dongguan"
    )


@pytest.mark.rule("JUR-1")
def test_a_matter_never_handed_over_always_belongs_to_its_department():
    assert CATALOGUE.owner_as_of("M-ENV-005", date(2030, 1, 1), "town-hexi") == "dept-ecology"
    assert not CATALOGUE.is_handed_over("M-ENV-005", date(2030, 1, 1))


@pytest.mark.rule("JUR-1")
@given(on=st.dates())
def test_a_matter_is_handed_over_exactly_from_its_hand_over_date(on):
    assert CATALOGUE.is_handed_over("M-URB-001", on) == (on >= HANDOVER)


@pytest.mark.rule("JUR-1")
def test_the_owner_of_a_sample_matter_resolves_to_an_organisation():
    owner = sample().owner_of("M-URB-001", date(2024, 1, 1), "town-hexi")

    assert owner.ref() == OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇人民政府")


def test_the_locality_of_a_violation_must_be_a_township():
    with pytest.raises(ValueError, match="not a township"):
        sample().owner_of("M-URB-001", date(2024, 1, 1), "dept-urban")


def test_an_unknown_matter_is_a_clear_error():
    with pytest.raises(UnknownMatter, match="'M-XXX-999'"):
        CATALOGUE.matter("M-XXX-999")


def test_an_unknown_organisation_is_a_clear_error():
    directory = Directory([Organisation("district-gov", OrgKind.DISTRICT_GOVERNMENT, "区政府")])

    with pytest.raises(UnknownOrganisation, match="'town-nowhere'"):
        directory.get("town-nowhere")


# REF-8: units act in their own name only where the legal basis allows it


@pytest.mark.rule("REF-8")
def test_a_dispatched_unit_acts_in_its_own_name_where_the_legal_basis_allows_it():
    assert sample().may_act_in_own_name("unit-market-hexi", "M-MKT-004")


@pytest.mark.rule("REF-8")
def test_a_dispatched_unit_does_not_act_in_its_own_name_where_the_legal_basis_is_silent():
    assert not sample().may_act_in_own_name("unit-market-hexi", "M-MKT-001")


@pytest.mark.rule("REF-8")
def test_departments_and_townships_always_act_in_their_own_name():
    assert sample().may_act_in_own_name("dept-urban", "M-URB-001")
    assert sample().may_act_in_own_name("town-hexi", "M-URB-001")


# Validation: every problem names the file, the line and the column

ONE_PROBLEM = [
    ("organisations", ORGS.replace("town-hexi,township", "town-hexi,village"),
     ("organisations.csv", 3, "kind"), "unknown kind 'village'"),
    ("organisations", ORGS + "town-hexi,township,又一个河西镇,,,\n",
     ("organisations.csv", 9, "id"), "duplicate id 'town-hexi': already defined on line 3"),
    ("organisations", ORGS.replace(",dept-market,,", ",dept-nowhere,,"),
     ("organisations.csv", 7, "parent_id"), "'dept-nowhere' is not an organisation"),
    ("organisations", ORGS.replace(",dept-market,,", ",,,"),
     ("organisations.csv", 7, "parent_id"), "names its parent"),
    ("organisations", ORGS.replace(",示例区人民法院,,", ",示例区人民法院,dept-urban,"),
     ("organisations.csv", 8, "parent_id"), "only internal, affiliated and dispatched units"),
    ("organisations", ORGS + "gov-2,district_government,另一个区人民政府,,,\n",
     ("organisations.csv", 9, "kind"), "exactly one is allowed"),
    ("organisations", ORGS.replace("沈丽萍,0000-0000035", ","),
     ("organisations.csv", 5, "liaison_person"), "liaison person (JNT-2)"),
    ("organisations", ORGS.replace("town-hexi,", "Town_Hexi,", 1),
     ("organisations.csv", 3, "id"), "not a valid organisation id"),
    ("organisations", ORGS.replace(",示例区人民法院,", ",,"),
     ("organisations.csv", 8, "name"), "is empty"),
    ("matters", MATTERS.replace("dept-urban,", "town-hexi,"),
     ("matters.csv", 2, "department_id"), "'town-hexi' is a township, not a department"),
    ("matters", MATTERS.replace("dept-urban,", "dept-nowhere,"),
     ("matters.csv", 2, "department_id"), "'dept-nowhere' is not an organisation"),
    ("matters", MATTERS.replace("2024-01-01", "2024-02-30"),
     ("matters.csv", 2, "handover_date"), "'2024-02-30' is not a date"),
    ("matters", MATTERS.replace("2024-01-01", "01/01/2024"),
     ("matters.csv", 2, "handover_date"), "YYYY-MM-DD"),
    ("matters", MATTERS.replace(",true", ",perhaps"),
     ("matters.csv", 3, "unit_may_act_in_own_name"), "'perhaps' is not a yes/no value"),
    ("matters", MATTERS + "M-URB-001,重复的事项,dept-urban,依据,,\n",
     ("matters.csv", 4, "code"), "duplicate code 'M-URB-001': already defined on line 2"),
    ("matters", MATTERS.replace("handover_date,", ""),
     ("matters.csv", 1, "handover_date"), "column missing from the header"),
]


@pytest.mark.parametrize(("edited", "text", "place", "message"), ONE_PROBLEM)
def test_a_problem_names_its_file_line_and_column(tmp_path, edited, text, place, message):
    problems = problems_in(write(tmp_path, **{edited: text}))

    assert where(problems) == [place]
    assert message in problems[0].message
    assert f"{place[0]}, line {place[1]}, column {place[2]}: " in str(problems[0])


def test_a_directory_without_a_district_government_is_refused(tmp_path):
    organisations = ORGS.replace("district_government", "judicial_organ")

    problems = problems_in(write(tmp_path, organisations=organisations))

    assert where(problems) == [("organisations.csv", None, "kind")]
    assert "no district government" in problems[0].message


def test_a_row_with_the_wrong_number_of_cells_is_refused(tmp_path):
    problems = problems_in(write(tmp_path, matters=MATTERS + "M-X-1,名称\n"))

    assert where(problems) == [("matters.csv", 4, None)]
    assert "has 2 cells, the header has 6" in problems[0].message


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    write(tmp_path)
    (tmp_path / "matters.csv").write_bytes(MATTERS.encode("gbk"))

    assert where(problems_in(tmp_path)) == [("matters.csv", 2, None)]


def test_a_missing_file_is_refused(tmp_path):
    write(tmp_path)
    (tmp_path / "matters.csv").unlink()

    assert where(problems_in(tmp_path)) == [("matters.csv", None, None)]
    assert "cannot be read" in problems_in(tmp_path)[0].message


def test_all_problems_of_both_files_are_reported_together(tmp_path):
    organisations = ORGS.replace("town-hexi,township", "town-hexi,village").replace(
        ",dept-market,,", ",dept-nowhere,,"
    )
    matters = MATTERS.replace("2024-01-01,false", "someday,false").replace(",true", ",perhaps")

    problems = problems_in(write(tmp_path, organisations, matters))

    assert where(problems) == [
        ("organisations.csv", 3, "kind"),
        ("organisations.csv", 7, "parent_id"),
        ("matters.csv", 2, "handover_date"),
        ("matters.csv", 3, "unit_may_act_in_own_name"),
    ]
    assert str(RefDataError(problems)).startswith("4 problems in the reference data:")


# The command line


def test_check_prints_counts_by_kind_and_hand_over(tmp_path, capsys):
    assert main(["check", str(write(tmp_path))]) == 0

    out = capsys.readouterr().out
    assert "organisations: 7" in out
    assert "  township: 1\n  street_office: 1\n  department: 2\n" in out
    assert "matters: 2" in out
    assert "handed over to the townships on 2024-01-01: 1" in out
    assert "never handed over (kept by the departments): 1" in out


def test_check_of_invalid_data_prints_every_problem_and_exits_2(tmp_path, capsys):
    folder = write(tmp_path, matters=MATTERS.replace(",true", ",perhaps"))

    assert main(["check", str(folder)]) == 2
    assert "matters.csv, line 3, column unit_may_act_in_own_name" in capsys.readouterr().err


def test_import_of_bad_input_exits_2_and_leaves_the_folder_unchanged(tmp_path, capsys):
    into = write(tmp_path / "district")
    before = snapshot(into)
    source = write(tmp_path / "new", matters=MATTERS.replace("dept-urban,", "town-hexi,"))

    code = main(["import", "--organisations", str(source / "organisations.csv"),
                 "--matters", str(source / "matters.csv"), "--into", str(into)])

    assert code == 2
    assert snapshot(into) == before
    assert "'town-hexi' is a township, not a department" in capsys.readouterr().err


def test_import_of_bad_input_does_not_create_the_folder(tmp_path):
    source = write(tmp_path / "new", organisations=ORGS.replace("township", "village"))

    main(["import", "--organisations", str(source / "organisations.csv"),
          "--matters", str(source / "matters.csv"), "--into", str(tmp_path / "district")])

    assert not (tmp_path / "district").exists()


def test_import_of_good_input_replaces_the_files(tmp_path):
    into = write(tmp_path / "district", matters=MATTERS.replace("2024-01-01", "2025-07-01"))
    source = write(tmp_path / "new")

    code = main(["import", "--organisations", str(source / "organisations.csv"),
                 "--matters", str(source / "matters.csv"), "--into", str(into)])

    assert code == 0
    assert snapshot(into) == snapshot(source)
    assert load_reference_data(into).catalogue.matter("M-URB-001").handover_date == date(2024, 1, 1)
