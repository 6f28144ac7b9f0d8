"""Request and response schemas of the REST API (marshmallow): they validate requests and
they are the OpenAPI document's components."""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma
from marshmallow import validate
from webargs.fields import DelimitedList

from ..errors import InvalidInputError
from ..events.kinds import KINDS
from ..ingest.pages import NO_TEXT, has_text
from ..store.groupreads import SAMPLE
from ..store.timelines import CURSOR, DEFAULT_LIMIT, MAX_LIMIT, decode_cursor
from ..tagger import parse_published

# Characters no database text column takes: NUL (PostgreSQL) and halves of UTF-16 pairs.
NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


# What openapi.yaml can say of that: no NUL (a lone surrogate cannot be told from half of a
# pair by an ECMA-262 pattern, so only the description says it).
NO_NUL = "^[^\\u0000]*$"


class Text(ma.fields.String):
    """A string that a database can store: no NUL, no lone surrogate. Every string field of
    a request is one (PostgreSQL refuses NUL in a text parameter, even in a ``WHERE``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not any(isinstance(v, validate.Regexp) for v in self.validators):
            self.metadata = {"pattern": NO_NUL, **self.metadata}

    def _deserialize(self, value: object, attr: str | None, data: object, **kwargs: object) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        if NOT_TEXT.search(text):
            raise ma.ValidationError(
                "Contains a character that is not text (NUL or a lone surrogate)."
            )
        return text


# The forms of ``published_at`` the API takes, exactly: an ISO 8601 (RFC 3339) calendar date,
# optionally with a time of day to the minute, second or fraction of one, and a UTC offset.
# The date part admits only days that exist (29 February in leap years), so that the
# pattern in openapi.yaml says all there is to say about the field.
YEAR = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
MONTH_DAY = (
    "(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    "|(?:0[13-9]|1[0-2])-(?:29|30)"
    "|(?:0[13578]|1[02])-31)"
)
HOUR, MINUTE = "(?:[01][0-9]|2[0-3])", "[0-5][0-9]"
TIME = f"[T ]{HOUR}:{MINUTE}(?::{MINUTE}(?:[.][0-9]{{1,6}})?)?(?:Z|[+-]{HOUR}:{MINUTE})?"
PUBLISHED = f"^(?:{YEAR}-{MONTH_DAY}|{LEAP_YEAR}-02-29)(?:{TIME})?$"


def published_date(value: str) -> None:
    """An ISO 8601 date, or date and time, in the forms :data:`PUBLISHED` spells out."""
    if not re.fullmatch(PUBLISHED, value):
        raise ma.ValidationError(
            "Not an ISO 8601 date or date and time such as 2021-07-17 or 2021-07-17T09:30:00+04:30."
        )
    try:
        parse_published(value)
    except InvalidInputError as exc:  # the pattern should have said so
        raise ma.ValidationError(str(exc)) from None


def page_with_text(value: str) -> None:
    """A page with some text outside its tags."""
    if not has_text(value):
        raise ma.ValidationError("The page holds no text outside its tags.")


# No control character or space anywhere (spelt out: Python's ``\s`` and ECMA-262's differ).
HTTP_URL = re.compile(r"^https?://[^\x00-\x20\x7f/?#]+[^\x00-\x20\x7f]*$")


def http_url(value: str) -> None:
    """An http or https URL, all of it (no space or control character anywhere)."""
    if not HTTP_URL.fullmatch(value):
        raise ma.ValidationError("Not an http(s) URL.")


def supported_languages() -> list[str]:
    """The language codes the tagger reads: English by its rules, the others through
    dateparser (ISO 639 codes, without region subtags)."""
    from dateparser.languages.loader import default_loader

    codes = {code for code in default_loader.get_locale_map() if "-" not in code}
    return sorted(codes | {"en"})


LANGUAGES = supported_languages()


class Strict(ma.Schema):
    """Unknown fields are an error, so that a misspelt one is not silently dropped."""

    class Meta:
        unknown = ma.RAISE


class ExtractRequest(Strict):
    text = Text(required=True, metadata={"description": "The text to tag"})
    published_at = Text(
        required=True,
        validate=[validate.Length(max=40), published_date],
        metadata={
            "description": "Publication date (ISO 8601) the references resolve against",
            "example": "2021-07-17",
            "pattern": PUBLISHED,
        },
    )
    language = Text(
        load_default="en",
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "ISO 639 code of the text's language"},
    )
    region = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"\A[A-Z]{2}\Z", error="an ISO 3166-1 alpha-2 code such as 'AF'"),
        metadata={"description": "Country whose holiday observance to follow"},
    )


class ArticleRequest(ExtractRequest):
    text = Text(
        load_default=None,
        allow_none=False,
        metadata={"description": "The article's text (or give html)"},
    )
    html = Text(
        load_default=None,
        allow_none=False,
        validate=page_with_text,
        metadata={
            "description": (
                "The article's web page: its main text is extracted and stored (the visible"
                " text where no article is found); it must hold some text outside its tags"
            ),
            "not": {"pattern": NO_TEXT},
        },
    )
    title = Text(load_default=None, allow_none=True, validate=validate.Length(max=1024))
    url = Text(
        load_default=None,
        allow_none=True,
        validate=[validate.Length(max=2048), http_url],
        metadata={
            "description": "Where the article was published: the same URL is the same article",
            "pattern": HTTP_URL.pattern,
        },
    )
    source = Text(load_default=None, allow_none=True, validate=validate.Length(max=256))

    @ma.validates_schema
    def one_body(self, data: dict[str, object], **_kwargs: object) -> None:
        """Exactly one of ``text`` and ``html``."""
        if (data.get("text") is None) == (data.get("html") is None):
            raise ma.ValidationError("Give exactly one of text and html.", "text")


class IntervalSchema(ma.Schema):
    start = ma.fields.String(allow_none=True, metadata={"description": "Inclusive start"})
    end = ma.fields.String(allow_none=True, metadata={"description": "Exclusive end"})


class RangeSchema(IntervalSchema):
    granularity = ma.fields.String(metadata={"description": "The coarser of its two ends'"})


class MentionSchema(ma.Schema):
    start = ma.fields.Integer(metadata={"description": "Offset of the first character"})
    end = ma.fields.Integer(metadata={"description": "Offset after the last character"})
    text = ma.fields.String()
    type = ma.fields.String(validate=validate.OneOf(["DATE", "TIME", "DURATION", "SET"]))
    value = ma.fields.String(metadata={"description": "TIMEX3 value"})
    mod = ma.fields.String(allow_none=True)
    interval = ma.fields.Nested(IntervalSchema, allow_none=True)
    granularity = ma.fields.String(allow_none=True)
    anchor = ma.fields.String(metadata={"description": "The date it was resolved against"})
    confidence = ma.fields.Float()
    range = ma.fields.Nested(
        RangeSchema,
        allow_none=True,
        metadata={
            "description": 'On the first end of a range ("1998-99", "from 2004 to 2006"): '
            "the interval of the whole range; a timeline makes one entry of it"
        },
    )
    part_of = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "The start of the mention this one completes (the last end of a "
            'range, the day of a clock time: "at 09:30 GMT on Tuesday"); null when none'
        },
    )


class ExtractResponse(ma.Schema):
    published_at = ma.fields.String()
    timexes = ma.fields.List(ma.fields.Nested(MentionSchema))


class ArticleSchema(ma.Schema):
    id = ma.fields.Integer()
    url = ma.fields.String(allow_none=True)
    title = ma.fields.String(allow_none=True)
    source = ma.fields.String(allow_none=True)
    language = ma.fields.String()
    region = ma.fields.String(allow_none=True)
    published_at = ma.fields.String(
        allow_none=True, metadata={"description": "Null when the source gave no date"}
    )
    published_missing = ma.fields.Boolean(
        metadata={
            "description": "No publication date was found: the article's dates were read "
            "against the moment it came in, with lower confidence"
        }
    )
    ingested_at = ma.fields.DateTime()
    status = ma.fields.String(
        validate=validate.OneOf(["queued", "tagging", "tagged", "failed"]),
        metadata={
            "description": "queued (accepted, waiting for a worker), tagging, tagged (its"
            " mentions and events are stored) or failed (error says why)"
        },
    )
    error = ma.fields.String(allow_none=True)
    mention_count = ma.fields.Integer()


class ArticleDetailSchema(ArticleSchema):
    text = ma.fields.String()


class ArticlePageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ArticleSchema))
    next_cursor = ma.fields.Integer(
        allow_none=True, metadata={"description": "Pass as `cursor` for the next page"}
    )


class PageQuery(Strict):
    """A page of a list ordered by id: after ``cursor``, at most ``limit`` items."""

    cursor = ma.fields.Integer(
        validate=validate.Range(min=0),
        metadata={"description": "The next_cursor of the previous page"},
    )
    limit = ma.fields.Integer(validate=validate.Range(min=1, max=100))


class ArticlePostQuery(Strict):
    wait = ma.fields.Boolean(
        load_default=None,
        metadata={
            "description": "true: tag in the request and answer 201 with the tagged article;"
            " false: answer 202 at once and tag in a worker. Unset: 201 for a text up to"
            " TIMELINE_TAG_IN_REQUEST_CHARS characters (10,000 by default), else 202"
        },
    )


class ArticleQuery(PageQuery):
    source = Text()
    language = Text()
    published_from = ma.fields.Date(metadata={"description": "On or after this date"})
    published_to = ma.fields.Date(metadata={"description": "On or before this date"})
    q = Text(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Full-text search: the title or text holds every word (any case)"},
    )


class MentionListSchema(ma.Schema):
    article_id = ma.fields.Integer()
    timexes = ma.fields.List(ma.fields.Nested(MentionSchema))


class TimelineCursor(Text):
    """The cursor of a timeline page (``next_cursor``), read into the key the page starts
    after."""

    def _deserialize(self, value: object, attr: str | None, data: object, **kwargs: object) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return decode_cursor(text)
        except ValueError as exc:
            raise ma.ValidationError(
                "Not a cursor of a timeline: pass the next_cursor of the previous page."
            ) from exc


class TimelineFilters(Strict):
    q = Text(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Full-text search: the article's title or text holds every word"},
    )
    source = Text()
    article = ma.fields.Integer(metadata={"description": "Only this article's events"})
    from_ = ma.fields.Date(
        data_key="from",
        metadata={
            "description": "Ending after this day starts (with within: starting on it or after)"
        },
    )
    to = ma.fields.Date(
        metadata={"description": "Starting on or before this day (with within: ending by its end)"}
    )
    within = ma.fields.Boolean(
        truthy={"true"},
        falsy={"false"},
        load_default=False,
        metadata={
            "description": "true: only the entries that lie inside the from/to window, not "
            'those that overlap it (a two-day window leaves out "this year")'
        },
    )
    kind = DelimitedList(
        Text(validate=validate.OneOf(KINDS)),
        validate=validate.Length(min=1),
        metadata={
            "description": "The kinds of entry to show, comma-separated: event, state, "
            'reporting ("a spokesman said on Monday"), background (an event dated only '
            'vaguely: "recently", "in recent weeks"). By default event,state'
        },
    )


TIMELINE_FORMATS = ["json", "timelinejs", "ics", "csv"]


class TimelineQuery(TimelineFilters):
    limit = ma.fields.Integer(
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={
            "description": f"The most entries on a page: by default {DEFAULT_LIMIT} in JSON, "
            f"{MAX_LIMIT} in the other formats"
        },
    )
    cursor = TimelineCursor(
        metadata={
            "description": "The next_cursor of the previous page: the page after it",
            "pattern": f"^(?:{CURSOR})$",
        },
    )
    format = Text(
        validate=validate.OneOf(TIMELINE_FORMATS),
        metadata={
            "description": "json (the default), timelinejs (TimelineJS 3), ics or csv; "
            "without it, the Accept header chooses (text/calendar, text/csv)"
        },
    )


class ArticleTimelineQuery(TimelineQuery):
    format = Text(
        validate=validate.OneOf([*TIMELINE_FORMATS, "timeml"]),
        metadata={
            "description": "json (the default), timelinejs (TimelineJS 3), ics, csv or "
            "timeml; without it, the Accept header chooses (text/calendar, text/csv, "
            "application/xml)"
        },
    )


class JsonBoolean(ma.fields.Boolean):
    """JSON ``true`` or ``false``, and nothing else (not 0, 1 or "yes")."""

    def _deserialize(self, value: object, attr: str | None, data: object, **kwargs: object) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def _cron_field(value: str, step: str) -> str:
    return rf"(?:\*(?:/(?:{step}))?|{value}(?:,{value})*)"


# A five-field crontab (minute hour day month weekday) in the forms the scheduler takes:
# "*", "*/step" (a step within the field's range) or a list of values within it.
CRON = (
    "^"
    + " ".join(
        _cron_field(value, step)
        for value, step in (
            ("[0-5]?[0-9]", "[1-9]|[1-5][0-9]"),
            ("(?:[01]?[0-9]|2[0-3])", "[1-9]|1[0-9]|2[0-3]"),
            ("(?:0?[1-9]|[12][0-9]|3[01])", "[1-9]|[12][0-9]|30"),
            ("(?:0?[1-9]|1[0-2])", "[1-9]|1[01]"),
            ("[0-6]", "[1-6]"),
        )
    )
    + "$"
)
# A folder under the folder root: names of letters, digits, ".", "_" and "-" (not starting
# with a dot), joined by "/": never absolute, never "..".
FOLDER = r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}(?:/[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}){0,9}$"
# The longest interval between two runs of a source: a year.
MAX_INTERVAL = 366 * 24 * 3600


def cron(value: str) -> None:
    """A crontab the scheduler takes (see :data:`CRON`)."""
    if not re.fullmatch(CRON, value):
        raise ma.ValidationError(
            "Not a crontab of five fields (minute hour day month weekday) such as '0 6 * * *'."
        )


def folder(value: str) -> None:
    """A folder under the folder root (see :data:`FOLDER`)."""
    if not re.fullmatch(FOLDER, value):
        raise ma.ValidationError("Not a folder under the folder root, such as 'seeds'.")


class SourceUpdate(Strict):
    interval_seconds = ma.fields.Integer(
        validate=validate.Range(min=1, max=MAX_INTERVAL),
        metadata={"description": "Run every so many seconds (instead of cron)"},
    )
    cron = Text(
        validate=cron,
        metadata={
            "description": "Run on this UTC crontab (instead of interval_seconds)",
            "pattern": CRON,
            "example": "0 6 * * *",
        },
    )
    enabled = JsonBoolean()

    @ma.validates_schema
    def one_schedule(self, data: dict[str, object], **_kwargs: object) -> None:
        """Not both ``interval_seconds`` and ``cron``."""
        if "interval_seconds" in data and "cron" in data:
            raise ma.ValidationError("Give interval_seconds or cron, not both.", "cron")

    @ma.validates_schema
    def some_change(self, data: dict[str, object], **_kwargs: object) -> None:
        """At least one field: a PATCH with no body, or ``{}``, changes nothing."""
        if not data:
            raise ma.ValidationError("Give at least one of interval_seconds, cron and enabled.")


class SourceRequest(SourceUpdate):
    kind = Text(
        required=True,
        validate=validate.OneOf(["feed", "page", "folder"]),
        metadata={"description": "feed (RSS or Atom), page (one web page) or folder"},
    )
    url = Text(
        validate=[validate.Length(max=2048), http_url],
        metadata={
            "description": "The feed's or page's http(s) URL (checked when fetched: never a "
            "private address)",
            "pattern": HTTP_URL.pattern,
        },
    )
    path = Text(
        validate=folder,
        metadata={
            "description": "The folder of article files, under the folder root",
            "pattern": FOLDER,
        },
    )
    enabled = JsonBoolean(load_default=True)

    @ma.validates_schema
    def one_address_and_schedule(self, data: dict[str, object], **_kwargs: object) -> None:
        """A URL for a feed or page, a path for a folder; one of the two schedules."""
        if (data.get("kind") == "folder") != ("path" in data) or ("url" in data) == (
            "path" in data
        ):
            raise ma.ValidationError(
                "A feed or page needs url (and no path), a folder path (and no url).", "kind"
            )
        if ("interval_seconds" in data) == ("cron" in data):
            raise ma.ValidationError("Give interval_seconds or cron, exactly one.", "cron")


class SourceSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    url = ma.fields.String(allow_none=True)
    path = ma.fields.String(allow_none=True)
    interval_seconds = ma.fields.Integer(allow_none=True)
    cron = ma.fields.String(allow_none=True)
    enabled = ma.fields.Boolean()
    created_at = ma.fields.DateTime()


class SourceListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SourceSchema))
    next_cursor = ma.fields.Integer(
        allow_none=True, metadata={"description": "Pass as `cursor` for the next page"}
    )


class RunSchema(ma.Schema):
    id = ma.fields.Integer()
    source_id = ma.fields.Integer()
    status = ma.fields.String(validate=validate.OneOf(["queued", "running", "done", "failed"]))
    requested_at = ma.fields.DateTime()
    started_at = ma.fields.DateTime(allow_none=True)
    ended_at = ma.fields.DateTime(allow_none=True)
    seen = ma.fields.Integer()
    new = ma.fields.Integer()
    skipped = ma.fields.Integer()
    failed = ma.fields.Integer()
    error = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Why a failed run failed; on a run that is done, the items it "
            "could not use, with their reasons (the first ten), else null"
        },
    )


class RunListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RunSchema))


class EventIntervalSchema(ma.Schema):
    start = ma.fields.String(metadata={"description": "Inclusive start (ISO 8601)"})
    end = ma.fields.String(metadata={"description": "Exclusive end (ISO 8601)"})
    granularity = ma.fields.String(
        metadata={"description": "day, week, month, quarter, year, ... or vague"}
    )


class EventMentionSchema(ma.Schema):
    article_id = ma.fields.Integer()
    start = ma.fields.Integer(metadata={"description": "Offset into the article's text"})
    end = ma.fields.Integer(metadata={"description": "Offset after the last character"})
    text = ma.fields.String(metadata={"description": "The time reference's words"})
    value = ma.fields.String(metadata={"description": "TIMEX3 value"})


class ConflictSchema(EventMentionSchema):
    interval = ma.fields.Nested(EventIntervalSchema)
    display_date = ma.fields.String()
    headline = ma.fields.String()
    reports = ma.fields.Integer(
        metadata={
            "description": "How many of the entry's reports give this date (this one is the latest)"
        }
    )


class TriggerSchema(ma.Schema):
    article_id = ma.fields.Integer()
    start = ma.fields.Integer()
    end = ma.fields.Integer()
    text = ma.fields.String(metadata={"description": "The word that names the event"})


class EventSchema(ma.Schema):
    id = ma.fields.Integer(
        metadata={
            "description": "The entry's id, the same in every view of it (the timeline across"
            " articles, an article's timeline, the embed and the exports): the id of its"
            " event's group of reports, which is the id of the group's first report"
        }
    )
    report_id = ma.fields.Integer(
        metadata={
            "description": "The id of the report the entry shows: across articles the"
            " report whose date leads its group, in an article's timeline that article's own"
        }
    )
    interval = ma.fields.Nested(EventIntervalSchema)
    display_date = ma.fields.String(metadata={"example": "Friday 16 July 2021"})
    headline = ma.fields.String(metadata={"description": "The clause that reports the event"})
    kind = ma.fields.String(
        validate=validate.OneOf(KINDS),
        metadata={
            "description": "event (something happened), state (something held over a stretch "
            "of time), reporting (the saying of something) or background (an event or state "
            'dated only vaguely: "recently", "in recent weeks"); the last two are shown only '
            "when asked for"
        },
    )
    text = ma.fields.String(metadata={"description": "The sentence that reports it"})
    trigger = ma.fields.Nested(TriggerSchema, allow_none=True)
    other_triggers = ma.fields.List(
        ma.fields.Nested(TriggerSchema),
        metadata={
            "description": "Other words of the sentence that name events its time reference"
            " dates too (the link model's, above its threshold), in text order"
        },
    )
    reports = ma.fields.Integer(
        metadata={
            "description": "How many reports (events of stored articles) the entry stands for;"
            " GET /v1/events/{id} lists them all"
        }
    )
    mentions = ma.fields.List(
        ma.fields.Nested(EventMentionSchema),
        metadata={
            "description": f"The time references that date the event, at most {SAMPLE}: the"
            " entry's own report's first, then those of the latest reports that agree with"
            " its date (all of them while the entry has no more)"
        },
    )
    sources = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": f"Where it was reported: the sources of the reports shown, at most"
            f" {SAMPLE}"
        },
    )
    conflicts = ma.fields.List(
        ma.fields.Nested(ConflictSchema),
        metadata={
            "description": f"The other dates reports of the same event give, at most {SAMPLE},"
            " those most reports give first: the latest report that gives each, and how many do"
        },
    )
    confidence = ma.fields.Float(
        metadata={"description": "The highest confidence of the reports in mentions"}
    )
    uncertain = ma.fields.Boolean(
        metadata={
            "description": "Its place in the order is not certain: its interval overlaps "
            "another's, it is vague or approximate, or its sources disagree"
        }
    )


class EventQuery(Strict):
    """A page of an entry's reports: after ``cursor``, at most ``limit``."""

    cursor = ma.fields.Integer(
        validate=validate.Range(min=0),
        metadata={"description": "The next_cursor of the previous page"},
    )
    limit = ma.fields.Integer(
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"The most reports on a page (by default {DEFAULT_LIMIT})"},
    )


