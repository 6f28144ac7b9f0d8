#!/bin/sh
# The official image's first start, in short: an empty PGDATA becomes a cluster whose
# superuser is POSTGRES_USER (postgres) with POSTGRES_PASSWORD, a database POSTGRES_DB (the
# user's name) and password logins from any address; then PostgreSQL runs in the foreground.
set -eu
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    initdb --username="$user" --pwfile="$pwfile" --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    if [ "$database" != postgres ]; then
        # on the socket only, so that nothing connects before the database exists
        pg_ctl --silent --wait -o "-c listen_addresses=''" start
        createdb --username="$user" "$database"
        pg_ctl --silent --wait --mode=fast stop
    fi
fi
if [ "$1" = postgres ]; then
    shift
    exec postgres -c listen_addresses='*' "$@"
fi
exec "$@"
