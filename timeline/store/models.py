"""The stored data: articles, the time references found in them, the events they date, and
the sources that bring articles in with the runs that fetched them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """The declarative base of every table."""


class Article(Base):
    """A news article as it was accepted: its text is what the mentions' offsets index."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(String(1024))
    source: Mapped[str | None] = mapped_column(String(256), index=True)
    language: Mapped[str] = mapped_column(String(35), index=True)
    region: Mapped[str | None] = mapped_column(String(2))
    published_at: Mapped[str] = mapped_column(String(40))
    published_on: Mapped[date] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    # the source it came from, if a source brought it in
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    # no publication date was found: ``published_at`` holds when it was ingested instead,
    # which its dates were read against (with low confidence)
    published_missing: Mapped[bool] = mapped_column(Boolean, default=False)

    mentions: Mapped[list[Mention]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        order_by="Mention.start",
        passive_deletes=True,
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        order_by="Event.position",
        passive_deletes=True,
    )


class Mention(Base):
    """One time reference of an article, as the tagger resolved it."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(64))
    mod: Mapped[str | None] = mapped_column(String(16))
    interval_start: Mapped[str | None] = mapped_column(String(32), index=True)
    interval_end: Mapped[str | None] = mapped_column(String(32))
    granularity: Mapped[str | None] = mapped_column(String(16))
    anchor: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)
    rule: Mapped[str] = mapped_column(String(64))

    article: Mapped[Article] = relationship(back_populates="mentions")


class Event(Base):
    """The event a mention dates, as a timeline entry of its article: the interval it takes
    up, the words that report it (offsets into the article's text) and how it reads.

    Across articles, the reports of one event form a group (``group_id``, the id of its
    first report); its ``lead`` report gives the group's date and place in the timeline
    (:mod:`timeline.store.timelines`). ``ix_events_timeline`` serves the timeline in order, one
    row per group.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index(
            "ix_events_timeline",
            "lead",
            "interval_start",
            "interval_end",
            "granularity_rank",
            "article_id",
            "id",
        ),
        # a group's latest reports, and its latest report with a given interval: the
        # bounded samples of an entry (:mod:`timeline.store.groupreads`)
        Index("ix_events_group_report", "group_id", "id"),
        Index("ix_events_group_interval", "group_id", "interval_start", "interval_end", "id"),
        # the first report of each of a group's intervals, and the group's lead: what electing
        # a lead reads (:mod:`timeline.store.timelines`)
        Index(
            "ix_events_group_best",
            "group_id",
            "interval_start",
            "interval_end",
            "granularity_rank",
            "article_id",
            "id",
        ),
        Index(
            "ix_events_group_lead",
            "group_id",
            postgresql_where=text("lead"),
            sqlite_where=text("lead"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # its place in the article's timeline
    interval_start: Mapped[str] = mapped_column(String(32), index=True)
    interval_end: Mapped[str] = mapped_column(String(32))
    granularity: Mapped[str] = mapped_column(String(16))
    display_date: Mapped[str] = mapped_column(String(200))
    headline: Mapped[str] = mapped_column(Text)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    trigger_start: Mapped[int | None] = mapped_column(Integer)
    trigger_end: Mapped[int | None] = mapped_column(Integer)
    trigger: Mapped[str | None] = mapped_column(String(200))
    # the other words its time reference dates, as JSON: [[start, end, text], ...]
    other_triggers: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    confidence: Mapped[float] = mapped_column(Float)
    uncertain: Mapped[bool] = mapped_column(Boolean)
    # event, state or reporting (timeline.events.kinds): timelines show reporting on request
    kind: Mapped[str] = mapped_column(String(16), default="event", server_default="event")
    granularity_rank: Mapped[int] = mapped_column(Integer, default=0)
    # the content lemmas of the headline, space-separated (what grouping compares)
    words: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    names: Mapped[str] = mapped_column(Text, default="")  # the names in it, likewise
    name_count: Mapped[int] = mapped_column(Integer, default=0)
    trigger_lemma: Mapped[str | None] = mapped_column(String(200))
    group_id: Mapped[int | None] = mapped_column(Integer)
    lead: Mapped[bool] = mapped_column(Boolean, default=False)

    article: Mapped[Article] = relationship(back_populates="events")
    mention: Mapped[Mention] = relationship()
    word_rows: Mapped[list[EventWord]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class EventWord(Base):
    """One content lemma of an event's headline, or one of its names (marked ``@``): the
    index that finds the stored reports a new one may be of the same event as."""

    __tablename__ = "event_words"

    word: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    size: Mapped[int] = mapped_column(Integer)  # the event's number of words


class GroupProfile(Base):
    """The report of a group that stands in the word index for the group's reports of one
    profile: the same words, names, trigger lemma, kind and interval (``profile``, a 64-bit
    hash of them, :func:`timeline.store.timelines.profile_of`), which grouping scores alike.
    Only the latest of them keeps its rows of ``event_words``: a new report is compared with
    each distinct report of a group once, however many copies of it are stored."""

    __tablename__ = "group_profiles"

    group_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)


class EventInterval(Base):
    """One distinct interval of the reports of a group of events (one event across
    articles): how many of its reports have it, and its support, how many reports of the
    group it overlaps. The group's lead is a report with the most supported interval."""

    __tablename__ = "event_intervals"

    group_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interval_start: Mapped[str] = mapped_column(String(32), primary_key=True)
    interval_end: Mapped[str] = mapped_column(String(32), primary_key=True)
    reports: Mapped[int] = mapped_column(Integer)
    support: Mapped[int] = mapped_column(Integer)


class Source(Base):
    """A feed, page or folder that a schedule brings articles in from.

    ``interval_seconds`` or ``cron`` (one of them) says when; ``etag`` and
    ``last_modified`` are what its URL answered last, for a conditional GET next time.
    """

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    url: Mapped[str | None] = mapped_column(String(2048))
    path: Mapped[str | None] = mapped_column(String(1024))
    interval_seconds: Mapped[int | None] = mapped_column(Integer)
    cron: Mapped[str | None] = mapped_column(String(120))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    runs: Mapped[list[Run]] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )


class Run(Base):
    """One fetch of a source: when, what it saw, what became of it.

    ``status`` is ``queued`` (asked for, not started), ``running``, ``done`` or ``failed``
    (``error`` says why; on a run that is ``done``, it names the items the run could not use,
    with their reasons, if any). At most one run of a source is ``running`` at a time.
    """

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(8))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    seen: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    # while running: the last sign of life of the process carrying it out, and which it is
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    holder: Mapped[str | None] = mapped_column(String(128))

    source: Mapped[Source] = relationship(back_populates="runs")


class ApiKey(Base):
    """A key that authorises requests: only a SHA-256 hash of its secret is kept.

    ``role`` is ``editor`` (reads and writes) or ``reader`` (reads, where reads are private);
    ``prefix`` is the secret's first characters, to tell keys apart in listings.
    """

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Lease(Base):
    """A named lease that one process holds at a time until ``expires_at`` (the scheduler's
    leader lease is ``scheduler``)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
