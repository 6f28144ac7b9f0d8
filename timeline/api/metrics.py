"""Prometheus metrics at ``GET /metrics`` (prometheus_client's exposition formats).

Counted by this process (a replica's own, from its start):

- ``timeline_http_requests_total{method, route, status}``: requests answered; ``route`` is
  the route's template (``/v1/articles/<int:article_id>``), ``unmatched`` for a path no route
  knows, and ``method`` one of the HTTP methods or ``other``, so that clients cannot add
  series;
- ``timeline_http_request_duration_seconds{method, route}``: the time from routing to the
  response (a histogram);
- ``timeline_tagging_duration_seconds``: the time the tagger took over one text, stored or
  only tagged (a histogram);

and read from the database at each scrape, the same whichever process answers:

- ``timeline_articles_stored{status}``: the articles stored, ``tagged`` or ``failed``;
- ``timeline_runs{status}``: the runs of sources, ``queued``, ``running``, ``done`` or
  ``failed``;
- ``timeline_database_up``: 1 when those counts could be read, else 0 (and they are left out);

with prometheus_client's ``process_*`` and ``python_*`` metrics. Each application has its
own registry (``app.extensions["timeline.metrics"]``). ``METRICS`` false answers 404 instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from time import perf_counter
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context, request
from flask.signals import request_finished, request_started
from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import NotFound

from ..store import db
from ..store.models import Article, Run

EXTENSION = "timeline.metrics"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
ARTICLE_STATUSES = ("tagged", "failed")
RUN_STATUSES = ("queued", "running", "done", "failed")
# seconds: a request or a tagging takes from a millisecond (a page of JSON) to seconds (a
# long article, an export)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass(frozen=True)
class Metrics:
    """One application's registry and the instruments it observes."""

    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    tagging: Histogram


def init_app(app: Flask) -> Metrics:
    """Make ``app``'s registry, observe its requests and serve ``GET /metrics``."""
    from ..app import enabled

    enabled(app.config, "METRICS")  # a value that is not a boolean fails at start
    registry = CollectorRegistry()
    metrics = Metrics(
        registry=registry,
        requests=Counter(
            "timeline_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ("method", "route", "status"),
            registry=registry,
        ),
        latency=Histogram(
            "timeline_http_request_duration_seconds",
            "Time from routing a request to its response, by method and route template.",
            ("method", "route"),
            buckets=BUCKETS,
            registry=registry,
        ),
        tagging=Histogram(
            "timeline_tagging_duration_seconds",
            "Time the tagger took over one text.",
            buckets=BUCKETS,
            registry=registry,
        ),
    )
    registry.register(StoredCounts(db.engine(app)))
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    app.extensions[EXTENSION] = metrics
    request_started.connect(_started, app)
    request_finished.connect(_finished, app)
    app.add_url_rule("/metrics", "metrics", serve_metrics, methods=["GET"])
    return metrics


def serve_metrics() -> Response:
    """Every metric of the application, in Prometheus's text format."""
    from ..app import enabled

    if not enabled(current_app.config, "METRICS"):
        raise NotFound()
    metrics: Metrics = current_app.extensions[EXTENSION]
    # the text format Prometheus asks for in Accept (OpenMetrics or text 0.0.4, the default)
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(encode(metrics.registry), content_type=content_type)


class StoredCounts(Collector):
    """The articles stored and the runs by status, counted in the database at each scrape."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily(
            "timeline_database_up", "Whether the database answered this scrape's counts."
        )
        try:
            with self.engine.connect() as connection:
                articles = dict(
                    connection.execute(
                        select(Article.status, func.count()).group_by(Article.status)
                    ).all()
                )
                runs = dict(
                    connection.execute(select(Run.status, func.count()).group_by(Run.status)).all()
                )
        except SQLAlchemyError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield _by_status("timeline_articles_stored", "Articles stored, by status.", articles)
        yield _by_status("timeline_runs", "Runs of sources, by status.", runs, RUN_STATUSES)

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """Nothing: the registry must not collect (and query) when the collector is added."""
        return iter(())


def _by_status(
    name: str, documentation: str, counts: dict[Any, Any], known: tuple[str, ...] = ARTICLE_STATUSES
) -> GaugeMetricFamily:
    """A gauge of ``counts`` by status: every known status, 0 when none has it."""
    family = GaugeMetricFamily(name, documentation, labels=("status",))
    for status in dict.fromkeys((*known, *sorted(map(str, counts)))):
        family.add_metric([status], counts.get(status, 0))
    return family


@contextmanager
def timing_tagging() -> Iterator[None]:
    """Observe the time the block takes as one tagging, in the current application's
    metrics (none outside an application)."""
    started = perf_counter()
    try:
        yield
    finally:
        metrics = current_app.extensions.get(EXTENSION) if has_app_context() else None
        if isinstance(metrics, Metrics):
            metrics.tagging.observe(perf_counter() - started)


def _started(app: Flask, **_extra: Any) -> None:
    """``request_started``: note when (before routing's hooks, which may answer)."""
    g.metrics_started = perf_counter()


def _finished(app: Flask, response: Response, **_extra: Any) -> None:
    """``request_finished``: count the request and observe its duration."""
    metrics: Metrics | None = app.extensions.get(EXTENSION)
    started = g.get("metrics_started")
    if metrics is None or started is None:
        return
    method = request.method if request.method in METHODS else "other"
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    metrics.requests.labels(method, route, str(response.status_code)).inc()
    metrics.latency.labels(method, route).observe(perf_counter() - started)
