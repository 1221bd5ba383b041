"""District reference data: the sample, ownership as of a date and a place (per-township
hand-over), validation and the CLI."""

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
# JUR-1: handed to the street office first, to 河西镇 later, never to 北山乡
DUST = Matter(
    "M-HSG-001", "对施工工地未采取防治扬尘污染措施的处罚", "dept-housing",
    "《中华人民共和国大气污染防治法》第一百一十五条",
    township_handovers=(("street-dongguan", HANDOVER), ("town-hexi", date(2026, 1, 1))),
)
# handed to every township by default, except 北山乡, which keeps it with the department
BBQ = Matter(
    "M-URB-007", "对露天烧烤的处罚", "dept-urban", "《中华人民共和国大气污染防治法》第一百一十八条",
    handover_date=HANDOVER, township_handovers=(("town-beishan", None),),
)
CATALOGUE = Catalogue([ROAD, PERMITS, DUST, BBQ])

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
HANDOVERS_HEADER = "matter_code,township_id,handover_date\n"
HANDOVERS = HANDOVERS_HEADER + """M-MKT-004,street-dongguan,2025-07-01
M-URB-001,town-hexi,
"""


@cache
def sample() -> ReferenceData:
    return load_reference_data(default_dir())


def write(folder: Path, organisations: str = ORGS, matters: str = MATTERS,
          handovers: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "organisations.csv").write_text(organisations, encoding="utf-8")
    (folder / "matters.csv").write_text(matters, encoding="utf-8")
    if handovers is not None:
        (folder / "handovers.csv").write_text(handovers, encoding="utf-8")
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


# JUR-1: hand-over per township or street office


@pytest.mark.rule("JUR-1")
def test_a_matter_handed_to_some_townships_belongs_to_each_from_its_own_date():
    assert CATALOGUE.owner_as_of("M-HSG-001", HANDOVER - timedelta(days=1),
                                 "street-dongguan") == "dept-housing"
    assert CATALOGUE.owner_as_of("M-HSG-001", HANDOVER, "street-dongguan") == "street-dongguan"
    assert CATALOGUE.owner_as_of("M-HSG-001", date(2025, 12, 31), "town-hexi") == "dept-housing"
    assert CATALOGUE.owner_as_of("M-HSG-001", date(2026, 1, 1), "town-hexi") == "town-hexi"


@pytest.mark.rule("JUR-1")
def test_a_township_without_its_own_date_keeps_the_default_of_the_matter():
    assert CATALOGUE.owner_as_of("M-HSG-001", date(2030, 1, 1), "town-beishan") == "dept-housing"
    assert CATALOGUE.owner_as_of("M-URB-007", date(2030, 1, 1), "town-hexi") == "town-hexi"


@pytest.mark.rule("JUR-1")
def test_a_township_listed_without_a_date_is_not_handed_the_matter_whatever_the_default():
    assert CATALOGUE.owner_as_of("M-URB-007", date(2030, 1, 1), "town-beishan") == "dept-urban"
    assert not CATALOGUE.is_handed_over("M-URB-007", date(2030, 1, 1), "town-beishan")


@pytest.mark.rule("JUR-1")
def test_a_hand_over_question_without_a_place_answers_by_the_default_date():
    """Old calls keep working: without a township, the matter's own (default) date."""
    assert CATALOGUE.is_handed_over("M-URB-007", HANDOVER)
    assert not CATALOGUE.is_handed_over("M-HSG-001", date(2030, 1, 1))
    assert CATALOGUE.is_handed_over("M-HSG-001", date(2030, 1, 1), "street-dongguan")


@pytest.mark.rule("JUR-1")
@given(on=st.dates(), township=st.sampled_from(["street-dongguan", "town-hexi", "town-beishan"]))
def test_the_owner_in_a_place_is_its_township_exactly_from_the_date_for_that_place(on, township):
    own = {"street-dongguan": HANDOVER, "town-hexi": date(2026, 1, 1)}.get(township)
    handed = own is not None and on >= own

    assert CATALOGUE.is_handed_over("M-HSG-001", on, township) == handed
    assert CATALOGUE.owner_as_of("M-HSG-001", on, township) == (
        township if handed else "dept-housing")


@pytest.mark.rule("JUR-1")
def test_the_sample_district_hands_one_matter_to_some_townships_only():
    data = sample()
    on = date(2026, 3, 2)
    owners = {town.id: data.owner_of("M-HSG-001", on, town.id).id
              for town in data.directory.townships()}

    assert owners == {"street-dongguan": "street-dongguan", "street-xicheng": "street-xicheng",
                      "street-nanmen": "street-nanmen", "town-hexi": "town-hexi",
                      "town-beishan": "dept-housing", "town-liuzhuang": "dept-housing",
                      "town-shiqiao": "dept-housing"}
    assert data.owner_of("M-HSG-001", date(2025, 12, 31), "town-hexi").id == "dept-housing"
    assert data.owner_of("M-HSG-001", date(2025, 6, 30), "street-dongguan").id == "dept-housing"


@pytest.mark.rule("JUR-1")
def test_handovers_csv_gives_a_matter_its_dates_per_township(tmp_path):
    data = load_reference_data(write(tmp_path, handovers=HANDOVERS))

    assert data.owner_of("M-MKT-004", date(2025, 7, 1), "street-dongguan").id == "street-dongguan"
    assert data.owner_of("M-MKT-004", date(2025, 7, 1), "town-hexi").id == "dept-market"
    assert data.owner_of("M-URB-001", date(2025, 7, 1), "town-hexi").id == "dept-urban"
    assert data.owner_of("M-URB-001", date(2025, 7, 1), "street-dongguan").id == "street-dongguan"


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


