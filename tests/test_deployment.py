"""The deployment files agree with the package: ``requirements.lock`` (what the image
installs, hash-checked) gives every requirement of ``setup.cfg`` and ``pyproject.toml``, and
``compose.yaml`` names every setting the service reads. docker/smoke.sh runs the stack."""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from timeline.app import DEFAULTS
from timeline.ingest import scheduler

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "timeline"
# the extras of setup.cfg that the image installs
IMAGE_EXTRAS = ("postgres",)
# keys of the configuration that are not settings of a deployment
NOT_SETTINGS = {
    "JSON_SORT_KEYS": "Flask's own",
    "INSTANCE_PATH": "the app's instance folder, handed to the scheduler by the service",
}


def required() -> list[Requirement]:
    """What the image needs: setup.cfg's install_requires, its image extras, and the build
    system's requirements (the package is built without downloading)."""
    setup = configparser.ConfigParser(interpolation=None)
    setup.read(ROOT / "setup.cfg")
    lines = setup["options"]["install_requires"].splitlines()
    for extra in IMAGE_EXTRAS:
        lines += setup["options.extras_require"][extra].splitlines()
    with open(ROOT / "pyproject.toml", "rb") as file:
        lines += tomllib.load(file)["build-system"]["requires"]
    return [Requirement(line) for line in lines if line.strip()]


def locked() -> dict[str, tuple[Version, int]]:
    """requirements.lock's pins: each name with its version and how many hashes it lists."""
    pins: dict[str, tuple[Version, int]] = {}
    name = ""
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if pin := re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)", line):
            name = canonicalize_name(pin[1])
            pins[name] = (Version(pin[2]), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
    return pins


@pytest.mark.parametrize("requirement", required(), ids=str)
def test_the_lock_pins_each_requirement_with_hashes(requirement: Requirement) -> None:
    """A requirement added to setup.cfg, or narrowed there, fails here until `make lock`."""
    pins = locked()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{requirement} is not in requirements.lock: run make lock"
    version, hashes = pins[name]
    assert requirement.specifier.contains(version, prereleases=True), (
        f"requirements.lock pins {name} {version}, outside {requirement}: run make lock"
    )
    assert hashes > 0, f"requirements.lock gives no hash for {name}"


def settings_read() -> set[str]:
    """The settings the package reads: its defaults, every ``config["X"]`` and
    ``config.get("X")`` in its code, and the scheduler's periods."""
    names = set(DEFAULTS)
    reads = re.compile(r"config(?:\.get\(|\[)\s*\"([A-Z][A-Z0-9_]*)\"")
    for path in PACKAGE.rglob("*.py"):
        names.update(reads.findall(path.read_text()))
    periods: dict[str, float] = getattr(scheduler, "DEFAULT_SECONDS", {})
    names.update(f"SCHEDULER_{period}_SECONDS" for period in periods)
    return names - set(NOT_SETTINGS)


def compose() -> dict[str, Any]:
    """compose.yaml, its anchors merged."""
    with open(ROOT / "compose.yaml") as file:
        document: dict[str, Any] = yaml.safe_load(file)
    return document


def test_compose_names_every_setting_and_no_other() -> None:
    """Each setting is in compose.yaml's x-settings, with its default; none is stale."""
    named = set(compose()["x-settings"])
    expected = {f"TIMELINE_{name}" for name in settings_read()}
    assert sorted(expected - named) == [], "settings compose.yaml does not name"
    assert sorted(named - expected) == [], "settings compose.yaml names that nothing reads"


def test_the_worker_consumes_the_queue_and_checks_itself() -> None:
    """The worker service runs `timeline worker` with its own health check (not the web
    server's), reads the folder sources' inbox as the scheduler does, and sets no
    container_name or published port, which would stop `--scale worker=N`."""
    services = compose()["services"]
    worker = services["worker"]
    assert worker["command"] == ["timeline", "worker"]
    assert worker["healthcheck"]["test"] == ["CMD", "timeline", "worker", "--check"]
    assert worker["volumes"] == services["scheduler"]["volumes"]
    assert "container_name" not in worker and "ports" not in worker


def test_the_scheduler_has_its_own_health_check() -> None:
    """The scheduler does not inherit the image's (the web server's) health check, and the
    services that do not migrate start after the migration job has succeeded."""
    services = compose()["services"]
    assert services["scheduler"]["healthcheck"]["test"] == [
        "CMD",
        "timeline",
        "scheduler",
        "--check",
    ]
    for name in ("web", "scheduler", "worker"):
        assert services[name]["environment"]["TIMELINE_MIGRATE_AT_START"] == "false"
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully"
