"""The five services for the fuzzer, on the session's database and a NATS server of
their own: the fuzzer's requests cause real events (transfers, dispute decisions with
catalogue corrections...) that would otherwise sit in the session's streams and be read
by every app a later test starts.
"""

from collections.abc import Iterator

import pytest

from tests.fuzz.district import District, own_district


@pytest.fixture(scope="module")
def district(servers: dict[str, str]) -> Iterator[District]:
    with own_district(servers, "fuzz") as district:
        yield district
