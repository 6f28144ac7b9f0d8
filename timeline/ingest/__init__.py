"""Ingestion: articles that arrive from feeds, pages and folders rather than by a post.

- :mod:`~timeline.ingest.fetch` fetches a URL within the service's policy (public addresses
  only, size and time limits), :mod:`~timeline.ingest.pages` extracts an article from a page;
- :mod:`~timeline.ingest.items` turns a feed, a page or a folder into articles,
  :mod:`~timeline.ingest.files` reads one article file;
- :mod:`~timeline.ingest.sources` runs a source (its items stored, its run recorded);
- :mod:`~timeline.ingest.scheduler` is the clock (APScheduler, on the leader that
  :mod:`~timeline.ingest.leader` elects), :mod:`~timeline.ingest.queue` the job queue its
  runs and article jobs go through, :mod:`~timeline.ingest.jobs` the jobs the workers do.
"""
