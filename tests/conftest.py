"""Shared fixtures: the reference date of the golden tables, the repository root, a CLI
runner, HTTP servers of the tests' own on 127.0.0.1, and the settings every test starts
from: the tagger's table cache in a temporary folder, API keys off
(``TIMELINE_REQUIRE_KEYS=false``) and no rate limits, in this process and in the processes
that tests start. The tests of access control turn them on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from timeline import Mention, tag
from timeline.cli.commands import main

REFERENCE = "2021-07-17"  # a Saturday: "Friday" said in the past tense is 2021-07-16
REPO_ROOT = Path(__file__).resolve().parent.parent


# What the tests that are not about access control run with: the application reads them as
# environment variables, so that the served processes that tests start inherit them.
NO_ACCESS_CONTROL = {
    "TIMELINE_REQUIRE_KEYS": "false",
    "TIMELINE_WRITE_RATE": "off",
    "TIMELINE_RUN_RATE": "off",
}


@pytest.fixture(scope="session", autouse=True)
def tagger_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tagger's table cache (:mod:`timeline.tagger.tablecache`) in a folder of the
    session's own, shared with the processes that tests start, never the user's."""
    folder = tmp_path_factory.mktemp("tagger-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TIMELINE_TAGGER_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def without_access_control() -> Iterator[None]:
    """Keys off and no rate limits for the whole session (before any fixture of a wider scope
    starts a server); a test of access control sets them in its own configuration."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in NO_ACCESS_CONTROL.items():
            patch.setenv(name, value)
        yield


@pytest.fixture(scope="session")
def reference() -> str:
    """The publication date every golden table is read against."""
    return REFERENCE


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The root of the repository (where ``seeds/`` lives)."""
    return REPO_ROOT


@pytest.fixture
def tag_at(reference: str) -> Callable[[str], list[Mention]]:
    """``tag`` bound to the reference date, checking that every offset points into the text."""

    def run(text: str) -> list[Mention]:
        mentions = tag(text, reference)
        for m in mentions:
            assert text[m.start : m.end] == m.text, (
                f"offsets {m.start}-{m.end} do not give {m.text!r}"
            )
        return mentions

    return run


@dataclass(frozen=True)
class CliResult:
    """What one ``timeline`` command did: its exit status and what it printed."""

    code: int
    out: str
    err: str

    def assert_usage_error(self, *words: str) -> None:
        """Exit status 2, nothing on stdout, and one ``timeline: error:`` line on stderr that
        contains each of ``words`` (and no traceback)."""
        assert self.code == 2
        assert self.out == ""
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("timeline: error: ")
        assert "Traceback" not in self.err
        for word in words:
            assert word in lines[0], f"{word!r} not in {lines[0]!r}"


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[[Sequence[str]], CliResult]:
    """Run ``timeline.cli.commands.main(argv)`` in-process and capture its output."""

    def run(argv: Sequence[str]) -> CliResult:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def local_server() -> Iterator[Callable[[type[BaseHTTPRequestHandler]], str]]:
    """Start a threaded HTTP server on 127.0.0.1 (a free port) with a handler class; returns
    its base URL. The servers stop at the end of the test."""
    servers: list[ThreadingHTTPServer] = []

    def start(handler: type[BaseHTTPRequestHandler]) -> str:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        servers.append(httpd)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def logging_as_it_was() -> Iterator[None]:
    """Undo what a test's ``timeline.logs.configure`` (run by an in-process ``timeline serve``,
    ``scheduler`` or ``db upgrade``) did to the root logger, so that no later test logs."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.captureWarnings(False)
