"""Article files (``timeline.ingest.files.load_article``): the seed loads, and every bad file is
rejected with an ``InvalidInputError`` naming the file and the field or problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from timeline.errors import InvalidInputError
from timeline.ingest.files import Article, load_article

SEED = Path("seeds") / "doha-talks-2021-07-17.json"
VALID: dict[str, Any] = {
    "title": "Talks in Doha",
    "text": "The army clashed with fighters on Friday.",
    "published_at": "2021-07-17",
    "source": "Al Jazeera",
    "language": "en",
    "url": None,
    "region": "AF",
}


def write_json(tmp_path: Path, data: object, name: str = "article.json") -> Path:
    """``data`` written as a JSON file under ``tmp_path``."""
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def rejected(path: Path, *words: str) -> str:
    """The message of the ``InvalidInputError`` that ``load_article(path)`` raises.

    The message must name the file and contain each of ``words``.
    """
    with pytest.raises(InvalidInputError) as caught:
        load_article(path)
    message = str(caught.value)
    assert str(path) in message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    return message


def test_the_seed_article_loads(repo_root: Path) -> None:
    article = load_article(repo_root / SEED)
    assert isinstance(article, Article)
    assert article.title.startswith("High-stakes negotiations between the Afghan government")
    assert article.source == "Al Jazeera"
    assert article.published_at == "2021-07-17"
    assert article.language == "en"
    assert article.region == "AF"
    assert article.url is None
    assert article.text.startswith("With the escalation of local violence in Afghanistan")
    assert "Source link" not in article.text


def test_load_article_takes_a_str_path(repo_root: Path) -> None:
    assert load_article(str(repo_root / SEED)) == load_article(repo_root / SEED)


def test_a_valid_file_keeps_every_field(tmp_path: Path) -> None:
    data = VALID | {"url": "https://example.org/a", "published_at": "2021-07-17T09:30:00Z"}
    article = load_article(write_json(tmp_path, data))
    assert article == Article(
        title="Talks in Doha",
        text="The army clashed with fighters on Friday.",
        published_at="2021-07-17T09:30:00Z",
        source="Al Jazeera",
        language="en",
        url="https://example.org/a",
        region="AF",
    )


def test_optional_fields_may_be_absent(tmp_path: Path) -> None:
    data = {k: v for k, v in VALID.items() if k not in ("url", "region")}
    article = load_article(write_json(tmp_path, data))
    assert (article.url, article.region) == (None, None)


def test_text_is_kept_exactly_as_decoded(tmp_path: Path) -> None:
    text = "  First paragraph, on Friday.\n\nSecond\tparagraph & <more>.  "
    article = load_article(write_json(tmp_path, VALID | {"text": text}))
    assert article.text == text


# The kinds of unreadable file.


def test_a_missing_file(tmp_path: Path) -> None:
    rejected(tmp_path / "missing.json", "cannot read")


def test_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()
    rejected(folder, "cannot read")


def test_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text('{"title": "Talks",\n  "text": }', encoding="utf-8")
    rejected(path, "not valid JSON", "line 2")


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text("", encoding="utf-8")
    rejected(path, "not valid JSON")


@pytest.mark.parametrize(
    ("data", "kind"),
    [([VALID], "an array"), ("text", "a string"), (17, "a number"), (None, "null")],
)
def test_json_that_is_not_an_object(tmp_path: Path, data: object, kind: str) -> None:
    rejected(write_json(tmp_path, data), "expected a JSON object", kind)


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_bytes(
        json.dumps(VALID | {"title": "Caf\u00e9"}, ensure_ascii=False).encode("latin-1")
    )
    assert b"Caf\xe9" in path.read_bytes()
    rejected(path, "not UTF-8")


# The kinds of file that breaks the format, each naming the faulty field.


@pytest.mark.parametrize("field", ["title", "text", "published_at", "source", "language"])
def test_a_missing_required_field(tmp_path: Path, field: str) -> None:
    data = {k: v for k, v in VALID.items() if k != field}
    rejected(write_json(tmp_path, data), "missing required field", repr(field))


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("title", 17, ("must be a string", "a number")),
        ("text", ["On Friday."], ("must be a string", "an array")),
        ("published_at", None, ("must be a string", "null")),
        ("source", True, ("must be a string", "a boolean")),
        ("language", {"code": "en"}, ("must be a string", "an object")),
        ("url", 17, ("must be a string or null", "a number")),
        ("region", ["AF"], ("must be a string or null", "an array")),
    ],
)
def test_a_field_of_the_wrong_type(
    tmp_path: Path, field: str, value: object, words: tuple[str, ...]
) -> None:
    rejected(write_json(tmp_path, VALID | {field: value}), repr(field), *words)


@pytest.mark.parametrize("field", ["title", "text", "source", "url", "region"])
@pytest.mark.parametrize("value", ["", "  \n"])
def test_an_empty_string(tmp_path: Path, field: str, value: str) -> None:
    rejected(write_json(tmp_path, VALID | {field: value}), repr(field), "must not be empty")


def test_an_empty_url_asks_for_null(tmp_path: Path) -> None:
    message = rejected(write_json(tmp_path, VALID | {"url": ""}), "'url'")
    assert "use null" in message


@pytest.mark.parametrize("value", ["17/07/2021", "2021-02-30", "July 17, 2021", "yesterday"])
def test_a_bad_publication_date(tmp_path: Path, value: str) -> None:
    rejected(write_json(tmp_path, VALID | {"published_at": value}), "'published_at'", repr(value))


def test_an_unknown_field(tmp_path: Path) -> None:
    data = {k: v for k, v in VALID.items() if k != "title"} | {"titel": "Talks in Doha"}
    rejected(write_json(tmp_path, data), "unknown field", "'titel'")


@pytest.mark.parametrize("value", ["af", "AFG", "A1", "Afghanistan"])
def test_a_bad_region(tmp_path: Path, value: str) -> None:
    rejected(write_json(tmp_path, VALID | {"region": value}), "'region'", repr(value))


@pytest.mark.parametrize("value", ["english", "e", "en_US", "12"])
def test_a_bad_language(tmp_path: Path, value: str) -> None:
    rejected(write_json(tmp_path, VALID | {"language": value}), "'language'", repr(value))


@pytest.mark.parametrize(
    "raw", [b"[" * 100_000, b'{"title": ' + b"1" * 5000 + b"}"], ids=["deep", "long-number"]
)
def test_hostile_json_is_invalid_input(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "article.json"
    path.write_bytes(raw)
    rejected(path)


def test_a_lone_surrogate_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text(json.dumps(VALID | {"title": "\ud800"}), encoding="utf-8")
    rejected(path, "'title'", "Unicode")
