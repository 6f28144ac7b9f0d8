#!/bin/sh
# The container's entry point: bring the database (TIMELINE_DATABASE_URL) to the newest
# schema, then run the command, by default the API on 0.0.0.0:8080 (the image's CMD).
# The upgrade waits for the database (TIMELINE_DB_WAIT_SECONDS) and holds the migration
# lock, so replicas starting together migrate once; TIMELINE_MIGRATE_AT_START=false skips
# it, for deployments that run `timeline db upgrade` as a job of its own.
set -eu
# Files the service makes in /data are group 0's (the folder is setgid) and writable by it,
# like /data itself, so that another arbitrary uid with gid 0 (OpenShift) can use them.
# SQLite creates its database 0644 whatever the umask (and its journals like it), so an
# SQLite database that does not exist yet is made here first, empty, 0664.
umask 0002
case ${TIMELINE_DATABASE_URL:-} in
    sqlite:///*\?*) ;;
    sqlite:///*)
        database=${TIMELINE_DATABASE_URL#sqlite:///}
        [ -e "$database" ] || touch "$database" 2>/dev/null || true
        ;;
esac
timeline db upgrade --at-start
exec "$@"
