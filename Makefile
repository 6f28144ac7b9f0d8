# make run    migrate, store the seed articles and serve the API on http://127.0.0.1:8080
# make show   print the seed article's time references (no service)
# make test   ruff, mypy --strict, hadolint and pytest
# make lint   ruff, mypy --strict and hadolint only
# make bench  the benchmark scripts under benchmarks/, if any
# make assets TimelineJS from its pinned npm release (package-lock.json) into timeline/static/vendor/
# make image  the container image (podman, else docker), labelled with the git revision
# make lock   regenerate requirements.lock, the image's dependencies with their hashes
# make clean  caches and build output; make distclean also removes .venv

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
# touched after a successful pip install: setup.cfg or pyproject.toml newer than the stamp
# means the dependencies may have changed, and the install runs again.
STAMP := $(VENV)/.installed
SEED := seeds/doha-talks-2021-07-17.json
HOST ?= 127.0.0.1
PORT ?= 8080
# git does not keep empty folders: lint only the ones a checkout has.
LINT_PATHS := $(wildcard timeline tests benchmarks)
# benchmarks/soak.py is left out: it needs PostgreSQL and takes a minute more than its load
# (the README's Operations section says how to run it).
BENCHMARKS := $(wildcard benchmarks/te3.py benchmarks/speed.py benchmarks/instructions.py benchmarks/editorial.py benchmarks/headlines.py benchmarks/events.py benchmarks/merge.py benchmarks/ingest.py benchmarks/api.py benchmarks/timeline_read.py benchmarks/heavy_posts.py benchmarks/scale.py)

# TimelineJS, as the embeddable page serves it: the npm release package-lock.json pins, its
# built script, locales, style sheet and icon font (no fonts or scripts from elsewhere).
TLJS := timeline/static/vendor/timelinejs
TLJS_DIST := node_modules/@knight-lab/timelinejs/dist
TLJS_STAMP := $(TLJS)/.installed

# The image: its name, the engine that builds it, where its source lives and which commit
# it is (the org.opencontainers.image.source and .revision labels).
IMAGE ?= timeline
ENGINE ?= $(shell command -v podman 2>/dev/null || command -v docker 2>/dev/null)
SOURCE_URL ?= $(shell git remote get-url origin 2>/dev/null)
REVISION ?= $(shell git rev-parse HEAD)

.PHONY: .venv assets run show test lint bench image lock clean distclean
.DEFAULT_GOAL := run

.venv: $(STAMP)

assets: $(TLJS_STAMP)

