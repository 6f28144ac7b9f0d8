# The timeline REST service: waits for its database, migrates it (under a lock, so
# replicas migrate once; TIMELINE_MIGRATE_AT_START=false leaves it to a job running
# `timeline db upgrade`), then serves the API on port 8080. compose.yaml runs it with
# PostgreSQL, a migration job and the scheduler; `make image` builds it, labelled with the
# git revision.
#
#   docker build -t timeline .
#   docker run -p 8080:8080 -v timeline-data:/data timeline
#
# The database is an SQLite file in the /data volume unless TIMELINE_DATABASE_URL names
# another (postgresql+psycopg://...: psycopg is in the lock). Any other command runs after
# the migration instead of the server, e.g. storing the seed articles:
#
#   docker run -v timeline-data:/data -v "$PWD/seeds:/seeds:ro" timeline timeline load /seeds
#
# BASE must be a Debian-based Python 3.11+ image (useradd); the build and runtime stages
# share it, so the virtual environment's interpreter is the same in both.
ARG BASE=python:3.11-slim

# TimelineJS for the embeddable page, from the npm release package-lock.json pins (what
# `make assets` does outside Docker).
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && mkdir -p vendor/js vendor/css \
 && cp node_modules/@knight-lab/timelinejs/dist/js/timeline.js vendor/js/ \
 && cp -r node_modules/@knight-lab/timelinejs/dist/js/locale vendor/js/ \
 && cp node_modules/@knight-lab/timelinejs/dist/css/timeline.css vendor/css/ \
 && cp -r node_modules/@knight-lab/timelinejs/dist/css/icons vendor/css/ \
 && cp node_modules/@knight-lab/timelinejs/LICENSE vendor/

FROM ${BASE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Dependencies first, from requirements.lock alone (`make lock`: setup.cfg's, the postgres
# extra's and the build's, each pinned with its hashes): this layer is rebuilt only when
# the lock changes, and pip refuses any file whose hash the lock does not list.
COPY requirements.lock ./
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --require-hashes --no-deps --requirement requirements.lock
COPY setup.cfg pyproject.toml README.md ./
COPY timeline ./timeline
COPY --from=assets /src/vendor ./timeline/static/vendor/timelinejs
# the package alone, built with the locked setuptools (no download at this step)
RUN /opt/venv/bin/pip install --no-deps --no-build-isolation . \
 && /opt/venv/bin/pip check
# The tagger's compiled tables (timeline/tagger/tablecache.py), written once here: a process
# of the image reads them instead of spending some 3 s building its own (the service's home
# is not writable, so it could not keep them).
RUN TIMELINE_TAGGER_CACHE=/opt/venv/share/timeline-tagger \
    /opt/venv/bin/python -c "from timeline import tag; tag('On Friday.', '2021-07-17')"

FROM ${BASE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TIMELINE_DATABASE_URL=sqlite:////data/timeline.db \
    TIMELINE_TAGGER_CACHE=/opt/venv/share/timeline-tagger
COPY docker/entrypoint.sh /usr/local/bin/timeline-entrypoint
# An unprivileged user with a fixed numeric id (so that runAsNonRoot can check it) and group
# 0 owns /data, which group 0 may write as its owner does (g=u, setgid so that new files keep
# the group): a platform that runs the image under an arbitrary uid with gid 0 (OpenShift)
# can write there too. The code in /opt/venv stays root's and read-only to the service.
RUN chmod 0755 /usr/local/bin/timeline-entrypoint \
 && useradd --system --uid 10001 --gid 0 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin timeline \
 && mkdir /data \
 && chown 10001:0 /data \
 && chmod 2775 /data
COPY --from=build /opt/venv /opt/venv
USER 10001:0
# after the chown: a new named volume starts with /data's owner, mode and contents
VOLUME /data
EXPOSE 8080
# GET /health, bypassing any proxy: no answer or an error status raises, failing the check
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", \
         "import urllib.request as r; r.build_opener(r.ProxyHandler({})).open('http://127.0.0.1:8080/health', timeout=4)"]
# docker stop sends SIGTERM: `timeline serve` (PID 1 through the entry point's exec) closes
# its server, lets the requests in progress finish and exits 0; the scheduler stops too.
ENTRYPOINT ["timeline-entrypoint"]
CMD ["timeline", "serve", "--host", "0.0.0.0", "--port", "8080"]
# `make image` adds org.opencontainers.image.revision, .source and .created with --label:
# as build arguments in a LABEL here, podman 4.3 (buildah 1.28) took the step from its cache
# whatever their values, and the image named an older revision.
LABEL org.opencontainers.image.title="timeline" \
      org.opencontainers.image.description="Event timeline and chronology service" \
      org.opencontainers.image.licenses="Apache-2.0"