HANDOVER_PROBLEMS = [
    (HANDOVERS.replace("M-MKT-004,", "M-XXX-999,"),
     ("handovers.csv", 2, "matter_code"), "'M-XXX-999' is not a matter of"),
    (HANDOVERS.replace("street-dongguan", "dept-urban"),
     ("handovers.csv", 2, "township_id"), "'dept-urban' is a department; matters are handed"),
    (HANDOVERS.replace("street-dongguan", "town-nowhere"),
     ("handovers.csv", 2, "township_id"), "'town-nowhere' is not an organisation"),
    (HANDOVERS.replace("2025-07-01", "2025-02-30"),
     ("handovers.csv", 2, "handover_date"), "'2025-02-30' is not a date"),
    (HANDOVERS + "M-URB-001,town-hexi,2026-01-01\n",
     ("handovers.csv", 4, "township_id"), "already has a hand-over date for 'town-hexi' on line 3"),
    (HANDOVERS.replace("handover_date", "date"),
     ("handovers.csv", 1, "handover_date"), "column missing from the header"),
    (HANDOVERS.replace("M-MKT-004,", ","),
     ("handovers.csv", 2, "matter_code"), "is empty"),
]


@pytest.mark.rule("JUR-1")
@pytest.mark.parametrize(("text", "place", "message"), HANDOVER_PROBLEMS)
def test_a_handovers_problem_names_its_file_line_and_column(tmp_path, text, place, message):
    problems = problems_in(write(tmp_path, handovers=text))

    assert where(problems)[0] == place
    assert message in problems[0].message
    assert where(problems)[1:] == ([("handovers.csv", 1, "date")] if place[1] == 1 else [])


def test_a_folder_without_handovers_csv_has_no_per_township_dates(tmp_path):
    data = load_reference_data(write(tmp_path))

    assert all(matter.township_handovers == () for matter in data.catalogue)


def test_problems_of_all_three_files_are_reported_together_in_file_order(tmp_path):
    handovers = HANDOVERS.replace("street-dongguan", "dept-urban")
    matters = MATTERS.replace(",true", ",perhaps")

    problems = problems_in(write(tmp_path, ORGS.replace("township", "village"), matters,
                                 handovers))

    assert where(problems) == [
        ("organisations.csv", 3, "kind"),
        ("matters.csv", 3, "unit_may_act_in_own_name"),
        ("handovers.csv", 2, "township_id"),
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
    # without --handovers, no per-township dates: a header-only handovers.csv
    assert snapshot(into) == {**snapshot(source), "handovers.csv": HANDOVERS_HEADER.encode()}
    assert load_reference_data(into).catalogue.matter("M-URB-001").handover_date == date(2024, 1, 1)


def test_check_lists_the_matters_whose_hand_over_differs_by_township(tmp_path, capsys):
    assert main(["check", str(write(tmp_path, handovers=HANDOVERS))]) == 0

    out = capsys.readouterr().out
    assert "handed over on dates that differ by township (handovers.csv): 2" in out
    assert "    M-MKT-004: street-dongguan 2025-07-01; elsewhere: never\n" in out
    assert "    M-URB-001: town-hexi never; elsewhere: 2024-01-01" in out
    assert "never handed over (kept by the departments): 0" in out


def test_import_with_handovers_copies_all_three_files(tmp_path):
    into = write(tmp_path / "district")
    source = write(tmp_path / "new", handovers=HANDOVERS)

    code = main(["import", "--organisations", str(source / "organisations.csv"),
                 "--matters", str(source / "matters.csv"),
                 "--handovers", str(source / "handovers.csv"), "--into", str(into)])

    assert code == 0
    assert snapshot(into) == snapshot(source)
    assert load_reference_data(into).catalogue.is_handed_over(
        "M-MKT-004", date(2025, 7, 1), "street-dongguan")


def test_import_of_bad_handovers_exits_2_and_leaves_the_folder_unchanged(tmp_path, capsys):
    into = write(tmp_path / "district", handovers=HANDOVERS)
    before = snapshot(into)
    source = write(tmp_path / "new", handovers=HANDOVERS.replace("street-dongguan", "court"))

    code = main(["import", "--organisations", str(source / "organisations.csv"),
                 "--matters", str(source / "matters.csv"),
                 "--handovers", str(source / "handovers.csv"), "--into", str(into)])

    assert code == 2
    assert snapshot(into) == before
    assert "handovers.csv, line 2, column township_id: 'court' is a court" in (
        capsys.readouterr().err)


def test_import_without_handovers_drops_the_old_per_township_dates(tmp_path):
    into = write(tmp_path / "district", handovers=HANDOVERS)
    source = write(tmp_path / "new")

    assert main(["import", "--organisations", str(source / "organisations.csv"),
                 "--matters", str(source / "matters.csv"), "--into", str(into)]) == 0

    assert (into / "handovers.csv").read_text(encoding="utf-8") == HANDOVERS_HEADER
    assert load_reference_data(into).owner_of("M-URB-001", date(2025, 7, 1),
                                              "town-hexi").id == "town-hexi"
