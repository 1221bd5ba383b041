"""The few building blocks every liandong dashboard uses.

Every panel and query reads from the `datasource` variable (the provisioned Prometheus has
uid `prometheus`); a panel is placed by the dashboard builder, left to right, 24 units wide.
"""

from typing import TypeVar

from grafana_foundation_sdk.builders import bargauge, stat, table, timeseries
from grafana_foundation_sdk.builders.dashboard import (
    ConstantVariable,
    DatasourceVariable,
    QueryVariable,
)
from grafana_foundation_sdk.builders.prometheus import Dataquery
from grafana_foundation_sdk.models.dashboard import (
    DataSourceRef,
    DataTransformerConfig,
    VariableOption,
    VariableRefresh,
    VariableSort,
)
from grafana_foundation_sdk.models.prometheus import PromQueryFormat, QueryEditorMode

DATASOURCE = DataSourceRef(type_val="prometheus", uid="${datasource}")
REF_IDS = "ABCDEFGH"
P = TypeVar("P", timeseries.Panel, stat.Panel, bargauge.Panel, table.Panel)


def query(expr: str, legend: str = "", ref: int = 0, *, instant: bool = False,
          as_table: bool = False) -> Dataquery:
    """A range query for graphs; an instant one for stats, bars and tables."""
    q = (Dataquery().expr(expr).legend_format(legend or "__auto").ref_id(REF_IDS[ref])
         .datasource(DATASOURCE).editor_mode(QueryEditorMode.CODE))
    if as_table:
        return q.instant().format(PromQueryFormat.TABLE)
    return q.instant() if instant else q.range()


def graph(title: str, unit: str, *queries: tuple[str, str], description: str = "",
          width: int = 12) -> timeseries.Panel:
    panel = (timeseries.Panel().title(title).unit(unit)
             .datasource(DATASOURCE).span(width).height(8).fill_opacity(10))
    for i, (expr, legend) in enumerate(queries):
        panel = panel.with_target(query(expr, legend, i))
    return described(panel, description)


def single(title: str, unit: str, expr: str, legend: str = "", *, description: str = "",
           width: int = 4) -> stat.Panel:
    return described(stat.Panel().title(title).unit(unit)
                     .datasource(DATASOURCE).span(width).height(4)
                     .with_target(query(expr, legend, instant=True)), description)


def bars(title: str, unit: str, expr: str, legend: str, *, description: str = "",
         width: int = 12) -> bargauge.Panel:
    return described(bargauge.Panel().title(title).unit(unit)
                     .datasource(DATASOURCE).span(width).height(8)
                     .with_target(query(expr, legend, instant=True)), description)


def grid(title: str, *columns: tuple[str, str], description: str = "",
         width: int = 12) -> table.Panel:
    """A table of instant queries, one value column per query, merged on their labels."""
    panel = (table.Panel().title(title)
             .datasource(DATASOURCE).span(width).height(8)
             .with_transformation(DataTransformerConfig(id_val="merge", options={}))
             .with_transformation(DataTransformerConfig(id_val="organize", options={
                 "excludeByName": {"Time": True},
                 "renameByName": {f"Value #{REF_IDS[i]}": name
                                  for i, (_, name) in enumerate(columns)}})))
    for i, (expr, _) in enumerate(columns):
        panel = panel.with_target(query(expr, ref=i, as_table=True))
    return described(panel, description)


def described(panel: P, description: str) -> P:
    return panel.description(description) if description else panel


def datasource_variable() -> DatasourceVariable:
    return (DatasourceVariable("datasource").label("Data source").type("prometheus")
            .current(VariableOption(selected=True, text="Prometheus", value="prometheus")))


def constant(name: str, value: str) -> ConstantVariable:
    return ConstantVariable(name).value(value)


def labels_of(name: str, label: str, query_text: str) -> QueryVariable:
    """A multi-value variable over a label's values, "All" meaning any (`.*`)."""
    return (QueryVariable(name).label(label).query(query_text).datasource(DATASOURCE)
            .refresh(VariableRefresh.ON_TIME_RANGE_CHANGED).sort(VariableSort.ALPHABETICAL_ASC)
            .multi(True).include_all(True).all_value(".*")
            .current(VariableOption(selected=True, text="All", value="$__all")))
