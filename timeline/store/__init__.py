"""Storage: the database and its schema, and what is read from and written to it.

- :mod:`~timeline.store.db` the engine and sessions, :mod:`~timeline.store.models` the
  tables, :mod:`~timeline.store.migrate` and ``migrations/`` the schema's history (Alembic);
- :mod:`~timeline.store.articles` stores an article with its mentions and events;
- :mod:`~timeline.store.timelines` groups the reports of one event across articles and reads
  timelines (with :mod:`~timeline.store.grouplocks`, :mod:`~timeline.store.rows`,
  :mod:`~timeline.store.groupreads` and :mod:`~timeline.store.reports`);
- :mod:`~timeline.store.search` the full-text search of articles.
"""
