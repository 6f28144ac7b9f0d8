"""timeline: finds the time references of news articles and orders them into timelines.

>>> from timeline import tag
>>> [(m.text, m.value) for m in tag("The army clashed on Friday.", "2021-07-17")]
[('Friday', '2021-07-16')]
"""

from .errors import InvalidDateError, InvalidInputError, TimelineError
from .tagger import Interval, Mention, tag

__all__ = ["Interval", "InvalidDateError", "InvalidInputError", "Mention", "TimelineError", "tag"]
__version__ = "0.1.0"
