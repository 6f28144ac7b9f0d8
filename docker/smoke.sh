#!/usr/bin/env bash
# The compose stack's smoke test (.ci/run runs it after the test suite; needs root): builds
# the image with podman (`make image`), runs compose.yaml itself with podman-compose under
# a project of its own, and checks that
#
#   - the migrate job ends 0 and web, scheduler and worker become healthy (their own checks);
#   - an editor key (`timeline keys create`) posts the seed article, whose timeline holds
#     the days it speaks of (2021-07-16, 2001-09-11);
#   - a folder source registered through the API is queued by the scheduler and run by a
#     worker, and the article file in its folder is stored and tagged;
#   - the image runs under an arbitrary uid with gid 0 (OpenShift) on a /data volume;
#
# then takes the stack down with its volumes. Any failure prints the containers' logs and
# exits 1. Only 127.0.0.1 is reached (the web port is published there).
#
# Base images: pulled when a registry gives them; where none does, stand-ins made from
# Debian's packages, ../shared/tools/container-bases.sh (python:3.11-slim,
# node:20-bookworm-slim) and docker/postgres-stand-in (postgres:15), are used instead.
#
#   docker/smoke.sh                     # KEEP=1 leaves the stack running for a look
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PROJECT=timeline-smoke
IMAGE=localhost/timeline:smoke
POSTGRES=docker.io/library/postgres:15
# the podman-compose release from PyPI (Debian's 1.0.3 ignores depends_on conditions)
PODMAN_COMPOSE_VERSION=1.6.0
BASES=${BASES:-../shared/tools/container-bases.sh}
SEED=seeds/doha-talks-2021-07-17.json
work=$(mktemp -d)
started=$SECONDS

log() { printf '== [%3d s] %s\n' "$((SECONDS - started))" "$*" >&2; }
fail() { printf 'smoke: FAILED: %s\n' "$*" >&2; exit 1; }

# --- podman, base images, podman-compose ---------------------------------------------------
if ! command -v podman >/dev/null; then
    log "installing podman"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc >/dev/null
fi

# pulled: IMAGE from its registry (then it is used, whatever stand-in was there before)
pulled() { timeout 300 podman pull --quiet "$1" >/dev/null 2>&1; }

if pulled docker.io/library/python:3.11-slim && pulled docker.io/library/node:20-bookworm-slim; then
    log "base images from the registry"
elif podman image exists docker.io/library/python:3.11-slim \
        && podman image exists docker.io/library/node:20-bookworm-slim; then
    log "no registry: the stand-in base images made earlier"
else
    log "no registry: making stand-in base images ($BASES)"
    [ -f "$BASES" ] || fail "no registry gives base images, and there is no $BASES"
    sh "$BASES"
fi
if pulled "$POSTGRES"; then
    log "$POSTGRES from the registry"
elif ! podman image exists "$POSTGRES"; then
    log "no registry: building the stand-in $POSTGRES (docker/postgres-stand-in)"
    podman build --quiet --tag "$POSTGRES" docker/postgres-stand-in >/dev/null
fi

log "podman-compose $PODMAN_COMPOSE_VERSION (PyPI) in a throwaway environment"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check \
    "podman-compose==$PODMAN_COMPOSE_VERSION" 2>&1 | grep -v '^WARNING' >&2 || true
compose() {
    "$work/venv/bin/podman-compose" --project-name "$PROJECT" --file compose.yaml \
        --env-file "$work/env" "$@"
}

log "make image IMAGE=$IMAGE"
build_started=$SECONDS
head=$(git rev-parse HEAD)
previous=$(podman image inspect "$IMAGE" --format '{{.Id}}' 2>/dev/null || true)
make --no-print-directory image IMAGE="$IMAGE" REVISION="$head" >"$work/build.log" 2>&1 \
    || { tail -n 40 "$work/build.log" >&2; fail "the image did not build"; }
build_seconds=$((SECONDS - build_started))
# the previous run's image, untagged now (its layers stay in the build cache)
if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect "$IMAGE" --format '{{.Id}}')" ]; then
    podman rmi "$previous" >/dev/null 2>&1 || true
fi
revision=$(podman image inspect "$IMAGE" --format '{{index .Config.Labels "org.opencontainers.image.revision"}}')
[ "$revision" = "$head" ] || fail "the image's revision label is '$revision'"

