#!/bin/sh
# The container's entry point: bring the database (TIMELINE_DATABASE_URL) to the newest
# schema, then run the command, by default the API on 0.0.0.0:8080 (the image's CMD).
set -eu
timeline db upgrade
exec "$@"
