#!/bin/sh
# The container's entry point: bring the database (TIMELINE_DATABASE_URL) to the newest
# schema, then run the command, by default the API on 0.0.0.0:8080 (the image's CMD).
# The upgrade waits for the database (TIMELINE_DB_WAIT_SECONDS) and holds the migration
# lock, so replicas starting together migrate once; TIMELINE_MIGRATE_AT_START=false skips
# it, for deployments that run `timeline db upgrade` as a job of its own.
set -eu
timeline db upgrade --at-start
exec "$@"