# --- the stack --------------------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
mkdir -p "$work/inbox/wire"
chmod 0755 "$work" "$work/inbox" "$work/inbox/wire"
# what compose.yaml reads from .env, in an env file of the test's own
{
    echo "POSTGRES_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
    echo "TIMELINE_IMAGE=$IMAGE"
    echo "POSTGRES_IMAGE=$POSTGRES"
    echo "TIMELINE_PUBLISH=127.0.0.1:$port"
    echo "TIMELINE_INBOX=$work/inbox"
} >"$work/env"

# the container of a compose service
container() {
    podman ps --all --format '{{.Names}}' \
        --filter "label=com.docker.compose.project=$PROJECT" \
        --filter "label=com.docker.compose.service=$1" | head -n 1
}

checker=
cleanup() {
    status=$?
    [ -n "$checker" ] && kill "$checker" 2>/dev/null
    if [ "$status" -ne 0 ]; then
        for service in postgres migrate web scheduler worker; do
            name=$(container "$service")
            [ -n "$name" ] || continue
            printf '\n---- logs of %s (%s) ----\n' "$service" "$name" >&2
            podman logs --tail 60 "$name" >&2 2>&1 || true
        done
    fi
    if [ -z "${KEEP:-}" ]; then
        compose down --volumes --timeout 10 >/dev/null 2>&1 || true
        podman volume rm --force "$PROJECT-sqlite" >/dev/null 2>&1 || true
        rm -rf "$work"
    else
        log "KEEP: the stack stays up on $base (editor key ${key:-not made}); its env file is $work/env"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Podman runs health checks from systemd timers; where there is no systemd (a container,
# as here) nothing runs them, so this loop does, as often as compose.yaml's shortest
# interval would. Docker runs them itself.
if [ ! -S /run/systemd/private ]; then
    while sleep 2; do
        for name in $(podman ps --format '{{.Names}}' --filter "label=com.docker.compose.project=$PROJECT"); do
            podman healthcheck run "$name" >/dev/null 2>&1 || true
        done
    done &
    checker=$!
fi

# wait_for WHAT SECONDS COMMAND...: until COMMAND succeeds, or fail after SECONDS
wait_for() {
    what=$1 limit=$2; shift 2
    deadline=$((SECONDS + limit))
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "$what: not within $limit s"
        sleep 1
    done
}
state() { podman inspect "$(container "$1")" --format "$2" 2>/dev/null; }
service_started() { [ "$(state "$1" '{{.State.Status}}')" = running ]; }
service_healthy() { [ "$(state "$1" '{{.State.Health.Status}}')" = healthy ]; }
service_completed_successfully() {
    [ "$(state "$1" '{{.State.Status}} {{.State.ExitCode}}')" = "exited 0" ]
}

# compose.yaml's services in its order, each started once the conditions of its
# depends_on hold, as `docker compose up` does. (podman-compose would start them in one go
# with `podman start --requires`, which podman 4.3 cannot do for a chain of dependencies,
# and it skips service_healthy below podman 4.6.)
stack_started=$SECONDS
log "compose up (project $PROJECT, web on $base)"
"$work/venv/bin/python" - >"$work/order" <<'PY'
import yaml

with open("compose.yaml") as file:
    services = yaml.safe_load(file)["services"]
for name, service in services.items():
    needs = service.get("depends_on", {})
    print(name, *(f"{dep}:{needs[dep]['condition']}" for dep in needs))
PY
while read -r -u 3 service needs; do
    for need in $needs; do
        wait_for "$service: ${need%%:*} ${need#*:}" 120 "${need#*:}" "${need%%:*}"
    done
    compose up --detach --no-deps "$service" >>"$work/up.log" 2>&1 \
        || { cat "$work/up.log" >&2; fail "compose up $service"; }
done 3<"$work/order"
wait_for "the migrate job ending 0" 120 service_completed_successfully migrate
wait_for "web healthy" 120 service_healthy web
wait_for "scheduler healthy" 120 service_healthy scheduler
wait_for "worker healthy" 120 service_healthy worker
log "migrated; web, scheduler and worker healthy after $((SECONDS - stack_started)) s"
for service in web scheduler worker; do
    [ "$(state "$service" '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}')" = "true 10001:0" ] \
        || fail "$service does not run read-only as 10001:0"
done

# --- the API ------------------------------------------------------------------------------
web=$(container web)
curl_api() { curl --silent --show-error --fail-with-body --noproxy '*' --max-time 60 "$@"; }
key=$(podman exec "$web" timeline keys create --role editor --name smoke) \
    || fail "timeline keys create: $key"
auth=(--header "Authorization: Bearer $key")
code=$(curl --silent --noproxy '*' --output /dev/null --write-out '%{http_code}' \
    --header 'Content-Type: application/json' --data @"$SEED" "$base/v1/articles")
[ "$code" = 401 ] || fail "a write without a key was answered $code, not 401"
log "an editor key made with timeline keys create; a write without it is refused"

article=$(curl_api "${auth[@]}" --header 'Content-Type: application/json' \
    --data @"$SEED" "$base/v1/articles") || fail "POST /v1/articles: $article"
id=$(jq -er .id <<<"$article") || fail "POST /v1/articles gave no id: $article"
timeline=$(curl_api "$base/v1/articles/$id/timeline") || fail "the seed's timeline: $timeline"
for day in 2021-07-16 2001-09-11; do
    grep -q "$day" <<<"$timeline" || fail "the seed's timeline has no $day"
done
log "the seed article $id stored; its timeline holds 2021-07-16 and 2001-09-11"

# an article file in the inbox, and a folder source over it, which the scheduler queues at
# once and a worker runs (the article is stored queued, then a worker tags it)
jq '{title: "Smoke test: talks resume in Doha", text: "Delegates met again in Doha on Monday, three days after the talks of 16 July 2021 ended without agreement.", published_at: "2021-07-19", source: "Smoke wire", language: "en"}' \
    -n >"$work/inbox/wire/smoke.json"
chmod 0644 "$work/inbox/wire/smoke.json"
source_json=$(curl_api "${auth[@]}" --header 'Content-Type: application/json' \
    --data '{"kind": "folder", "path": "wire", "interval_seconds": 3600}' \
    "$base/v1/sources") || fail "POST /v1/sources: $source_json"
source_id=$(jq -er .id <<<"$source_json")
run_done() {
    runs=$(curl_api "$base/v1/sources/$source_id/runs") || return 1
    jq -e '.items | any(.status == "done" and .new == 1)' <<<"$runs" >/dev/null \
        || { jq -e '.items | any(.status == "failed")' <<<"$runs" >/dev/null \
            && fail "the folder source's run failed: $runs"; return 1; }
}
wait_for "the worker's run of the folder source" 90 run_done
found=$(curl_api --get --data-urlencode 'q=Smoke test' "$base/v1/articles")
[ "$(jq -r '.items | length' <<<"$found")" = 1 ] || fail "the inbox article is not stored: $found"
inbox_tagged() {
    found=$(curl_api --get --data-urlencode 'q=Smoke test' "$base/v1/articles") || return 1
    jq -e '.items[0].status == "tagged"' <<<"$found" >/dev/null
}
wait_for "the worker's tagging of the inbox article" 60 inbox_tagged
podman healthcheck run "$(container scheduler)" >/dev/null || fail "the scheduler's health check"
podman healthcheck run "$(container worker)" >/dev/null || fail "the worker's health check"
log "the scheduler queued the folder source, a worker ran it: the inbox article is tagged"

# --- an arbitrary uid with gid 0 on a /data volume (SQLite) --------------------------------
# the first creates the database and stores the seed, the second writes to it
as_uid() {
    uid=$1; shift
    podman run --rm --user "$uid:0" --volume "$PROJECT-sqlite:/data" \
        --volume "$PWD/seeds:/seeds:ro" "$IMAGE" "$@" >"$work/uid.log" 2>&1 \
        || { cat "$work/uid.log" >&2; fail "uid $uid:0 could not use the /data volume"; }
}
as_uid 1000770000 timeline load /seeds
as_uid 1000880000 timeline source add folder wire --interval 3600
log "uids 1000770000 and 1000880000 (gid 0) both wrote to one /data volume"

if [ -z "${KEEP:-}" ]; then
    log "stopping"
    compose down --volumes --timeout 30 >"$work/down.log" 2>&1 \
        || { cat "$work/down.log" >&2; fail "compose down"; }
    [ -z "$(container web)" ] || fail "containers left after compose down"
fi
log "passed: image built in ${build_seconds} s, smoke test $((SECONDS - started)) s in all"