$(TLJS_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: npm is needed for the TimelineJS assets" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(TLJS) && mkdir -p $(TLJS)/js $(TLJS)/css
	cp $(TLJS_DIST)/js/timeline.js $(TLJS)/js/
	cp -r $(TLJS_DIST)/js/locale $(TLJS)/js/
	cp $(TLJS_DIST)/css/timeline.css $(TLJS)/css/
	cp -r $(TLJS_DIST)/css/icons $(TLJS)/css/
	cp node_modules/@knight-lab/timelinejs/LICENSE $(TLJS)/LICENSE
	touch $(TLJS_STAMP)

$(STAMP): setup.cfg pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: no python3.11 or python3 found; set PYTHON=..." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "make: $(PYTHON) is not a Python 3.11+ interpreter; set PYTHON=..." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Migrates the database (an SQLite file under instance/ unless TIMELINE_DATABASE_URL says
# otherwise), stores the seed articles, registers seeds/ as a folder source (read every five
# minutes: an article file dropped there is ingested), creates an editor key and prints it
# with a curl command that uses it (writes need a key; each run makes a new one, named
# "make run": `timeline keys list` shows them, `timeline keys revoke ID` ends one), starts
# the scheduler (one process of its own, which runs the sources on their schedules; its log
# in instance/scheduler.log) and serves the API until interrupted, then stops the scheduler.
run: export TIMELINE_FOLDER_ROOT ?= $(CURDIR)
# log lines for a person at a terminal (the service's default is JSON, for a log collector)
run: export TIMELINE_LOG_FORMAT ?= text
run: .venv assets
	$(BIN)/timeline db upgrade
	$(BIN)/timeline load seeds
	$(BIN)/timeline source add folder seeds --interval 300
	@key=$$($(BIN)/timeline keys create --role editor --name "make run") || exit 1; \
		echo "editor key (for writes): $$key"; \
		echo "  curl -H 'Authorization: Bearer $$key' -H 'Content-Type: application/json' \\"; \
		echo "    -d '{\"text\": \"Talks resume on Monday.\", \"published_at\": \"2021-07-17\"}' \\"; \
		echo "    http://$(HOST):$(PORT)/v1/articles"
	@echo "API reference:           http://$(HOST):$(PORT)/docs"
	@echo "seed article's timeline: http://$(HOST):$(PORT)/v1/articles/1/timeline"
	@echo "embeddable timeline:     http://$(HOST):$(PORT)/embed/timeline?article=1"
	@echo "scheduler:               running beside the server, log in instance/scheduler.log"
	@mkdir -p instance; $(BIN)/timeline scheduler >instance/scheduler.log 2>&1 & scheduler=$$!; \
		trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
		$(BIN)/timeline serve --host $(HOST) --port $(PORT)

# Prints the seed article's time references, without the service.
show: .venv
	$(BIN)/timeline show $(SEED)

lint: .venv
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/mypy --strict timeline tests
	$(BIN)/mypy --strict benchmarks
	$(BIN)/hadolint Dockerfile docker/postgres-stand-in/Containerfile

# Every check runs even when an earlier one fails, so that one run shows everything;
# the target fails if any of them did (pytest's "no tests collected" counts as a failure).
test: .venv assets
	@failed=""; \
	echo "$(BIN)/ruff check $(LINT_PATHS)"; $(BIN)/ruff check $(LINT_PATHS) || failed="$$failed ruff"; \
	echo "$(BIN)/mypy --strict timeline tests"; $(BIN)/mypy --strict timeline tests || failed="$$failed mypy"; \
	echo "$(BIN)/mypy --strict benchmarks"; $(BIN)/mypy --strict benchmarks || failed="$$failed mypy"; \
	echo "$(BIN)/hadolint Dockerfile docker/postgres-stand-in/Containerfile"; \
	$(BIN)/hadolint Dockerfile docker/postgres-stand-in/Containerfile || failed="$$failed hadolint"; \
	echo "$(BIN)/pytest"; $(BIN)/pytest || failed="$$failed pytest"; \
	if [ -n "$$failed" ]; then echo "make test: failed:$$failed" >&2; exit 1; fi

bench: .venv
ifeq ($(BENCHMARKS),)
	@echo "make bench: no benchmarks/te3.py or benchmarks/speed.py yet"
else
	@for script in $(BENCHMARKS); do echo "$(BIN)/python $$script"; $(BIN)/python $$script || exit 1; done
endif

# podman's default (OCI) format would drop the HEALTHCHECK; --format docker keeps it. The
# labels are given here, not as build arguments: those podman 4.3 took from its cache.
image:
	@test -n "$(ENGINE)" || { echo "make: podman or docker is needed for the image" >&2; exit 1; }
	$(ENGINE) build $(if $(findstring podman,$(ENGINE)),--format docker) \
		--label org.opencontainers.image.revision=$(REVISION) \
		--label org.opencontainers.image.source=$(SOURCE_URL) \
		--label org.opencontainers.image.created=$$(date -u +%Y-%m-%dT%H:%M:%SZ) \
		--tag $(IMAGE) .

# pip-tools in a throwaway virtual environment resolves setup.cfg's requirements, the
# postgres extra's and pyproject.toml's build requirements for this Python (3.11 on
# Linux, as in the image), each pinned with the hashes of all its files on the index.
# Existing pins stay unless LOCK_FLAGS=--upgrade; tests/test_deployment.py fails when
# setup.cfg asks for something the lock does not give.
lock:
	@test -n "$(PYTHON)" || { echo "make: no python3.11 or python3 found; set PYTHON=..." >&2; exit 1; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT \
		&& $(PYTHON) -m venv "$$tmp" \
		&& "$$tmp/bin/pip" install --quiet pip-tools \
		&& CUSTOM_COMPILE_COMMAND="make lock" "$$tmp/bin/pip-compile" --quiet $(LOCK_FLAGS) \
			--extra postgres --all-build-deps --allow-unsafe --generate-hashes \
			--strip-extras --no-emit-index-url --no-emit-find-links \
			--output-file requirements.lock setup.cfg

clean:
	rm -rf build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache .hypothesis
	find timeline tests benchmarks -name __pycache__ -type d -prune -exec rm -rf {} + 2>/dev/null || true

distclean: clean
	rm -rf $(VENV)
