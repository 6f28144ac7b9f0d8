"""Article files: one JSON object per news article, the input format of ``timeline show``.

The format is documented in ``seeds/README.md``::

    {"title": "...", "text": "...", "published_at": "2021-07-17", "source": "Al Jazeera",
     "url": null, "language": "en", "region": "AF"}

``load_article(path)`` reads and checks one such file and returns an :class:`Article`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidInputError
from ..tagger import parse_published

__all__ = ["Article", "check_article", "load_article"]

REQUIRED = ("title", "text", "published_at", "source", "language")
OPTIONAL = ("url", "region")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
REGION_CODE = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class Article:
    """A news article: its text and what the tagger needs to read it.

    ``published_at`` is kept as written in the file (an ISO 8601 date or datetime, already
    checked); mention offsets from ``tag(article.text, article.published_at)`` index ``text``.
    """

    title: str
    text: str
    published_at: str
    source: str
    language: str
    url: str | None = None
    region: str | None = None


# JSON can spell half a UTF-16 pair ("\ud800") that no UTF-8 text can hold.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def load_article(path: str | os.PathLike[str]) -> Article:
    """Read and check the article file at ``path``.

    Raises :class:`~timeline.errors.InvalidInputError` naming the file (and the field, when
    one is at fault) if the file cannot be read, is not UTF-8 JSON, or breaks the format.
    """
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as handle:
            raw = handle.read()
    except OSError as exc:
        raise InvalidInputError(f"{name}: cannot read the file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InvalidInputError(f"{name}: the file is not UTF-8 text") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except (RecursionError, ValueError):  # nesting too deep, a number of 4,300+ digits
        raise InvalidInputError(
            f"{name}: not valid JSON (nested too deep or too long a number)"
        ) from None
    if not isinstance(data, dict):
        raise InvalidInputError(f"{name}: expected a JSON object, got {_json_type(data)}")
    return check_article(name, data)


def check_article(name: str, data: dict[str, Any]) -> Article:
    """The :class:`Article` of a decoded JSON object (from the file or line ``name``), or an
    :class:`~timeline.errors.InvalidInputError` naming the faulty field."""
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise InvalidInputError(f"{name}: unknown field {unknown[0]!r}")
    for key in REQUIRED:
        if key not in data:
            raise InvalidInputError(f"{name}: missing required field {key!r}")
        value = data[key]
        if not isinstance(value, str):
            raise InvalidInputError(
                f"{name}: field {key!r} must be a string, got {_json_type(value)}"
            )
        if not value.strip():
            raise InvalidInputError(f"{name}: field {key!r} must not be empty")
    for key in OPTIONAL:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise InvalidInputError(
                f"{name}: field {key!r} must be a string or null, got {_json_type(value)}"
            )
        if isinstance(value, str) and not value.strip():
            raise InvalidInputError(f"{name}: field {key!r} must not be empty (use null)")
    for key in (*REQUIRED, *OPTIONAL):
        value = data.get(key)
        if isinstance(value, str) and LONE_SURROGATE.search(value):
            raise InvalidInputError(
                f"{name}: field {key!r} is not valid Unicode (a lone surrogate)"
            )
    try:
        parse_published(data["published_at"])
    except InvalidInputError:
        raise InvalidInputError(
            f"{name}: field 'published_at' must be an ISO 8601 date or datetime "
            f"(e.g. 2021-07-17), got {data['published_at']!r}"
        ) from None
    if not LANGUAGE_TAG.fullmatch(data["language"]):
        raise InvalidInputError(
            f"{name}: field 'language' must be a language tag such as 'en', "
            f"got {data['language']!r}"
        )
    region = data.get("region")
    if region is not None and not REGION_CODE.fullmatch(region):
        raise InvalidInputError(
            f"{name}: field 'region' must be an ISO 3166-1 alpha-2 code such as 'AF', "
            f"got {region!r}"
        )
    return Article(
        title=data["title"],
        text=data["text"],
        published_at=data["published_at"],
        source=data["source"],
        language=data["language"],
        url=data.get("url"),
        region=region,
    )


def _json_type(value: object) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
