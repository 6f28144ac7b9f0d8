"""The ``timeline`` command line: :mod:`~timeline.cli.commands` parses the arguments and
tags without the service; :mod:`~timeline.cli.service` holds the commands that need Flask and
the database, imported only when one of them runs."""

from .commands import main

__all__ = ["main"]
