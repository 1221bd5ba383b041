# syntax=docker/dockerfile:1
# One image for the five services: `docker run IMAGE referral` (or complaint, sharing,
# assistance, escalation) runs `python -m <service>` on port 8000 (HTTP_PORT).
# Base pinned by version tag and by digest (the multi-platform index of that tag).
FROM python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d AS base

# --- builder: the runtime lock alone (hashes required) and the project, in a venv ------
# requirements.lock holds the services' dependencies only: no test tool, no embedded
# NATS or database (those are in requirements-dev.lock, for `make run` and `make test`).
FROM base AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/liandong
ENV PATH=/opt/liandong/bin:$PATH
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
# the build backend, pinned by hash too, so the project builds without fetching anything
RUN echo "setuptools==80.9.0 --hash=sha256:062d34222ad13e0cc312a4c02d73f059e86a4acbfbdea8f8f76b28c99f306922" \
        > /tmp/build-requirements.txt \
    && pip install --no-cache-dir --require-hashes -r /tmp/build-requirements.txt
COPY pyproject.toml ./
COPY libs/ libs/
COPY services/ services/
RUN pip install --no-cache-dir --no-deps --no-build-isolation . \
    && python -m compileall -q /opt/liandong

# --- runtime: the venv and the reference data, nothing else; runs as uid 10001 --------
FROM base AS runtime
LABEL org.opencontainers.image.title="liandong" \
      org.opencontainers.image.description="liandong services (referral, complaint, sharing, assistance, escalation)" \
      org.opencontainers.image.source="https://example.invalid/liandong"
RUN groupadd --system --gid 10001 liandong \
    && useradd --system --uid 10001 --gid 10001 --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin liandong
COPY --from=builder /opt/liandong /opt/liandong
COPY data/ /app/data/
WORKDIR /app
# read-only root filesystem: no bytecode written at run time (compiled in the builder),
# temporary files only in /tmp (an emptyDir in Kubernetes)
ENV PATH=/opt/liandong/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TMPDIR=/tmp \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8000 \
    REFDATA_DIR=/app/data/district \
    CALENDAR_FILE=/app/data/calendar/cn-workdays.toml
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['HTTP_PORT']}/healthz\", timeout=4)"]
ENTRYPOINT ["python", "-m"]
CMD ["referral"]
