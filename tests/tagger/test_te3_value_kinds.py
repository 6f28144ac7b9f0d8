"""``benchmarks/te3.py`` sorts the value errors by kind (issue 15): each pair of a gold value and
the system's goes to the first kind that fits. The values are invented."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest


@pytest.fixture(scope="module")
def te3(repo_root: Path) -> ModuleType:
    """``benchmarks/te3.py`` as a module."""
    spec = importlib.util.spec_from_file_location(
        "te3_benchmark", repo_root / "benchmarks" / "te3.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# (gold type, gold value, system type, system value, kind)
PAIRS = [
    ("DURATION", "P2Y", "DATE", "2019", "type"),
    ("DATE", "2021-07-09", "DATE", "2021-07-16", "whole weeks off"),
    ("DATE", "2021-07-16", "DATE", "2021-07-16TNI", "part of the day"),
    ("DATE", "2021-07-16TEV", "DATE", "2021-07-16TNI", "part of the day"),
    ("TIME", "2021-07-16T09:00", "TIME", "2021-07-16T09:00-04", "clock form or zone"),
    ("TIME", "2021-07-16T24", "TIME", "2021-07-16T24:00", "clock form or zone"),
    ("DATE", "1949-XX", "DATE", "1949", "gold unspecified or unpadded"),
    ("DATE", "198X", "DATE", "198", "gold unspecified or unpadded"),
    ("DATE", "2021-W7", "DATE", "2021-W07", "gold unspecified or unpadded"),
    ("DATE", "2020-Q2", "DATE", "2020-Q3", "quarter"),
    ("DATE", "2020", "DATE", "2020-Q3", "quarter"),
    ("DATE", "2021-07", "DATE", "2021-W28", "granularity"),
    ("DATE", "2020", "DATE", "2020-07", "granularity"),
    ("DATE", "2020-12", "DATE", "2021-12", "year only"),
    ("DATE", "1944-SU", "DATE", "1945-SU", "year only"),
    ("DATE", "2021-07-15", "DATE", "2021-07-16", "another date"),
    ("DATE", "PAST_REF", "DATE", "PRESENT_REF", "vague reference"),
    ("DURATION", "P1D", "DURATION", "PT24H", "other"),
]


@pytest.mark.parametrize(("gold_type", "gold_value", "system_type", "system_value", "kind"), PAIRS)
def test_a_value_error_goes_to_the_first_kind_that_fits(
    te3: ModuleType,
    gold_type: str,
    gold_value: str,
    system_type: str,
    system_value: str,
    kind: str,
) -> None:
    classify: Callable[[dict[str, Any], dict[str, Any]], str] = te3.value_error_kind
    gold = {"type": gold_type, "value": gold_value}
    system = {"type": system_type, "value": system_value}
    assert classify(gold, system) == kind
    assert kind in te3.VALUE_KINDS


def test_value_errors_pair_each_gold_timex_with_the_first_overlapping_one(
    te3: ModuleType, tmp_path: Path
) -> None:
    text = "He resigned on Friday and left in December."
    friday, december = text.index("Friday"), text.index("December")
    gold = {
        "d1": [
            {
                "start": friday,
                "end": friday + 6,
                "text": "Friday",
                "type": "DATE",
                "value": "2021-07-09",
            },
            {
                "start": december,
                "end": december + 8,
                "text": "December",
                "type": "DATE",
                "value": "2020-12",
            },
        ]
    }
    system = [
        {
            "start": friday,
            "end": friday + 6,
            "text": "Friday",
            "type": "DATE",
            "value": "2021-07-16",
        },
        {
            "start": december,
            "end": december + 8,
            "text": "December",
            "type": "DATE",
            "value": "2020-12",
        },
    ]
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"doc": "d1", "timexes": system}) + "\n", encoding="utf-8")
    docs = {"d1": {"doc": "d1", "dct": "2021-07-17", "text": text}}
    errors = te3.value_errors(gold, docs, pred)
    assert [(e.gold["text"], e.kind) for e in errors] == [("Friday", "whole weeks off")]


# (gold start, gold end, system start, system end, kind)
SPANS = [
    (4, 10, 0, 10, "adds at the start"),
    (0, 10, 4, 10, "leaves out at the start"),
    (0, 6, 0, 10, "adds at the end"),
    (0, 10, 0, 6, "leaves out at the end"),
    (4, 10, 0, 12, "both ends"),
]


@pytest.mark.parametrize(("g_start", "g_end", "s_start", "s_end", "kind"), SPANS)
def test_an_extent_difference_goes_to_the_side_that_differs(
    te3: ModuleType, g_start: int, g_end: int, s_start: int, s_end: int, kind: str
) -> None:
    gold = {"start": g_start, "end": g_end}
    system = {"start": s_start, "end": s_end}
    assert te3.extent_difference_kind(gold, system) == kind
    assert kind in te3.EXTENT_KINDS


def test_extent_differences_count_the_missed_and_the_spurious(
    te3: ModuleType, tmp_path: Path
) -> None:
    text = "Sales rose in the past year and fell on Friday; now they rest."
    past, friday, now = text.index("past year"), text.index("Friday"), text.index("now")
    gold = {
        "d1": [
            {"start": past, "end": past + 9, "text": "past year"},
            {"start": friday, "end": friday + 6, "text": "Friday"},
        ]
    }
    system = [
        {"start": past - 4, "end": past + 9, "text": "the past year"},
        {"start": now, "end": now + 3, "text": "now"},
    ]
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"doc": "d1", "timexes": system}) + "\n", encoding="utf-8")
    found, missed, spurious = te3.extent_differences(gold, pred)
    assert [(d.gold["text"], d.kind) for d in found] == [("past year", "adds at the start")]
    assert (missed, spurious) == (1, 1)
