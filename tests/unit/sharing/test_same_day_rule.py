"""SHR-4: information is shared on the day it forms, unless a delay was stated in time."""

from datetime import timedelta

import pytest

from liandong_contracts.sharing_v1 import InfoCategory
from sharing.domain import events as ev
from sharing.domain.errors import RuleViolation
from sharing.domain.info import SharedInfo
from sharing.domain.info_parts import Content, Heading
from tests.unit.sharing.conftest import at

STATS = InfoCategory.ENFORCEMENT_STATISTICS
CONTENT = Content("all", "本月执法统计")
LATEST = at(2026, 4, 1)  # SHR-4-MAX is the service's: see test_handlers


def heading(formed_at, category=STATS) -> Heading:
    return Heading(category, "河西镇3月执法统计", formed_at)


@pytest.mark.rule("SHR-4")
@pytest.mark.rule("ESC-4")
@pytest.mark.parametrize(("formed_at", "due_at"), [
    (at(2026, 3, 10, 9, 30), at(2026, 3, 11)),  # a Tuesday: 24:00 the same day
    (at(2026, 3, 13, 23, 50), at(2026, 3, 14)),  # a Friday evening: still that Friday
    (at(2026, 3, 14, 10, 0), at(2026, 3, 17)),  # a Saturday: 24:00 of Monday
    (at(2026, 10, 1, 10, 0), at(2026, 10, 9)),  # National Day: 24:00 of Thursday 8 October
    (at(2026, 10, 10, 15, 0), at(2026, 10, 11)),  # a make-up working Saturday: the same day
    (at(2026, 2, 14, 18, 0), at(2026, 2, 15)),  # the make-up Saturday before the Spring Festival
], ids=["working-day", "friday-evening", "saturday", "holiday", "make-up-day", "before-festival"])
def test_information_is_due_by_24_00_of_the_day_it_forms_or_the_next_working_day(
        due, formed_at, due_at) -> None:
    assert due(formed_at) == due_at


@pytest.mark.rule("SHR-4")
@pytest.mark.rule("ESC-3")
def test_a_delay_declared_before_the_due_time_moves_it(due, org) -> None:
    formed = at(2026, 3, 13, 16, 0)
    info = SharedInfo.declare_delay("inf-1", org("town-hexi"), heading(formed), "检查记录需汇总",
                                    at(2026, 3, 17, 18, 0), due_at=due(formed), latest=LATEST,
                                    now=at(2026, 3, 13, 23, 59))
    assert info.status == "delayed" and info.due_at == at(2026, 3, 14)
    assert info.effective_due_at == at(2026, 3, 17, 18, 0)
    [delayed] = info.events
    assert isinstance(delayed, ev.InfoSharingDelayed)
    assert delayed.new_due_at == at(2026, 3, 17, 18, 0) and delayed.reason == "检查记录需汇总"


@pytest.mark.rule("SHR-4")
def test_a_delay_declared_after_the_due_time_is_refused(due, org) -> None:
    formed = at(2026, 3, 13, 16, 0)  # a Friday; the limit passes at midnight
    with pytest.raises(RuleViolation) as refused:
        SharedInfo.declare_delay("inf-1", org("town-hexi"), heading(formed), "来不及",
                                 at(2026, 3, 17, 18, 0), due_at=due(formed), latest=LATEST,
                                 now=at(2026, 3, 14, 0, 0, 1))
    assert refused.value.rule == "SHR-4" and "passed" in refused.value.message


@pytest.mark.rule("SHR-4")
def test_the_new_due_time_must_be_later_than_the_ordinary_one(due, org) -> None:
    formed = at(2026, 3, 10, 9, 0)
    with pytest.raises(RuleViolation) as refused:
        SharedInfo.declare_delay("inf-1", org("town-hexi"), heading(formed), "汇总中",
                                 at(2026, 3, 10, 20, 0), due_at=due(formed), latest=LATEST,
                                 now=at(2026, 3, 10, 10, 0))
    assert (refused.value.rule, refused.value.field) == ("SHR-4", "new_due_at")


