"""The public API is what ``timeline.__all__`` names, and nothing else."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

import timeline

PUBLIC_API = {
    "InvalidDateError",
    "InvalidInputError",
    "Interval",
    "Mention",
    "TimelineError",
    "tag",
}


def test_all_is_exactly_the_public_api() -> None:
    assert sorted(timeline.__all__) == sorted(PUBLIC_API)
    assert len(timeline.__all__) == len(set(timeline.__all__))


def test_every_name_in_all_exists() -> None:
    for name in timeline.__all__:
        assert getattr(timeline, name, None) is not None, name


def test_star_import_gives_the_public_api() -> None:
    namespace: dict[str, object] = {}
    exec("from timeline import *", namespace)
    assert set(namespace) - {"__builtins__"} == PUBLIC_API


def test_tag_is_importable_and_keeps_its_signature() -> None:
    from timeline import tag

    params = inspect.signature(tag).parameters
    assert list(params) == ["text", "published", "language", "region"]
    assert params["language"].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["language"].default == "en"
    assert params["region"].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["region"].default is None


def test_mention_fields() -> None:
    fields = [f.name for f in dataclasses.fields(timeline.Mention)]
    assert fields[:9] == [
        "start",
        "end",
        "text",
        "type",
        "value",
        "mod",
        "interval",
        "anchor",
        "confidence",
    ]
    assert "rule" in fields
    assert [f.name for f in dataclasses.fields(timeline.Interval)] == [
        "start",
        "end",
        "granularity",
    ]


def test_mention_is_frozen_and_serialisable() -> None:
    (mention,) = timeline.tag("The army clashed on Friday.", "2021-07-17")
    assert mention.to_dict()["value"] == "2021-07-16"
    with pytest.raises(dataclasses.FrozenInstanceError):
        mention.value = "2021-07-23"  # type: ignore[misc]


def test_errors_form_one_tree() -> None:
    assert issubclass(timeline.InvalidInputError, timeline.TimelineError)
    assert issubclass(timeline.InvalidInputError, ValueError)
    assert issubclass(timeline.InvalidDateError, timeline.InvalidInputError)
