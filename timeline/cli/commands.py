"""The ``timeline`` command line: ``timeline extract`` tags a file, stdin or a JSONL batch.

``timeline show`` prints the time references of an article file (see :mod:`timeline.ingest.files`).

Errors in the input end the command with a one-line message on stderr and exit status 2;
they never print a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from ..errors import InvalidDocumentError, InvalidInputError, TimelineError
from ..ingest.files import load_article
from ..tagger import parse_published, tag

EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE
# the commands of timeline.cli.service (the ones that import Flask and SQLAlchemy)
SERVICE_COMMANDS = (
    "db",
    "serve",
    "load",
    "ingest",
    "scheduler",
    "worker",
    "source",
    "keys",
    "openapi",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``timeline`` command."""
    parser = argparse.ArgumentParser(
        prog="timeline", description="Event timeline and chronology service."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="find and resolve the time references of a text")
    extract.add_argument("file", nargs="?", help="a text file, or - for standard input")
    extract.add_argument("--dct", help="the publication date (YYYY-MM-DD) the text is read against")
    extract.add_argument("--language", default="en", help="language of the text (default: en)")
    extract.add_argument("--region", help="ISO 3166 country whose holiday observance to follow")
    extract.add_argument("--format", choices=("json", "timeml"), default="json")
    extract.add_argument(
        "--jsonl", metavar="IN", help="batch mode: read {doc, dct, text} lines from IN (- = stdin)"
    )
    extract.add_argument(
        "-o", "--output", metavar="OUT", help="batch mode: write {doc, timexes} lines to OUT"
    )
    extract.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    extract.add_argument(
        "--explain", action="store_true", help="also name the rule behind each mention"
    )
    show = commands.add_parser("show", help="print the time references of an article file")
    show.add_argument("file", help="an article JSON file (the format of seeds/README.md)")
    show.add_argument("--format", choices=("table", "json"), default="table")
    database = commands.add_parser("db", help="the service's database")
    database.add_argument(
        "action",
        choices=("upgrade", "reanchor"),
        help="upgrade: apply every migration; reanchor: anchor the events of every stored"
        " article again with this version's anchoring (after an upgrade that changed it)",
    )
    database.add_argument(
        "--at-start",
        action="store_true",
        help="upgrade as a container's entry point does: not at all when"
        " TIMELINE_MIGRATE_AT_START is false (a one-shot job migrates instead)",
    )
    serve = commands.add_parser("serve", help="serve the REST API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument(
        "--threads",
        type=int,
        default=None,
        help="requests worked on at once (default: TIMELINE_THREADS, 2)",
    )
    loader = commands.add_parser("load", help="store article files (or folders of them), tagged")
    loader.add_argument("paths", nargs="+", help="article JSON files or folders (seeds/README.md)")
    ingest = commands.add_parser(
        "ingest", help="store the articles of folders, JSONL files, feeds and pages, tagged"
    )
    ingest.add_argument(
        "locations", nargs="+", metavar="PATH|URL", help="folders, .json or .jsonl files, URLs"
    )
    ingest.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    scheduler = commands.add_parser(
        "scheduler", help="run the sources on their schedules (one leads, others stand by)"
    )
    scheduler.add_argument(
        "--check",
        action="store_true",
        help="exit 0 if a scheduler leads (holds a live leader lease), else 1: a health check",
    )
    worker = commands.add_parser(
        "worker", help="tag articles and run sources from the PostgreSQL job queue"
    )
    worker.add_argument(
        "--concurrency", type=int, default=1, help="jobs at a time, each on a thread (default: 1)"
    )
    worker.add_argument(
        "--check",
        action="store_true",
        help="exit 0 if a worker has sent a heartbeat lately, else 1: a health check",
    )
    source = commands.add_parser("source", help="register a source (as POST /v1/sources does)")
    source.add_argument("action", choices=("add",))
    source.add_argument("kind", choices=("feed", "page", "folder"))
    source.add_argument("address", metavar="URL|PATH", help="a URL, or a folder under the root")
    when = source.add_mutually_exclusive_group()
    when.add_argument("--interval", type=int, metavar="SECONDS", help="default: 3600")
    when.add_argument("--cron", metavar="EXPR", help="a five-field UTC crontab")
    keys = commands.add_parser("keys", help="the API keys that requests are authorised with")
    key_actions = keys.add_subparsers(dest="action", required=True)
    create = key_actions.add_parser(
        "create", help="create a key and print its secret (only the secret, on stdout)"
    )
    create.add_argument("--role", required=True, choices=("editor", "reader"))
    create.add_argument("--name", default="unnamed", help="what the key is for (default: unnamed)")
    key_actions.add_parser("list", help="list the keys (never their secrets)")
    revoke = key_actions.add_parser("revoke", help="revoke a key from now on")
    revoke.add_argument("id", type=int, help="the key's id (timeline keys list)")
    openapi = commands.add_parser("openapi", help="write the API's OpenAPI document (YAML)")
    openapi.add_argument("-o", "--output", default="-", help="the file to write (default: -)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``timeline`` console script."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "extract":
            return run_extract(args)
        if args.command == "show":
            return run_show(args)
        if args.command in SERVICE_COMMANDS:
            return run_service(args)
    except (TimelineError, OSError, UnicodeDecodeError) as exc:
        print(f"timeline: error: {_describe(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: still one line, never a traceback
        print(
            f"timeline: internal error: {type(exc).__name__}: {exc} (please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return EXIT_USAGE


def run_service(args: argparse.Namespace) -> int:
    """``timeline db upgrade``, ``timeline load``, ``timeline serve``, ``timeline keys`` and
    ``timeline openapi``."""
    from . import service

    if args.command == "db":
        if args.action == "reanchor":
            return service.db_reanchor()
        return service.db_upgrade(at_start=args.at_start)
    if args.command == "serve":
        return service.serve(args.host, args.port, args.threads)
    if args.command == "load":
        return service.load(args.paths)
    if args.command == "ingest":
        return service.ingest(args.locations, progress=not args.no_progress)
    if args.command == "scheduler":
        return service.scheduler(check=args.check)
    if args.command == "worker":
        return service.worker(args.concurrency, check=args.check)
    if args.command == "source":
        return service.add_source(args.kind, args.address, args.interval, args.cron)
    if args.command == "keys":
        if args.action == "create":
            return service.keys_create(args.role, args.name)
        if args.action == "revoke":
            return service.keys_revoke(args.id)
        return service.keys_list()
    return service.write_openapi(args.output)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"cannot open {exc.filename or 'the input'}: {exc.strerror or exc}"
    if isinstance(exc, UnicodeDecodeError):
        return "input is not UTF-8 text"
    return str(exc)


def run_extract(args: argparse.Namespace) -> int:
    """``timeline extract``: one text (json or timeml out) or a JSONL batch."""
    if args.jsonl:
        if args.file:
            raise InvalidInputError("give either FILE or --jsonl IN, not both")
        return run_batch(
            args.jsonl,
            args.output,
            args.language,
            args.region,
            progress=not args.no_progress,
            explain=args.explain,
        )
    if not args.file:
        raise InvalidInputError("give a FILE (or - for standard input), or --jsonl IN")
    if not args.dct:
        raise InvalidInputError("--dct YYYY-MM-DD is required: the date the text is read against")
    parse_published(args.dct)
    text = sys.stdin.read() if args.file == "-" else _read(args.file)
    mentions = tag(text, args.dct, language=args.language, region=args.region)
    if args.format == "timeml":
        from ..tagger.timeml import to_timeml

        sys.stdout.write(to_timeml(text, mentions, args.dct) + "\n")
    else:
        timexes = [
            m.to_dict() | {"rule": m.rule} if args.explain else m.to_dict() for m in mentions
        ]
        payload = {"dct": args.dct, "timexes": timexes}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """``timeline show``: an article's time references, in text order, as a table or JSON."""
    article = load_article(args.file)
    mentions = tag(
        article.text, article.published_at, language=article.language, region=article.region
    )
    mentions.sort(key=lambda m: (m.start, m.end))
    if args.format == "json":
        payload = {
            "title": article.title,
            "published_at": article.published_at,
            "timexes": [m.to_dict() for m in mentions],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    header = ("offset", "text", "type", "value", "mod", "interval", "granularity", "confidence")
    rows = [header] + [
        (
            f"{m.start}-{m.end}",
            " ".join(m.text.split()),
            m.type,
            m.value,
            m.mod or "",
            f"{m.interval.start or '..'}/{m.interval.end or '..'}" if m.interval else "",
            m.granularity or "",
            f"{m.confidence:.2f}",
        )
        for m in mentions
    ]
    where = f"{article.source}, {article.language}"
    where += f", region {article.region}" if article.region else ""
    count = f"{len(mentions)} time reference{'' if len(mentions) == 1 else 's'}"
    print(f"{article.title}\npublished {article.published_at} ({where}): {count}\n")
    print_columns(rows)
    return 0


def print_columns(rows: Sequence[Sequence[str]]) -> None:
    """Print ``rows`` (the first a header) as left-aligned columns two spaces apart."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def read_documents(lines: IO[str]) -> Iterator[dict[str, Any]]:
    """The ``{doc, dct, text}`` objects of a JSONL stream; a bad line raises with its number."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidDocumentError(f"line {number}: not JSON ({exc.msg})") from None
        if not isinstance(doc, dict):
            raise InvalidDocumentError(f"line {number}: expected an object with doc, dct and text")
        for key in ("doc", "dct", "text"):
            if not isinstance(doc.get(key), str):
                raise InvalidDocumentError(f"line {number}: '{key}' must be a string")
        try:
            parse_published(doc["dct"])
        except InvalidInputError as exc:
            raise InvalidDocumentError(f"line {number}: {exc}") from None
        yield doc


def run_batch(
    source: str,
    target: str | None,
    language: str,
    region: str | None,
    *,
    progress: bool,
    explain: bool,
) -> int:
    """Stream a JSONL batch: one ``{doc, timexes}`` line out per ``{doc, dct, text}`` line in."""
    contract = ("start", "end", "text", "type", "value")
    inp = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    try:
        out = sys.stdout if target in (None, "-") else open(target, "w", encoding="utf-8")  # noqa: SIM115
    except OSError:
        if inp is not sys.stdin:
            inp.close()
        raise
    try:
        docs: Iterable[dict[str, Any]] = read_documents(inp)
        if progress and sys.stderr.isatty():
            from tqdm import tqdm

            docs = tqdm(docs, unit="doc", desc="tagging")
        for doc in docs:
            mentions = tag(doc["text"], doc["dct"], language=language, region=region)
            timexes = []
            for m in mentions:
                item = m.to_dict()
                item = {k: item[k] for k in contract} | {
                    k: v for k, v in item.items() if k not in contract
                }
                timexes.append(item | {"rule": m.rule} if explain else item)
            out.write(
                json.dumps({"doc": doc["doc"], "timexes": timexes}, ensure_ascii=False) + "\n"
            )
    finally:
        if inp is not sys.stdin:
            inp.close()
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
