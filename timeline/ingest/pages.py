"""Web pages reduced to their main text (also what page ingestion uses).

The stored text is trafilatura's main text: the article without navigation, ads or
comments. Where trafilatura finds no article (a fragment such as ``<p>Talks resume on
Friday.</p>`` is too short for it), the page's visible text stands in, and failing that the
page with its tags removed. The offsets of the mentions index the stored text, not the HTML.
"""

from __future__ import annotations

import re

from ..errors import InvalidInputError

# White space as both Python and ECMA-262 regular expressions spell it (``\s`` differs).
SPACE = " \t\n\r\f\v"
# A page with no text outside its tags: only white space and ``<...>``. The API's contract
# states the same rule (openapi.yaml: ``html`` must not match this).
NO_TEXT = r"^(?:[ \t\n\r\f\v]|<[^>]*>)*$"
TAG = re.compile(r"<[^>]*>")
# Characters lxml will not hold in a tree (C0 controls but tab and line breaks, and DEL).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_text(html: str) -> bool:
    """Whether ``html`` holds any text outside its tags."""
    return re.fullmatch(NO_TEXT, html) is None


def visible_text(html: str) -> str:
    """The text a browser would show: without scripts, styles and comments, one line per
    line of the page with its runs of spaces collapsed."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(CONTROL.sub(" ", html))
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, "script", "style", "template", etree.Comment, with_tail=False)
    text = etree.tostring(root, method="text", encoding="unicode", with_tail=False)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def main_text(html: str) -> str:
    """The main text of an HTML page (see the module's description).

    Raises :class:`InvalidInputError` when the page holds no text outside its tags.
    """
    import trafilatura

    if not has_text(html):
        raise InvalidInputError("the HTML holds no text outside its tags")
    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    if text and text.strip():
        return str(text)
    text = visible_text(html)
    if text:
        return text
    return TAG.sub("", html).strip(SPACE)  # not empty: the page has text outside its tags
