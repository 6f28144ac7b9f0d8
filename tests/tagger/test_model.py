"""The tagger's value objects: what :func:`quick_init` gives them is what the dataclass
``__init__`` gave."""

from __future__ import annotations

import dataclasses
from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from timeline.tagger.model import Interval, Mention, Partial, quick_init


@dataclass(frozen=True)
class Plain:
    a: int
    b: str = "x"
    c: tuple[int, ...] = ()


@quick_init
@dataclass(frozen=True)
class Quick:
    a: int
    b: str = "x"
    c: tuple[int, ...] = ()


def test_a_quick_init_holds_what_the_dataclass_init_holds() -> None:
    for args, kwargs in [((1,), {}), ((1, "y"), {}), ((1,), {"c": (2,)}), ((), {"a": 3, "b": "z"})]:
        plain, quick = Plain(*args, **kwargs), Quick(*args, **kwargs)  # type: ignore[arg-type]
        assert vars(quick) == vars(plain)
        assert dataclasses.astuple(quick) == dataclasses.astuple(plain)
    assert Quick(1) == Quick(1) and hash(Quick(1)) == hash(Quick(1)) and Quick(1) != Quick(2)
    assert dataclasses.replace(Quick(1), b="w") == Quick(1, "w")
    with pytest.raises(FrozenInstanceError):
        Quick(1).a = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        Quick()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Quick(1, d=2)  # type: ignore[call-arg]


def test_the_tagger_objects_keep_their_fields_and_post_init() -> None:
    partial = Partial(0, 6, "Friday", "weekday", {"type": "DATE", "dow": "5"})
    assert partial.get("dow") == "5" and partial.get("y") is None
    interval = Interval("2021-07-16", "2021-07-17", "day")
    mention = Mention(0, 6, "Friday", "DATE", "2021-07-16", None, interval, "2021-07-17", 0.8)
    assert (mention.rule, mention.range, mention.part_of) == ("", None, None)
    assert mention.to_dict()["interval"] == {"start": "2021-07-16", "end": "2021-07-17"}
    assert dataclasses.replace(mention, part_of=3).part_of == 3


def test_a_field_made_by_a_factory_keeps_the_dataclass_init() -> None:
    with pytest.raises(TypeError, match="needs the dataclass __init__"):

        @quick_init
        @dataclass(frozen=True)
        class Made:
            items: list[int] = field(default_factory=list)
