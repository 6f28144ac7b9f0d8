"""The exception tree of the timeline package.

::

    TimelineError                  base of everything this package raises on purpose
    ├── InvalidInputError          input a caller can fix (also a ValueError)
    │   ├── InvalidDateError       a publication date / --dct that is not a date
    │   └── InvalidDocumentError   a batch line that is not a {doc, dct, text} object
    └── RuleFileError              a rule file of the tagger that does not follow its FORMAT
"""

from __future__ import annotations


class TimelineError(Exception):
    """Base class of every error the package raises on purpose."""


class InvalidInputError(TimelineError, ValueError):
    """Input that the caller can correct."""


class InvalidDateError(InvalidInputError):
    """A publication date that cannot be read as an ISO 8601 date or datetime."""


class InvalidDocumentError(InvalidInputError):
    """A batch document that does not follow the JSONL contract."""


class RuleFileError(TimelineError):
    """A tagger rule file that does not follow its ``FORMAT:`` header."""
