"""An idle pull consumer logs no ERROR: FastStream's supervisor reports a fetch that found
no message as a crash when nats-py raises the builtin TimeoutError (its batch fetch does
when the event loop was held up past the fetch's timeout, as during a service's start)
where FastStream expects nats.errors.TimeoutError; logs.IdlePullTimeout turns exactly that
into DEBUG.

On the session's real NATS, a pull subscriber as the services have (a batch of 16) with
nothing to fetch and a loop held up like a busy start, in a fresh process each time: the
supervisor prints a given traceback once per process."""

import logging
import subprocess
import sys
import textwrap

from liandong_runtime.logs import IdlePullTimeout

IDLE_PULL = textwrap.dedent("""
    import asyncio, logging, sys, time, uuid
    from faststream.nats import JStream, NatsBroker, PullSub
    from liandong_runtime import logs

    logs.configure("idle", "DEBUG" if sys.argv[2] == "filtered" else "INFO", "text")
    broker_logger = logging.getLogger(logs.BROKER_LOGGER)
    if sys.argv[2] == "unfiltered":
        broker_logger.filters.clear()
    run = uuid.uuid4().hex[:8]
    broker = NatsBroker(sys.argv[1], logger=broker_logger, log_level=logging.DEBUG)

    @broker.subscriber(f"idle.{run}.x", stream=JStream(f"IDLE_{run}", subjects=[f"idle.{run}.>"]),
                       durable=f"idle-{run}", pull_sub=PullSub(batch_size=16, timeout=0.3))
    async def handle(body: str) -> None:
        raise AssertionError(body)

    async def main() -> None:
        await broker.start()
        for _ in range(12):  # a busy start: the loop held up past a fetch's timeout
            await asyncio.sleep(0)
            time.sleep(0.35)
        await asyncio.sleep(0.5)
        await broker.stop()

    asyncio.run(main())
""")


def idle_pull_log(nats_url: str, mode: str) -> str:
    done = subprocess.run([sys.executable, "-c", IDLE_PULL, nats_url, mode],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr


def test_an_idle_pull_consumer_logs_no_error(nats_url: str) -> None:
    log = idle_pull_log(nats_url, "filtered")
    # the case did occur (a fetch timed out that way), and it is one DEBUG line
    assert "DEBUG liandong.broker pull fetch found no message in time" in log, log[-3000:]
    assert " ERROR " not in log and "Traceback" not in log, log[-3000:]


def test_without_the_filter_the_supervisor_reports_the_idle_fetch_as_an_error(
        nats_url: str) -> None:
    """The control: the ERROR is real (when FastStream or nats-py fixes the mismatch this
    fails, and the filter can go)."""
    log = idle_pull_log(nats_url, "unfiltered")
    assert " ERROR " in log and "raised an exception, retrying" in log, log[-3000:]
    assert "nats/js/client.py" in log and "TimeoutError" in log


def test_any_other_timeout_stays_an_error() -> None:
    def fetch() -> None:  # a TimeoutError of our own, not from nats' fetch in the pull loop
        raise TimeoutError

    try:
        fetch()
    except TimeoutError as exc:
        record = logging.LogRecord("liandong.broker", logging.ERROR, __file__, 1,
                                   "Task-1 raised an exception, retrying...", (),
                                   (type(exc), exc, exc.__traceback__))
    assert IdlePullTimeout().filter(record)
    assert record.levelno == logging.ERROR and record.exc_info is not None
