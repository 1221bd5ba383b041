"""The district overview: what the district government watches (escalation's figures).

Business metrics come from the escalation service alone; every replica exports the same
database figures, so gauges are deduplicated with `max by`, counters summed.
"""

from grafana_foundation_sdk.builders.dashboard import Dashboard, Row

from scripts.dashboards.kit import bars, datasource_variable, graph, grid, labels_of, single

ORG = 'organisation=~"$organisation"'
OPEN = f"max by (rule, organisation) (liandong_duties_open{{{ORG}}})"
OVERDUE = f"max by (rule, organisation) (liandong_duties_overdue{{{ORG}}})"
BREACHES = f"liandong_breaches_total{{{ORG}}}"
TRANSFER = 'rule=~"REF-4|REF-5"'
ANSWER = 'rule=~"AST-1|CMP-7|JNT-4|JNT-6"'
HOURS = "liandong_duty_completion_working_hours"


def percentiles(rules: str, window: str) -> list[tuple[str, str]]:
    return [(f"histogram_quantile({q}, sum by (le) "
             f"(increase({HOURS}_bucket{{{rules}}}[{window}])))", f"p{round(q * 100)}")
            for q in (0.5, 0.9, 0.99)]


def build() -> Dashboard:
    return (
        Dashboard("liandong / District overview").uid("liandong-overview")
        .tags(["liandong"]).refresh("1m").time("now-24h", "now").timezone("browser")
        .description("Duties, breaches, notifications and disputes of the whole district")
        .with_variable(datasource_variable())
        .with_variable(labels_of("organisation", "Organisation",
                                 "label_values(liandong_duties_open, organisation)"))
        .with_row(Row("Now"))
        .with_panel(single("Open duties", "short", f"sum({OPEN})"))
        .with_panel(single("Overdue duties", "short", f"sum({OVERDUE})"))
        .with_panel(single("Breaches in range", "short",
                           f"sum(increase({BREACHES}[$__range]))"))
        .with_panel(single("Notifications in range", "short",
                           "sum(increase(liandong_notifications_total[$__range]))"))
        .with_panel(single("Disputes open", "short", 'sum(max by (state) '
                           '(liandong_disputes{state=~"negotiating|escalated"}))'))
        .with_panel(single("Calendar data missing", "bool_yes_no",
                           "max by (year) (liandong_calendar_official_data_missing)", "{{year}}",
                           description="1 when the State Council's calendar of the year is "
                           "not in data/calendar/cn-workdays.toml"))
        .with_row(Row("Duties"))
        .with_panel(bars("Open duties by organisation", "short",
                         f"sort_desc(sum by (organisation) ({OPEN}))", "{{organisation}}"))
        .with_panel(bars("Open duties by rule", "short",
                         f"sort_desc(sum by (rule) ({OPEN}))", "{{rule}}"))
        .with_panel(grid("Open and overdue duties by rule and organisation",
                         (OPEN, "open"), (OVERDUE, "overdue")))
        .with_panel(graph("Overdue duties by organisation", "short",
                          (f"sum by (organisation) ({OVERDUE})", "{{organisation}}")))
        .with_row(Row("Breaches and notifications"))
        .with_panel(graph("Breaches per hour by organisation", "short",
                          (f"sum by (organisation) (increase({BREACHES}[1h]))",
                           "{{organisation}}")))
        .with_panel(grid("Breaches in range by rule and organisation",
                         (f"sum by (rule, organisation) (increase({BREACHES}[$__range]))",
                          "breaches")))
        .with_panel(graph("Notifications to the district government per hour", "short",
                          ("sum(increase(liandong_notifications_total[1h]))", "notifications")))
        .with_panel(graph("Disputes by state", "short",
                          ("max by (state) (liandong_disputes)", "{{state}}")))
        .with_row(Row("Time to transfer and to answer (working hours)"))
        .with_panel(graph("Time to transfer (REF-4, REF-5), last 7 days", "h",
                          *percentiles(TRANSFER, "7d")))
        .with_panel(graph("Time to answer (AST-1, CMP-7, JNT-4, JNT-6), last 7 days", "h",
                          *percentiles(ANSWER, "7d")))
        .with_panel(grid("Working hours to complete, by rule, in range",
                         (f"histogram_quantile(0.5, sum by (le, rule) "
                          f"(increase({HOURS}_bucket[$__range])))", "median"),
                         (f"histogram_quantile(0.9, sum by (le, rule) "
                          f"(increase({HOURS}_bucket[$__range])))", "p90"),
                         (f"sum by (rule) (increase({HOURS}_count[$__range]))", "completed"),
                         width=24))
    )