@pytest.mark.rule("SHR-4")
def test_a_delay_states_its_reason(due, org) -> None:
    formed = at(2026, 3, 10, 9, 0)
    with pytest.raises(RuleViolation) as refused:
        SharedInfo.declare_delay("inf-1", org("town-hexi"), heading(formed), "   ",
                                 at(2026, 3, 12), due_at=due(formed), latest=LATEST,
        now=at(2026, 3, 10, 10))
    assert (refused.value.rule, refused.value.field) == ("SHR-4", "reason")


@pytest.mark.rule("SHR-4")
def test_a_late_publication_is_accepted_and_recorded_as_late(due, org) -> None:
    formed = at(2026, 3, 10, 9, 0)
    info = SharedInfo.share("inf-1", org("town-hexi"), heading(formed), CONTENT,
                            due_at=due(formed), now=at(2026, 3, 11, 8, 0))
    assert info.status == "published" and info.late is True
    assert [type(e) for e in info.events] == [ev.InfoPublished]


@pytest.mark.rule("SHR-4")
def test_a_publication_on_the_day_is_not_late(due, org) -> None:
    formed = at(2026, 3, 10, 9, 0)
    info = SharedInfo.share("inf-1", org("town-hexi"), heading(formed), CONTENT,
                            due_at=due(formed), now=at(2026, 3, 10, 23, 59))
    assert info.late is False


@pytest.mark.rule("SHR-4")
def test_delayed_information_published_by_the_new_due_time_is_not_late(due, org) -> None:
    formed = at(2026, 3, 13, 16, 0)
    info = SharedInfo.declare_delay("inf-1", org("town-hexi"), heading(formed), "汇总中",
                                    at(2026, 3, 17, 18, 0), due_at=due(formed), latest=LATEST,
                                    now=at(2026, 3, 13, 17, 0))
    info.events.clear()
    info.publish(org("town-hexi"), heading(formed), CONTENT, at(2026, 3, 16, 10, 0))
    assert info.late is False and info.status == "published"
    info2 = SharedInfo.declare_delay("inf-2", org("town-hexi"), heading(formed), "汇总中",
                                     at(2026, 3, 17, 18, 0), due_at=due(formed), latest=LATEST,
                                     now=at(2026, 3, 13, 17, 0))
    info2.publish(org("town-hexi"), heading(formed), CONTENT, at(2026, 3, 17, 18, 1))
    assert info2.late is True


@pytest.mark.rule("SHR-4")
def test_information_cannot_form_in_the_future(due, org) -> None:
    formed = at(2026, 3, 10, 12, 0)
    with pytest.raises(RuleViolation) as refused:
        SharedInfo.share("inf-1", org("town-hexi"), heading(formed), CONTENT,
                         due_at=due(formed), now=formed - timedelta(minutes=6))
    assert (refused.value.rule, refused.value.field) == ("SHR-4", "formed_at")


@pytest.mark.rule("SHR-4")
def test_delayed_information_is_published_under_the_category_and_time_declared(
        due, org) -> None:
    formed = at(2026, 3, 10, 9, 0)
    info = SharedInfo.declare_delay("inf-1", org("town-hexi"), heading(formed), "汇总中",
                                    at(2026, 3, 12), due_at=due(formed), latest=LATEST,
        now=at(2026, 3, 10, 10))
    with pytest.raises(RuleViolation) as wrong_category:
        info.publish(org("town-hexi"), heading(formed, InfoCategory.OTHER), CONTENT,
                     at(2026, 3, 11))
    with pytest.raises(RuleViolation) as wrong_time:
        info.publish(org("town-hexi"), heading(formed + timedelta(hours=1)), CONTENT,
                     at(2026, 3, 11))
    assert wrong_category.value.field == "category" and wrong_time.value.field == "formed_at"
    assert info.status == "delayed"
