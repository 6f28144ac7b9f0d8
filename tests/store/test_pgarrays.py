"""The text of a PostgreSQL array that the grouping statements send as one parameter
(``timeline/store/pgarrays.py``): what it holds, and, on PostgreSQL, that the server reads
back every value as it was, whatever the characters of a string."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from support import DATABASES, EXTERNAL_DATABASE

from timeline.store.pgarrays import Element, array_literal

STRINGS = [
    "plain",
    "two words",
    "",
    'a "quoted" word',
    "back\\slash",
    "ends with a backslash\\",
    "{braces},commas",
    "NULL",
    " spaces around ",
    "@Kabul",
    "Ünïcode — “quotes”",
    "tab\tand\nnewline",
]


def test_numbers_booleans_and_nulls() -> None:
    assert array_literal([]) == "{}"
    assert array_literal([1, -2, 2**40]) == "{1,-2,1099511627776}"
    assert array_literal([True, False, None]) == "{t,f,NULL}"
    assert array_literal(iter([3, None])) == "{3,NULL}"


def test_strings_are_quoted_with_their_quotes_and_backslashes_escaped() -> None:
    assert array_literal(["a b", 'c"d', "e\\f", "NULL"]) == '{"a b","c\\"d","e\\\\f","NULL"}'


def test_other_values_are_refused() -> None:
    with pytest.raises(TypeError):
        array_literal([1.5])  # type: ignore[list-item]


@pytest.mark.skipif(
    "postgresql" not in DATABASES, reason="TIMELINE_TEST_DATABASE_URL names no PostgreSQL server"
)
@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("VARCHAR", [*STRINGS, None]),
        ("TEXT", STRINGS),
        ("INTEGER", [0, 1, -1, 2**31 - 1, -(2**31), None]),
        ("BIGINT", [2**63 - 1, -(2**63), 7]),
        ("BOOLEAN", [True, False, None]),
        ("INTEGER", []),
    ],
)
def test_postgresql_reads_back_the_values(kind: str, values: list[Element]) -> None:
    engine = create_engine(EXTERNAL_DATABASE)
    try:
        with engine.connect() as connection:
            back = connection.scalar(
                text(f"SELECT CAST(:values AS {kind}[])"), {"values": array_literal(values)}
            )
    finally:
        engine.dispose()
    assert back == values
