"""Arrays sent to PostgreSQL as one text parameter each, written out here.

The statements that take many values at once (the rows ``given`` of the grouping statements,
the keys of the advisory locks) read arrays: ``CAST(:name AS INTEGER[])``. A Python list as
the parameter costs the driver a conversion of every element in Python (for an article's
grouping, about a dozen arrays: 0.7 ms of the 20 ms of CPU a post costs); the array's text
form written here, a string the server casts the same way, costs a join.
"""

from __future__ import annotations

from collections.abc import Iterable

# The array elements these statements send: numbers, booleans, strings and nulls.
Element = int | str | bool | None


def array_literal(values: Iterable[Element]) -> str:
    """``values`` as the text of a one-dimensional PostgreSQL array (``{1,2,NULL}``,
    ``{"a b","c\\"d"}``), for ``CAST(:parameter AS type[])``: each string quoted, its
    backslashes and double quotes escaped; ``None`` is ``NULL``, a boolean ``t`` or ``f``."""
    return "{" + ",".join(_element(value) for value in values) + "}"


def _element(value: Element) -> str:
    """One element of :func:`array_literal`."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise TypeError(f"no array element for {type(value).__name__}")
