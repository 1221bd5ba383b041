"""What the tests share: who they act as (tokens of the session's own identity provider),
and waiting helpers that poll until a check holds or fail saying what was awaited."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from liandong_runtime.tokens import Issuer

# The session's identity provider: the root conftest points every service under test, in
# this process or a child, at its JWKS (AUTH_JWKS_URL).
ISSUER = Issuer.generate()


def acting(org: str, person: str = "tester") -> dict[str, str]:
    """The headers of a request by `person` of organisation `org`: a signed bearer token."""
    return {"Authorization": f"Bearer {ISSUER.issue(org, person)}"}


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 20.0,
                     what: str = "condition") -> Any:
    """The first truthy result of `check`, polled every 50 ms for at most `timeout` s."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := await check()):
        assert asyncio.get_running_loop().time() < deadline, f"{what} not met in {timeout} s"
        await asyncio.sleep(0.05)
    return result


def poll(check: Callable[[], object], timeout: float = 30, what: str = "condition") -> object:
    """The same for blocking checks (services as processes), every 200 ms."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what} not met in {timeout} s")
