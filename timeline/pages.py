"""Web pages reduced to their main text, with trafilatura (also what page ingestion uses).

The stored text is what trafilatura returns; the offsets of the mentions index that text,
not the HTML.
"""

from __future__ import annotations

from .errors import InvalidInputError


def main_text(html: str) -> str:
    """The main text of an HTML page: its article, without navigation, ads or comments.

    Raises :class:`InvalidInputError` when the page holds no text to speak of.
    """
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not text or not text.strip():
        raise InvalidInputError("the HTML holds no main text")
    return str(text)
