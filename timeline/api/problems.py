"""One error shape on the wire: RFC 9457 problem details (``application/problem+json``).

Every HTTP error, a validation error of a request (422, with the messages of each field),
an article beyond a limit of :mod:`timeline.limits` (422, with the ``limit`` and its
``value``),
an oversized body (413), a body that is not JSON (415) or JSON that cannot be read (400: too
deep, or an integer of more digits than Python converts), becomes a problem document; an
unexpected exception is logged and answered 500 without its traceback.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    UnprocessableEntity,
    UnsupportedMediaType,
)

from ..errors import LimitExceededError
from ..logs import request_id

PROBLEM_JSON = "application/problem+json"
BODY_METHODS = {"POST", "PUT", "PATCH"}


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> Response:
    """A problem-details response; it names the request's id (``request_id``, as the
    ``X-Request-ID`` header does) so that a client can quote it."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    extra.setdefault("request_id", request_id())
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)


def http_problem(error: HTTPException) -> Response:
    """The problem document of an HTTP error (422s carry the field messages)."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    detail = data.get("message") if isinstance(data, dict) else None
    if status == 400 and isinstance(messages, dict) and "json" in messages:
        detail = detail or "The request body is not valid JSON."
    detail = detail or (error.description if status != 422 else "The request is not valid.")
    response = problem(status, error.name, detail, errors=messages)
    allowed = getattr(error, "valid_methods", None)
    if status == 405 and allowed:
        response.headers["Allow"] = ", ".join(allowed)
    return response


def limit_problem(error: LimitExceededError) -> Response:
    """422 for an article beyond a limit of :mod:`timeline.limits`: which limit (``limit``,
    the setting's name), its ``value``, and what the article came to (``detail``)."""
    value = int(error.value) if float(error.value).is_integer() else error.value
    return problem(422, UnprocessableEntity().name, str(error), limit=error.limit, value=value)


def unexpected_problem(error: Exception) -> Response:
    """A 500 for a bug: logged with its traceback, answered without it."""
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return http_problem(InternalServerError())


def require_json() -> None:
    """Refuse a request body that is not JSON (415), or not JSON that can be read (400),
    before any view reads it; a routing error (404, 405) comes first, and a request with no
    body at all passes (the view that wants one says it is missing)."""
    if request.routing_exception is not None or request.method not in BODY_METHODS:
        return
    if not request.path.startswith("/v1/"):
        return
    if not request.content_length and not request.mimetype:
        return  # no body at all ("POST /v1/sources/1/run"): nothing to read
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Send the request body as application/json.")
    try:
        json.loads(request.get_data(cache=True))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return  # malformed JSON is webargs' 400, with its message
    except RecursionError:
        raise BadRequest("The request body nests too deeply to be read.") from None
    except ValueError:  # an integer longer than Python reads (sys.get_int_max_str_digits)
        raise BadRequest(
            f"The request body holds a number of more than {sys.get_int_max_str_digits()} digits."
        ) from None


def answer_options() -> Response | None:
    """``OPTIONS`` on a route: 204 with the methods it allows (Flask's own answer is an
    empty HTML page)."""
    if request.method != "OPTIONS" or request.url_rule is None:
        return None
    methods = sorted(request.url_rule.methods or ())
    return Response(status=204, headers={"Allow": ", ".join(methods)})


def init_app(app: Flask) -> None:
    """Answer every error of ``app`` with a problem document."""
    app.register_error_handler(HTTPException, http_problem)
    app.register_error_handler(LimitExceededError, limit_problem)
    app.register_error_handler(Exception, unexpected_problem)
    app.before_request(answer_options)
    app.before_request(require_json)
