"""One dashboard per service: throughput, latency, errors, backlog and HTTP.

`job` (a constant: the service's name, as the scrape configuration sets it) and `instance`
(any of its replicas) select the series; messaging series are FastStream's
(`handler` = the subject consumed, `destination` = the subject published).
"""

from grafana_foundation_sdk.builders.dashboard import Dashboard, Row

from scripts.dashboards.kit import constant, datasource_variable, graph, labels_of, single

SERVICES = {
    "referral": "findings, case transfer, acceptance and refusal, the judicial path",
    "complaint": "complaint intake, verification, forwarding, answers, Open311",
    "sharing": "information sharing, delays, subscriptions and feed",
    "assistance": "assistance requests, dispatch, whistle calls, joint enforcement",
    "escalation": "the deadline engine and the district government's desk",
}
S = 'job="$job", instance=~"$instance"'
RATE = "[$__rate_interval]"
HANDLED = f"faststream_received_processed_messages_duration_seconds_bucket{{{S}}}"
HTTP = f"liandong_http_request_duration_seconds_bucket{{{S}}}"


def quantiles(bucket: str, by: str = "") -> list[tuple[str, str]]:
    return [(f"histogram_quantile({q}, sum by (le{by}) (rate({bucket}{RATE})))",
             f"p{round(q * 100)}") for q in (0.5, 0.95, 0.99)]


def health() -> list:
    return [
        single("Up", "bool_on_off", f"up{{{S}}}", "{{instance}}"),
        single("HTTP requests/s", "reqps",
               f"sum(rate(liandong_http_requests_total{{{S}}}{RATE}))"),
        single("Messages handled/s", "ops",
               f"sum(rate(faststream_received_processed_messages_total{{{S}}}{RATE}))"),
        single("Dead letters", "short", f"max(liandong_dead_letters{{{S}}})"),
        single("Outbox backlog", "short", f"max(liandong_outbox_backlog{{{S}}})"),
        single("Oldest unpublished event", "s",
               f"max(liandong_outbox_oldest_age_seconds{{{S}}})"),
    ]


def messaging() -> list:
    return [
        graph("Received per subject", "ops",
              (f"sum by (handler) (rate(faststream_received_messages_total{{{S}}}{RATE}))",
               "{{handler}}")),
        graph("Processed per subject and outcome", "ops",
              (f"sum by (handler, status) "
               f"(rate(faststream_received_processed_messages_total{{{S}}}{RATE}))",
               "{{handler}} {{status}}")),
        graph("Handler latency", "s", *quantiles(HANDLED)),
        graph("Handler latency p95 per subject", "s",
              (f"histogram_quantile(0.95, sum by (le, handler) (rate({HANDLED}{RATE})))",
               "{{handler}}")),
        graph("Published per subject", "ops",
              (f"sum by (destination, status) "
               f"(rate(faststream_published_messages_total{{{S}}}{RATE}))",
               "{{destination}} {{status}}")),
        graph("In process", "short",
              (f"sum by (handler) (faststream_received_messages_in_process{{{S}}})",
               "{{handler}}")),
    ]


def errors() -> list:
    return [
        graph("Rejected, retried, redelivered, duplicate", "ops",
              (f"sum by (subject, kind) (rate(liandong_messages_rejected_total{{{S}}}{RATE}))",
               "rejected {{subject}} ({{kind}})"),
              (f"sum by (subject) (rate(liandong_messages_retried_total{{{S}}}{RATE}))",
               "retried {{subject}}"),
              (f"sum by (subject) (rate(liandong_messages_redelivered_total{{{S}}}{RATE}))",
               "redelivered {{subject}}"),
              (f"sum by (subject) (rate(liandong_messages_duplicate_total{{{S}}}{RATE}))",
               "duplicate {{subject}}"),
              description="Rejected: dead-lettered (contract violation, or retries "
              "exhausted). Retried: negative ack after a transient error. Redelivered: "
              "delivered more than once. Duplicate: a redelivery the inbox recognised."),
        graph("Handler exceptions", "ops",
              (f"sum by (handler, exception_type) "
               f"(rate(faststream_received_processed_messages_exceptions_total{{{S}}}{RATE}))",
               "{{handler}} {{exception_type}}")),
        graph("Dead letters stored", "short",
              (f"max(liandong_dead_letters{{{S}}})", "dead letters"),
              description="Listed at the service's /dead-letters"),
    ]


def backlog() -> list:
    return [
        graph("Outbox backlog", "short",
              (f"max by (instance) (liandong_outbox_backlog{{{S}}})", "{{instance}}")),
        graph("Oldest unpublished event", "s",
              (f"max by (instance) (liandong_outbox_oldest_age_seconds{{{S}}})",
               "{{instance}}")),
        graph("Consumer pending (lag)", "short",
              (f"max by (consumer) (liandong_consumer_pending{{{S}}})", "{{consumer}}")),
        graph("Delivered, not yet acknowledged", "short",
              (f"max by (consumer) (liandong_consumer_ack_pending{{{S}}})", "{{consumer}}")),
    ]


def http() -> list:
    return [
        graph("Requests per route and status", "reqps",
              (f"sum by (method, route, status) "
               f"(rate(liandong_http_requests_total{{{S}}}{RATE}))",
               "{{method}} {{route}} {{status}}")),
        graph("Server errors (5xx) ratio", "percentunit",
              (f'(sum(rate(liandong_http_requests_total{{{S}, status=~"5.."}}{RATE})) '
               f"or vector(0)) / sum(rate(liandong_http_requests_total{{{S}}}{RATE}))",
               "5xx")),
        graph("Request latency", "s", *quantiles(HTTP)),
        graph("Request latency p95 per route", "s",
              (f"histogram_quantile(0.95, sum by (le, method, route) (rate({HTTP}{RATE})))",
               "{{method}} {{route}}")),
    ]


def build(name: str) -> Dashboard:
    dashboard = (
        Dashboard(f"liandong / {name}").uid(f"liandong-{name}")
        .tags(["liandong", name]).refresh("30s").time("now-1h", "now").timezone("browser")
        .description(f"The {name} service: {SERVICES[name]}")
        .with_variable(datasource_variable())
        .with_variable(constant("job", name))
        .with_variable(labels_of("instance", "Instance", 'label_values(up{job="$job"}, instance)'))
    )
    for title, panels in (("Health", health()), ("Messaging", messaging()),
                          ("Errors", errors()), ("Outbox and consumers", backlog()),
                          ("HTTP", http())):
        dashboard = dashboard.with_row(Row(title))
        for panel in panels:
            dashboard = dashboard.with_panel(panel)
    return dashboard
