"""The exception tree of the timeline package.

::

    TimelineError                  base of everything this package raises on purpose
    ├── InvalidInputError          input a caller can fix (also a ValueError)
    │   ├── InvalidDateError       a publication date / --dct that is not a date
    │   ├── InvalidDocumentError   a batch line that is not a {doc, dct, text} object
    │   └── LimitExceededError     an article beyond a limit of the work it may take (its
    │                              size, its time references, its units of work)
    ├── RuleFileError              a rule file of the tagger that does not follow its FORMAT
    ├── DatabaseUnavailableError   the database did not answer within the time allowed
    └── FetchError                 a source that could not be fetched (the error says why)
        ├── UnsafeURLError         a URL refused before any connection: not http(s), or an
        │                          address that is loopback, private, link-local or reserved
        └── TooLargeError          a response longer than the size allowed
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


class LimitExceededError(InvalidInputError):
    """An article beyond one of the limits of :mod:`timeline.limits`: ``limit`` names the
    setting (``MAX_ARTICLE_CHARS``, ``MAX_MENTIONS``, ``WORK_BUDGET``, ``ARTICLE_SECONDS``),
    ``value`` its value; the message says which, and what the article came to."""

    def __init__(self, message: str, limit: str, value: float) -> None:
        super().__init__(message)
        self.limit, self.value = limit, value


class RuleFileError(TimelineError):
    """A tagger rule file that does not follow its ``FORMAT:`` header."""


class DatabaseUnavailableError(TimelineError):
    """The database did not answer within the time a command waits for it at start."""


class FetchError(TimelineError):
    """A URL that could not be fetched: a network error, a timeout, too many redirects, an
    error status after the retries."""


class UnsafeURLError(FetchError):
    """A URL refused before any connection was made: another scheme than http(s), no host,
    or a host that is (or resolves to) a loopback, private, link-local or reserved address."""


class TooLargeError(FetchError):
    """A response longer than the largest body a fetch accepts."""
