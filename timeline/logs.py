"""Logs: one JSON object a line on standard output, an id for every request, an access log.

:func:`configure` sets up the root logger of ``timeline serve``, ``timeline scheduler`` and
``timeline db upgrade`` from the settings ``LOG_FORMAT`` (``json``, the default, or ``text``
for a terminal) and ``LOG_LEVEL`` (``INFO``). A JSON line holds ``time`` (ISO 8601, UTC),
``level``, ``logger``, ``message``, ``request_id`` while a request is served, the record's
extra fields and, when there is one, ``exception`` (the traceback in one string)::

    {"time": "2025-03-01T09:30:00.125Z", "level": "INFO", "logger": "timeline.access",
     "message": "GET /v1/articles 200 12.5 ms", "request_id": "3f2a...", "method": "GET", ...}

:func:`init_app` wraps the application in :class:`AccessLog`: each request gets an id (the
client's ``X-Request-ID`` when it is sane, a new one otherwise) that the response carries in
its ``X-Request-ID`` header, and one record of the ``timeline.access`` logger once its
response has been sent. Headers are never logged, so neither is ``Authorization``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

from .errors import InvalidInputError

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask import Flask

REQUEST_ID_HEADER = "X-Request-ID"
# an incoming id is kept when it is 1 to 128 of these characters (a UUID, nginx's
# $request_id, a trace id); anything else (a line break, a kilobyte) is replaced
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
# the longest path and query string an access record keeps of a request
MAX_LOGGED = 2048
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# where a request's environ holds the id of the API key that authorised it
KEY_ID = "timeline.key_id"

_request_id: ContextVar[str | None] = ContextVar("timeline_request_id", default=None)
access_log = logging.getLogger("timeline.access")

# the attributes every LogRecord has: the others are a record's extra fields
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "request_id"}
)


def request_id() -> str | None:
    """The id of the request this thread is serving, if it serves one."""
    return _request_id.get()


def accepted_id(given: str | None) -> str:
    """The id of a request that sent ``given`` as its ``X-Request-ID``: that one when it is
    sane, else a new one (32 hexadecimal digits)."""
    if given is not None and SANE_REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Gives every record logged while a request is served that request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON (ASCII only, so that no reader splits it)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None)
        if rid:
            entry["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """A record as a line for a terminal: time, level, logger, request id and message (its
    line breaks escaped; a traceback follows on lines of its own)."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage().replace("\r", "\\r").replace("\n", "\\n")
        rid = getattr(record, "request_id", None)
        line = f"{_utc(record.created)} {record.levelname} {record.name}"
        line += f" [{rid}] {message}" if rid else f" {message}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


