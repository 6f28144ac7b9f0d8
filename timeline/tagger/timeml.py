"""TimeML output: the text with inline ``TIMEX3`` tags, and the document creation time."""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from .model import Mention

# Characters XML 1.0 cannot hold at all, even escaped: they become U+FFFD (one for one,
# so every other character keeps its place).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """``text`` as XML character data; a carriage return is written ``&#13;`` so that a
    parser does not fold CR LF into LF."""
    return xml_escape(NOT_XML.sub("\ufffd", text), {"\r": "&#13;"})


def to_timeml(text: str, mentions: Sequence[Mention], dct: str) -> str:
    """A TimeML document of ``text`` with one ``TIMEX3`` per mention (ids t1, t2 ...; DCT is t0).

    Mentions that overlap an earlier one are left out: inline tags cannot overlap.
    """
    parts = [
        '<?xml version="1.0" ?>\n<TimeML>\n<DCT><TIMEX3 tid="t0" type="DATE" value=',
        quoteattr(dct[:10]),
        ' temporalFunction="false" functionInDocument="CREATION_TIME">',
        escape(dct),
        "</TIMEX3></DCT>\n<TEXT>",
    ]
    cursor = 0
    for number, m in enumerate(sorted(mentions, key=lambda m: m.start), start=1):
        if m.start < cursor:
            continue
        attrs = f'tid="t{number}" type="{m.type}" value={quoteattr(m.value)}'
        if m.mod:
            attrs += f" mod={quoteattr(m.mod)}"
        parts += [
            escape(text[cursor : m.start]),
            f"<TIMEX3 {attrs}>",
            escape(text[m.start : m.end]),
            "</TIMEX3>",
        ]
        cursor = m.end
    parts += [escape(text[cursor:]), "</TEXT>\n</TimeML>"]
    return "".join(parts)
