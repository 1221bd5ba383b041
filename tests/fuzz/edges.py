"""Hypothesis strategies for the edges an OpenAPI schema does not suggest.

Strings over the whole Unicode range, lone surrogates and NUL included; times from year 1 to
9999 with offsets from -12:00 to +14:00 (and without); integers beyond 64 bits; booleans
where numbers go and numbers where booleans go; non-finite numbers. `request(operation)`
builds a request whose every field is either valid (so the request reaches the domain) or
such an edge value.
"""

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

from tests.fuzz.realistic import MATTERS, ORG_FIELDS, ORGS

OFFSETS = [timezone(timedelta(minutes=m)) for m in (-12 * 60, -9 * 60 - 30, 0, 8 * 60,
                                                        13 * 60 + 45, 14 * 60)]
EDGE_TIMES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
              "0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59.999999+00:00",
              "1899-12-31T23:59:59Z", "2200-01-01T00:00:00Z", "2026-02-30T00:00:00Z",
              "2026-03-10T08:00:00", "2026-03-10T25:00:00+08:00", "2026-03-10T08:00:00+24:00"]
EDGE_INTS = [0, -1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 10**20,
             -(10**20), 10**300]
EDGE_STRINGS = ["", " ", "\x00", "a\x00b", "\ud800", "\udfff", "前\ud83d后", "\ufffe", "\uffff",
                "\u202e", "𠀀", "x" * 5000, "\n" * 100, "null", "0", "true", "{}", "[]",
                "../../etc/passwd", "file:///etc/passwd", "javascript:alert(1)",
                "http://" + "a" * 3000 + ".example/"]

# every character, surrogates included (Hypothesis leaves category Cs out by default)
ANY_CHAR = st.characters(exclude_categories=())
texts = st.one_of(st.sampled_from(EDGE_STRINGS), st.text(ANY_CHAR, max_size=60))
times = st.one_of(
    st.sampled_from(EDGE_TIMES),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59),
                 timezones=st.sampled_from([None, UTC, *OFFSETS])).map(datetime.isoformat))
dates = st.one_of(st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-29", "1900-01-01"]),
                  st.dates(min_value=date(1, 1, 1)).map(date.isoformat))
integers = st.one_of(st.sampled_from(EDGE_INTS), st.integers())
numbers = st.one_of(integers, st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308]))
scalars = st.one_of(texts, times, integers, numbers, st.booleans(), st.none())
anything = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)), max_leaves=10)


def edge(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Edge values for a field of `schema`: of its type, and of any other."""
    kind = schema.get("type")
    typed = {"string": times if schema.get("format") == "date-time"
             else dates if schema.get("format") == "date" else texts,
             "integer": st.one_of(integers, st.booleans()),
             "number": numbers, "boolean": st.one_of(st.integers(-1, 2), st.booleans()),
             "array": st.lists(scalars, max_size=3) | st.just([None] * 600)}.get(kind, scalars)
    return st.one_of(typed, anything)


class Schemas:
    """Valid values for an OpenAPI document's schemas, and requests mixing them with edges."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        if "anyOf" in schema:
            options = [s for s in schema["anyOf"] if s.get("type") != "null"]
            return self.resolve(options[0]) if options else schema
        return schema

    def valid(self, schema: dict[str, Any], name: str = "") -> st.SearchStrategy[Any]:
        schema = self.resolve(schema)
        kind = schema.get("type")
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        if "const" in schema:
            return st.just(schema["const"])
        if name in ORG_FIELDS:
            return st.sampled_from(ORGS)
        if name in ("matter_code", "service_code"):
            return st.sampled_from(MATTERS)
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            return st.just(max(1, schema.get("minimum", 1)))
        if kind == "number":
            return st.just(0.5)
        if kind == "boolean":
            return st.booleans()
        if kind == "array":
            if name in ("called", "participants", "audience"):
                return st.lists(st.sampled_from(ORGS), min_size=2, max_size=3, unique=True)
            item = self.valid(schema.get("items", {}))
            return st.lists(item, min_size=schema.get("minItems", 0), max_size=2)
        if kind == "object" or "properties" in schema:
            return self.mixed(schema)
        return st.just("x")

    def _string(self, schema: dict[str, Any]) -> st.SearchStrategy[str]:
        now = datetime.now(UTC)
        match schema.get("format"):
            case "date-time":
                return st.just((now - timedelta(hours=1)).isoformat())
            case "date":
                return st.just(now.date().isoformat())
            case "uri":
                return st.just("https://docs.example/a.pdf")
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(
                lambda s: len(s) <= schema.get("maxLength", 64))
        return st.just("测试" * max(1, schema.get("minLength", 1)))

    def mixed(self, schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        """An object whose every property is valid, an edge value, or left out."""
        schema = self.resolve(schema)
        required = set(schema.get("required", ()))
        parts, optional = {}, {}
        for name, prop in schema.get("properties", {}).items():
            value = mostly(self.valid(prop, name), edge(self.resolve(prop)))
            (parts if name in required else optional)[name] = value
        return st.fixed_dictionaries(parts, optional=optional)

    def parameter(self, parameter: dict[str, Any]) -> st.SearchStrategy[Any]:
        return mostly(self.valid(parameter.get("schema", {}), parameter["name"]),
                      edge(self.resolve(parameter.get("schema", {}))))


def mostly(valid: st.SearchStrategy[Any], edges: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A valid value three times in four, so that one edge value at a time reaches the domain."""
    return st.integers(0, 3).flatmap(lambda i: edges if i == 0 else valid)


def encoded(value: Any) -> str:
    """A parameter as a URL carries it: lone surrogates as the bytes they would be."""
    text = value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) \
        else str(value)
    return quote(text, safe="", errors="surrogatepass")
