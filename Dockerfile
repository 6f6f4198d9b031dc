# syntax=docker/dockerfile:1
# bounceguard: one image for both roles. `docker run IMAGE worker` runs the Faust stream worker,
# `docker run IMAGE ingest` the webhook receiver. See docs/deploy.md.
#
# Pinned to a patch release; for reproducible builds pin the digest as well
# (python:3.11.14-slim-bookworm@sha256:...) in your registry mirror.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# --- build: resolve and install into a self-contained virtualenv -------------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# Every dependency (rocksdict with its bundled RocksDB, orjson, cryptography, faust-streaming)
# ships manylinux wheels for CPython 3.11, so no compiler is needed; --only-binary keeps it so.
RUN python -m venv /opt/bounceguard
WORKDIR /src
# pyproject.toml always matches, so the optional README/LICENSE globs may match nothing.
COPY pyproject.toml README.md* LICENSE* ./
COPY src ./src
RUN /opt/bounceguard/bin/pip install --only-binary=:all: --no-binary=bounceguard . \
    && /opt/bounceguard/bin/python -c "import rocksdict, faust, bounceguard"

# --- runtime: the virtualenv, a non-root user and a data directory ----------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="bounceguard" \
      org.opencontainers.image.description="Bounce classification, suppression and bounce-rate trends on Kafka" \
      org.opencontainers.image.licenses="Apache-2.0"

# A fixed numeric uid/gid so Kubernetes runAsNonRoot and volume fsGroup can be checked.
RUN groupadd --system --gid 10001 bounceguard \
    && useradd --system --uid 10001 --gid bounceguard --home-dir /var/lib/bounceguard \
       --shell /usr/sbin/nologin bounceguard \
    && install -d -o bounceguard -g bounceguard -m 0750 /var/lib/bounceguard

COPY --from=build /opt/bounceguard /opt/bounceguard

ENV PATH=/opt/bounceguard/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    BOUNCEGUARD_DATA_DIR=/var/lib/bounceguard \
    BOUNCEGUARD_STORE=rocksdb:// \
    BOUNCEGUARD_WEB_PORT=6066

USER 10001:10001
WORKDIR /var/lib/bounceguard
# RocksDB table state; rebuilt from Kafka changelogs when the volume is empty.
VOLUME ["/var/lib/bounceguard"]
# 6066: worker web server (/metrics, /healthz, /readyz); 8080: ingest webhook receiver.
EXPOSE 6066 8080

# The worker answers on BOUNCEGUARD_WEB_PORT; for ingest set BOUNCEGUARD_PROBE_URL to
# http://127.0.0.1:8080/healthz. The probe is standard library only, so it stays cheap.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bounceguard.cli.commands.probe", "--quiet"]

ENTRYPOINT ["bounceguard"]
CMD ["worker"]
