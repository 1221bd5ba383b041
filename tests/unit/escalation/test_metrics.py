"""The business metrics the engine reports: each breach and completion counted once."""

from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry

from escalation.adapters.metrics import DutyMetrics
from escalation.domain.deadline import Deadline

START = datetime(2026, 11, 23, 2, tzinfo=UTC)
HEXI = {"id": "town-hexi", "kind": "township", "name": "河西镇人民政府"}


class EveryHourWorks:
    def working_hours_between(self, start: datetime, end: datetime) -> float:
        return (end - start).total_seconds() / 3600


def deadline(deadline_id: str = "case:1:transfer", rule: str = "REF-4") -> Deadline:
    d = Deadline(deadline_id, rule, "移送案件", HEXI, "case-1")
    d.open(START, START + timedelta(days=3), 0.8)
    return d


def metrics() -> tuple[DutyMetrics, CollectorRegistry]:
    registry = CollectorRegistry()
    return DutyMetrics(registry, EveryHourWorks()), registry


def test_a_breach_counts_once_with_its_rule_and_organisation_and_one_notification() -> None:
    m, registry = metrics()
    d = deadline()
    d.tick(START + timedelta(days=4))
    m.breached(d)
    m.breached(d)  # the same breach again: a transaction that ran twice
    labels = {"rule": "REF-4", "organisation": "town-hexi"}
    assert registry.get_sample_value("liandong_breaches_total", labels) == 1
    assert registry.get_sample_value("liandong_notifications_total") == 1


def test_a_completion_is_observed_in_working_hours_under_its_rule() -> None:
    m, registry = metrics()
    d = deadline()
    d.complete(START + timedelta(hours=5))
    m.completed(d)
    m.completed(d)
    labels = {"rule": "REF-4"}
    assert registry.get_sample_value("liandong_duty_completion_working_hours_count", labels) == 1
    assert registry.get_sample_value("liandong_duty_completion_working_hours_sum", labels) == 5
    bucket = {"rule": "REF-4", "le": "8.0"}
    assert registry.get_sample_value("liandong_duty_completion_working_hours_bucket", bucket) == 1


def test_a_duty_done_before_it_was_opened_is_not_observed() -> None:
    m, registry = metrics()
    m.completed(Deadline.closed_before_opened("case:2:transfer", START))
    assert registry.get_sample_value("liandong_duty_completion_working_hours_count",
                                     {"rule": ""}) is None


def test_a_reported_refusal_is_counted_by_rule_and_as_a_notification_never_as_a_breach() -> None:
    m, registry = metrics()
    m.reported("AST-1", "dept-urban")
    labels = {"rule": "AST-1", "organisation": "dept-urban"}
    assert registry.get_sample_value("liandong_refusals_reported_total", labels) == 1
    assert registry.get_sample_value("liandong_notifications_total") == 1
    assert registry.get_sample_value("liandong_breaches_total", labels) is None
