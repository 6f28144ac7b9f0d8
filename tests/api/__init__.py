"""Tests of the REST API (``timeline/api``).

A package, unlike the other test folders, because ``tests/api/test_articles.py`` and
``tests/test_articles.py`` share a base name: pytest's default import mode and mypy need the
two modules to have different dotted names."""