class EventReportSchema(ma.Schema):
    id = ma.fields.Integer(metadata={"description": "The report's id (report_id of an entry)"})
    article_id = ma.fields.Integer()
    source = ma.fields.String(allow_none=True)
    interval = ma.fields.Nested(EventIntervalSchema)
    display_date = ma.fields.String()
    headline = ma.fields.String()
    text = ma.fields.String(metadata={"description": "The sentence that reports it"})
    kind = ma.fields.String(validate=validate.OneOf(KINDS))
    mention = ma.fields.Nested(
        EventMentionSchema, metadata={"description": "The time reference that dates it"}
    )
    confidence = ma.fields.Float()
    uncertain = ma.fields.Boolean()
    agrees = ma.fields.Boolean(
        metadata={"description": "Its date agrees with (overlaps) the entry's; false: a conflict"}
    )


class EventDetailSchema(ma.Schema):
    event = ma.fields.Nested(EventSchema)
    reports = ma.fields.List(
        ma.fields.Nested(EventReportSchema),
        metadata={"description": "A page of the entry's reports, in the order they were stored"},
    )
    next_cursor = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "Pass as `cursor` for the next page; null on the last page"},
    )


class TimelineSchema(ma.Schema):
    events = ma.fields.List(ma.fields.Nested(EventSchema))
    next_cursor = ma.fields.String(
        allow_none=True,
        metadata={"description": "The cursor of the next page; null on the last page"},
    )


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details."""

    type = ma.fields.String(metadata={"example": "about:blank"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Raw(),
        metadata={"description": "Field-level messages, by location and field"},
    )
    request_id = ma.fields.String(
        metadata={"description": "The request's id, as its X-Request-ID response header gives it"}
    )
    limit = ma.fields.String(
        metadata={
            "description": (
                "The limit an article is beyond (422): MAX_ARTICLE_CHARS, MAX_MENTIONS,"
                " WORK_BUDGET or ARTICLE_SECONDS, the setting TIMELINE_<limit>"
            ),
            "example": "MAX_MENTIONS",
        }
    )
    value = ma.fields.Float(
        metadata={"description": "The limit's value (characters, references, units, seconds)"}
    )


class HealthSchema(ma.Schema):
    status = ma.fields.String()
    checks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class TimelineJSDateSchema(ma.Schema):
    year = ma.fields.Integer()
    month = ma.fields.Integer()
    day = ma.fields.Integer()
    hour = ma.fields.Integer()
    minute = ma.fields.Integer()


class TimelineJSTextSchema(ma.Schema):
    headline = ma.fields.String(metadata={"description": "HTML (escaped article text)"})
    text = ma.fields.String(metadata={"description": "HTML (escaped article text)"})


class TimelineJSTitleSchema(ma.Schema):
    text = ma.fields.Nested(TimelineJSTextSchema)


class TimelineJSSlideSchema(ma.Schema):
    start_date = ma.fields.Nested(TimelineJSDateSchema)
    end_date = ma.fields.Nested(TimelineJSDateSchema)
    display_date = ma.fields.String(
        metadata={"example": "recent weeks (late June to 17 July 2021)"}
    )
    text = ma.fields.Nested(TimelineJSTextSchema)
    group = ma.fields.String(metadata={"description": "The first source that reported it"})
    unique_id = ma.fields.String()


class TimelineJSSchema(ma.Schema):
    """A timeline as TimelineJS 3 reads it (format=timelinejs)."""

    title = ma.fields.Nested(TimelineJSTitleSchema)
    events = ma.fields.List(ma.fields.Nested(TimelineJSSlideSchema))