FORMATTERS: dict[str, Callable[[], logging.Formatter]] = {
    "json": JsonFormatter,
    "text": TextFormatter,
}


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler :func:`configure` installs (and replaces when called again): it writes to
    ``stream``, or else to whatever ``sys.stdout`` is when a record comes (a test's capture
    may have replaced the one there was at start)."""

    def __init__(self, stream: IO[str] | None) -> None:
        super().__init__(stream or sys.stdout)
        self.follows_stdout = stream is None

    def emit(self, record: logging.LogRecord) -> None:
        if self.follows_stdout:
            self.stream = sys.stdout
        super().emit(record)


def configure(config: Mapping[str, Any], stream: IO[str] | None = None) -> None:
    """Send every log record at ``LOG_LEVEL`` or above to ``stream`` (standard output) as
    ``LOG_FORMAT`` says, in place of the handler an earlier call installed; warnings become
    records. A setting that is neither is an :class:`InvalidInputError`."""
    chosen = str(config.get("LOG_FORMAT") or "json").strip().lower()
    if chosen not in FORMATTERS:
        raise InvalidInputError(
            f"TIMELINE_LOG_FORMAT is not json or text: {config.get('LOG_FORMAT')!r}"
        )
    level = str(config.get("LOG_LEVEL") or "INFO").strip().upper()
    if level not in LEVELS:
        raise InvalidInputError(
            f"TIMELINE_LOG_LEVEL is not one of {', '.join(LEVELS)}: {config.get('LOG_LEVEL')!r}"
        )
    handler = _Handler(stream)
    handler.setFormatter(FORMATTERS[chosen]())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)


def init_app(app: Flask) -> None:
    """Give each request of ``app`` an id and an access record (:class:`AccessLog`) that
    names the API key it was authorised with."""
    from flask.signals import request_finished

    app.wsgi_app = AccessLog(app.wsgi_app)  # type: ignore[method-assign]
    request_finished.connect(_note_key, app)


def _note_key(app: Flask, **_extra: Any) -> None:
    """``request_finished``: leave the id of the API key that authorised the request
    (``flask.g.caller``, :mod:`timeline.api.access`) where the access record finds it."""
    from flask import g, request

    key_id = getattr(g.get("caller"), "key_id", None)
    if key_id is not None:
        request.environ[KEY_ID] = key_id


class AccessLog:
    """WSGI middleware: the request's id (in ``X-Request-ID`` both ways, and in the records
    logged while it is served) and one ``timeline.access`` record when its response has been
    sent (or the client went away): method, path, query, status, duration in milliseconds,
    bytes of the body sent, client address, user agent, request id and the id of the API
    key that authorised it (``key_id``, when one did)."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        rid = accepted_id(environ.get("HTTP_X_REQUEST_ID"))
        statuses: list[str] = []

        def start(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> Callable[[bytes], object]:
            statuses.append(status)
            headers = [(k, v) for k, v in headers if k.lower() != REQUEST_ID_HEADER.lower()]
            headers.append((REQUEST_ID_HEADER, rid))
            return start_response(status, headers, exc_info)

        def finished(sent: int) -> None:
            status = statuses[-1] if statuses else "500"
            _log_access(environ, status, rid, time.perf_counter() - started, sent)

        token = _request_id.set(rid)
        try:
            body = self.app(environ, start)
        except BaseException:
            finished(0)
            raise
        finally:
            _request_id.reset(token)
        return _Counted(body, finished)


class _Counted:
    """A response body that counts the bytes sent and reports them once closed."""

    def __init__(self, body: Iterable[bytes], done: Callable[[int], None]) -> None:
        self.body = body
        self.done = done
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done(self.sent)


def _log_access(environ: WSGIEnvironment, status: str, rid: str, seconds: float, sent: int) -> None:
    """The access record of one request."""
    method = str(environ.get("REQUEST_METHOD", ""))
    path = _readable(str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", "")))
    query = str(environ.get("QUERY_STRING", ""))[:MAX_LOGGED]
    code = int(status.split(" ", 1)[0]) if status[:3].isdigit() else 0
    milliseconds = round(seconds * 1000, 1)
    access_log.info(
        "%s %s %s %.1f ms",
        method,
        path,
        code,
        milliseconds,
        extra={
            "request_id": rid,
            "method": method,
            "path": path,
            "query": query,
            "status": code,
            "duration_ms": milliseconds,
            "bytes": sent,
            "remote_addr": environ.get("REMOTE_ADDR"),
            "user_agent": _readable(str(environ.get("HTTP_USER_AGENT", ""))) or None,
            "key_id": environ.get(KEY_ID),
        },
    )


def _readable(wsgi_text: str) -> str:
    """A WSGI string (bytes as Latin-1) as the UTF-8 text it holds, cut to
    :data:`MAX_LOGGED` characters."""
    return wsgi_text.encode("latin-1", "replace").decode("utf-8", "replace")[:MAX_LOGGED]


def _utc(created: float) -> str:
    """A record's time as ISO 8601 in UTC, to the millisecond."""
    moment = datetime.fromtimestamp(created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
