"""The JetStream streams, declared once here and created idempotently at start-up.

One stream per producing service holds every subject that service publishes
(`liandong.<producer>.>`), on file storage, with a duplicate window for `Nats-Msg-Id`.
`LIANDONG_ADDRESSED` holds the copies addressed to organisations (`addressing`), kept
`NATS_ADDRESSED_MAX_AGE_S`; every service may create it and bring it to that setting.
"""

import logging
from typing import get_args

from faststream.nats import JStream
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from liandong_contracts.envelope import SUBJECT_PREFIX, Producer, stream_subjects
from liandong_runtime.addressing import ADDRESSED_STREAM, ADDRESSED_SUBJECTS
from liandong_runtime.settings import NatsSettings

log = logging.getLogger("liandong.streams")
PRODUCERS: tuple[str, ...] = get_args(Producer)


def stream_name(producer: str) -> str:
    return f"LIANDONG_{producer.upper()}"


def stream_for_subject(subject: str) -> str:
    prefix, producer, *_ = subject.split(".")
    if prefix == SUBJECT_PREFIX and producer == "to":
        return ADDRESSED_STREAM
    if prefix != SUBJECT_PREFIX or producer not in PRODUCERS:
        raise ValueError(f"subject {subject!r} belongs to no liandong stream")
    return stream_name(producer)


def jstream(producer: str) -> JStream:
    """The stream as FastStream subscribers name it; creation is `ensure_streams`' job."""
    return JStream(stream_name(producer), declare=False)


def stream_config(producer: str, settings: NatsSettings) -> StreamConfig:
    return StreamConfig(
        name=stream_name(producer),
        subjects=[stream_subjects(producer)],  # type: ignore[arg-type]
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        num_replicas=settings.stream_replicas,
        duplicate_window=settings.duplicate_window_s,
        max_age=365 * 24 * 3600,
        discard=DiscardPolicy.OLD,
    )


def addressed_config(settings: NatsSettings) -> StreamConfig:
    """One stream for every organisation's addressed copies; an organisation reads its
    own subjects only, through its own durables (`nats_permissions.org_grant`)."""
    return StreamConfig(
        name=ADDRESSED_STREAM,
        subjects=[ADDRESSED_SUBJECTS],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        num_replicas=settings.stream_replicas,
        duplicate_window=settings.duplicate_window_s,
        max_age=settings.addressed_max_age_s,
        discard=DiscardPolicy.OLD,
    )


async def ensure_streams(js: JetStreamContext, settings: NatsSettings, own: str) -> None:
    """Create every missing stream (a consumer may start before the producer), but bring
    only the service's `own` stream to the declared configuration: another's stream is its
    producer's to change, and the service's NATS user may not (`nats_permissions`)."""
    for producer in PRODUCERS:
        config = stream_config(producer, settings)
        try:
            await js.stream_info(config.name)  # type: ignore[arg-type]
        except NotFoundError:
            await js.add_stream(config)
            log.info("created stream %s", config.name)
        else:
            if producer == own:
                await js.update_stream(config)
    addressed = addressed_config(settings)
    try:
        info = await js.stream_info(ADDRESSED_STREAM)
    except NotFoundError:
        await js.add_stream(addressed)
        log.info("created stream %s", ADDRESSED_STREAM)
    else:
        if info.config.max_age != addressed.max_age or \
                info.config.duplicate_window != addressed.duplicate_window:
            await js.update_stream(addressed)
