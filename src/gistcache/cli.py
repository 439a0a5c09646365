"""The ``gistcache`` command: serve, stats, export, import, flush.

Each subcommand is added by a registrar in :data:`SUBCOMMANDS` (name -> function that adds
its parser to the subparsers and sets ``func``), so a new one is one more entry.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from ._cache import Answer, Cache
from ._endpoints import FAKE_ANTHROPIC, FAKE_UPSTREAM
from ._errors import GistcacheError
from ._types import CacheRequest, Entry, Scope
from .config import DEFAULT_THRESHOLD, Config
from .embedders import EMBEDDER_NAMES

__all__ = ["SUBCOMMANDS", "build_parser", "main"]

log = logging.getLogger("gistcache")

Subparsers = Any  # argparse's _SubParsersAction, which typeshed types as private
Registrar = Callable[[Subparsers], None]


# -- shared options ---------------------------------------------------------------------------


def _data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help="YAML settings (safe loader); server "
                        "settings may sit in the same file")
    parser.add_argument("--data-dir", metavar="DIR", help="where the cache's files live "
                        "(default: GISTCACHE_DATA_DIR or ./gistcache-data)")
    parser.add_argument("--store-url", metavar="URL", help="SQLAlchemy URL of the entry store "
                        "(default: SQLite in the data directory)")
    parser.add_argument("--index-url", metavar="URL", help="a vector index shared by replicas: "
                        "postgresql+psycopg://... is pgvector, qdrant://host:6333 Qdrant, "
                        "milvus://host:19530 Milvus (default: in-process, in the data "
                        "directory)")
    parser.add_argument("--redis-url", metavar="URL", help="Redis/Valkey for a shared exact "
                        "tier and in-flight markers across replicas (default: none)")


def _config(args: argparse.Namespace) -> Config:
    from .server.settings import load_settings

    pairs = (("data_dir", args.data_dir), ("store_url", args.store_url),
             ("index_url", args.index_url), ("redis_url", args.redis_url))
    overrides = {k: v for k, v in pairs if v is not None}
    config, _ = load_settings(args.config, cache_overrides=overrides)
    return config


@contextlib.contextmanager
def _open_store_only(config: Config) -> Iterator[Cache]:
    """A cache without the embedder: for listing, counting and deleting rows."""
    cache = Cache(config, exact_only=True, background=False)
    try:
        yield cache
    finally:
        cache.close()


# -- serve ------------------------------------------------------------------------------------


def _register_serve(sub: Subparsers) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "serve", help="run the caching proxy (OpenAI-compatible HTTP API)",
        description="Run the caching proxy. Point any OpenAI client's base_url at "
                    "http://HOST:PORT/v1. Settings: flags > GISTCACHE_* environment > "
                    "--config file > defaults. Prefer GISTCACHE_UPSTREAM_KEY/OPENAI_API_KEY "
                    "and GISTCACHE_ADMIN_KEY over the key flags (flags show up in 'ps').")
    _data_options(p)
    p.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default 8000)")
    p.add_argument("--workers", type=int, help="server processes sharing the store (default 1)")
    p.add_argument("--upstream", metavar="URL",
                   help="OpenAI-compatible base URL (default https://api.openai.com/v1)")
    p.add_argument("--upstream-key", metavar="KEY", help="API key used when a caller sends none")
    p.add_argument("--anthropic-upstream", metavar="URL",
                   help="Anthropic base URL for /v1/messages (default https://api.anthropic.com)")
    p.add_argument("--admin-key", metavar="KEY", help="key the admin endpoints require")
    p.add_argument("--namespace-from-key", action="store_true", default=None,
                   help="isolate tenants by a hash of their API key")
    p.add_argument("--embed-deadline", type=float, metavar="SECONDS",
                   help="longest lookup before a request is served as a bypass (default 2)")
    p.add_argument("--max-body-bytes", type=int, metavar="N",
                   help="largest JSON body accepted (default 4 MiB)")
    p.add_argument("--embedder", choices=EMBEDDER_NAMES,
                   help="auto (default: English on all-MiniLM-L6-v2, other scripts on "
                        "multilingual-e5-small), onnx, e5, sentence-transformers, openai, hash")
    p.add_argument("--embedder-model", metavar="NAME_OR_DIR",
                   help="model of the sentence-transformers (a local directory) or openai "
                        "embedder")
    p.add_argument("--embedder-url", metavar="URL",
                   help="base URL of the openai embedder (an OpenAI-compatible /v1)")
    p.add_argument("--similarity-threshold", type=float, metavar="COSINE",
                   help=f"cosine similarity a paraphrase needs (default {DEFAULT_THRESHOLD:.2f})")
    p.add_argument("--log-level", choices=["critical", "error", "warning", "info", "debug"])
    p.add_argument("--access-log", action="store_true", help="log every request (no headers)")
    p.add_argument("--fake-upstream", action="store_true",
                   help="answer from a local fake OpenAI server (offline demos; no real model); "
                        "its answers are kept apart from a real upstream's")
    p.add_argument("--fake-latency", type=float, default=0.8, metavar="SECONDS",
                   help="latency of --fake-upstream answers (default 0.8)")
    p.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    from .server._run import run
    from .server.settings import load_settings

    cache_overrides: dict[str, Any] = {
        k: v for k, v in (("data_dir", args.data_dir), ("store_url", args.store_url),
                          ("index_url", args.index_url), ("redis_url", args.redis_url),
                          ("similarity_threshold", args.similarity_threshold),
                          ("embedder", args.embedder), ("embedder_model", args.embedder_model),
                          ("embedder_url", args.embedder_url)) if v is not None}
    names = ("host", "port", "workers", "upstream", "upstream_key", "anthropic_upstream",
             "admin_key",
             "namespace_from_key", "embed_deadline", "max_body_bytes", "log_level")
    server_overrides = {n: getattr(args, n) for n in names if getattr(args, n) is not None}
    config, settings = load_settings(args.config, cache_overrides=cache_overrides,
                                     server_overrides=server_overrides)
    logging.getLogger("gistcache").setLevel(settings.log_level.upper())
    with contextlib.ExitStack() as stack:
        if args.fake_upstream:
            from .testing import FakeOpenAI

            fake = stack.enter_context(FakeOpenAI(latency=args.fake_latency, require_key=False))
            settings = dataclasses.replace(settings, upstream=fake.base_url,
                                           upstream_key=fake.api_key,
                                           upstream_scope=FAKE_UPSTREAM,
                                           anthropic_upstream=fake.url,
                                           anthropic_upstream_key=fake.api_key,
                                           anthropic_upstream_scope=FAKE_ANTHROPIC)
            log.warning("--fake-upstream: answers come from a local FAKE OpenAI server at %s "
                        "(%.0f ms each); no real model is called. Its answers are stored "
                        "apart (scope upstream=%s): a later run with a real upstream never "
                        "serves them (Anthropic's /v1/messages too: scope %s)", fake.base_url,
                        args.fake_latency * 1000, FAKE_UPSTREAM, FAKE_ANTHROPIC)
        run(config, settings, access_log=args.access_log)
    return 0


# -- stats ------------------------------------------------------------------------------------


def _register_stats(sub: Subparsers) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "stats", help="show what a cache holds (or a running server's figures)")
    _data_options(p)
    p.add_argument("--url", help="ask a running server instead (its /stats endpoint)")
    p.add_argument("--admin-key", help="the server's admin key (default GISTCACHE_ADMIN_KEY)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_stats)


def _store_stats(config: Config) -> dict[str, Any]:
    namespaces: Counter[str] = Counter()
    models: Counter[str] = Counter()
    hits = 0
    oldest: float | None = None
    newest: float | None = None
    with _open_store_only(config) as cache:
        stats = cache.store.stats()
        embedder = cache.store.get_meta("embedder")
        for batch in cache.store.scan(batch=2000, with_embedding=False):
            for entry in batch:
                namespaces[entry.namespace] += 1
                models[entry.model] += 1
                hits += entry.hits
                oldest = entry.created_at if oldest is None else min(oldest, entry.created_at)
                newest = entry.created_at if newest is None else max(newest, entry.created_at)
    return {"entries": stats.count, "bytes": stats.size, "hits": hits, "embedder": embedder,
            "namespaces": dict(namespaces.most_common()), "models": dict(models.most_common()),
            "oldest": oldest, "newest": newest}


def _server_stats(url: str, admin_key: str | None) -> dict[str, Any]:
    import httpx

    headers = {"x-gistcache-admin-key": admin_key} if admin_key else {}
    try:
        response = httpx.get(url.rstrip("/") + "/stats", headers=headers, timeout=10)
    except httpx.HTTPError as exc:
        raise GistcacheError(f"cannot reach {url}: {exc}") from exc
    if response.status_code != 200:
        raise GistcacheError(f"{url}/stats answered {response.status_code}: {response.text}")
    data: dict[str, Any] = response.json()
    return data


def _stats(args: argparse.Namespace) -> int:
    import os

    if args.url:
        data = _server_stats(args.url, args.admin_key or os.environ.get("GISTCACHE_ADMIN_KEY"))
    else:
        data = _store_stats(_config(args))
    if args.json or args.url:
        print(json.dumps(data, indent=2, sort_keys=True))
        return 0
    print(f"entries   {data['entries']}")
    print(f"bytes     {data['bytes']}")
    print(f"hits      {data['hits']}")
    print(f"embedder  {data['embedder'] or '-'}")
    for label, key in (("namespace", "namespaces"), ("model", "models")):
        for name, count in data[key].items():
            print(f"{label:9} {name or '-'}: {count}")
    return 0


# -- export / import --------------------------------------------------------------------------


def _register_export(sub: Subparsers) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "export", help="write entries as JSON lines (without vectors)")
    _data_options(p)
    p.add_argument("--namespace", help="only this namespace")
    p.add_argument("-o", "--output", default="-", help="file to write (default: stdout)")
    p.set_defaults(func=_export)


def _entry_line(entry: Entry, exact: bool) -> dict[str, Any]:
    return {
        "id": entry.id, "namespace": entry.namespace, "model": entry.model,
        "scope": json.loads(entry.scope_json), "key_text": entry.key_text,
        "answer": entry.answer, "payload": entry.payload, "exact": exact,
        "created_at": entry.created_at, "expires_at": entry.expires_at, "hits": entry.hits,
        "prompt_tokens": entry.prompt_tokens, "completion_tokens": entry.completion_tokens,
    }


@contextlib.contextmanager
def _output(name: str) -> Iterator[IO[str]]:
    if name == "-":
        yield sys.stdout
        return
    with open(name, "w", encoding="utf-8") as fh:
        yield fh


def _export(args: argparse.Namespace) -> int:
    count = 0
    with _open_store_only(_config(args)) as cache, _output(args.output) as out:
        cache.flush()
        # entries stored without a vector were exact-only (audio...): import keeps them so
        with_vector = cache.store.all_ids(with_vector=True)
        for batch in cache.store.scan(batch=1000, with_embedding=False):
            for entry in batch:
                if args.namespace is not None and entry.namespace != args.namespace:
                    continue
                line = _entry_line(entry, exact=entry.id not in with_vector)
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                count += 1
    print(f"exported {count} entries", file=sys.stderr)
    return 0


def _register_import(sub: Subparsers) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "import", help="read entries from JSON lines or a GPTCache data directory "
                       "(re-embedded with this cache's embedder)")
    _data_options(p)
    p.add_argument("input", nargs="?", help="file written by 'gistcache export' ('-' for stdin)")
    p.add_argument("--namespace", help="put every entry into this namespace instead")
    p.add_argument("--from-gptcache", metavar="DIR", help="import a GPTCache store instead: its "
                   "data directory (sqlite.db), the .db file, or its database URL")
    p.add_argument("--table-prefix", metavar="NAME", help="GPTCache's table_name, when the "
                   "database holds several (default: the one found, usually 'gptcache')")
    p.add_argument("--batch-size", type=int, default=64, metavar="N",
                   help="questions embedded and stored at once (default 64)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_import)


def _request_of(line: dict[str, Any], namespace: str | None) -> CacheRequest:
    scope_data = line.get("scope")
    if not isinstance(scope_data, dict):
        raise GistcacheError("'scope' must be an object")
    scope = Scope.from_json(json.dumps(scope_data))
    if namespace is not None:
        scope = dataclasses.replace(scope, namespace=namespace)
    key_text = line.get("key_text")
    if not isinstance(key_text, str):
        raise GistcacheError("'key_text' must be a string")
    return CacheRequest(key_text=key_text, scope=scope, exact=bool(line.get("exact", False)))


def _number(line: dict[str, Any], name: str, default: float | None) -> float | None:
    value = line.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GistcacheError(f"'{name}' must be a number")
    return float(value)


def _count_lines(name: str) -> int:
    try:
        with open(name, "rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except OSError as exc:
        raise GistcacheError(f"cannot read {name}: {exc}") from exc


def _lines(name: str) -> Iterator[tuple[int, str]]:
    if name == "-":
        yield from enumerate(sys.stdin, 1)
        return
    try:
        with open(name, encoding="utf-8") as fh:
            yield from enumerate(fh, 1)
    except OSError as exc:
        raise GistcacheError(f"cannot read {name}: {exc}") from exc


def _import_gptcache(args: argparse.Namespace) -> int:
    from .migrate import import_gptcache, progress_bar

    report = import_gptcache(args.from_gptcache, _config(args), namespace=args.namespace,
                             table_prefix=args.table_prefix, batch_size=args.batch_size,
                             progress=None if args.no_progress else progress_bar())
    print(report.summary(), file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    if args.from_gptcache is not None:
        if args.input is not None:
            raise GistcacheError("give either an input file or --from-gptcache, not both")
        return _import_gptcache(args)
    if args.input is None:
        raise GistcacheError("give the file written by 'gistcache export' ('-' for stdin), "
                             "or --from-gptcache DIR")
    from .migrate import progress_bar

    imported = expired = 0
    config = _config(args)
    # A file's lines are counted first, for the progress bar (stdin's cannot be).
    total = _count_lines(args.input) if args.input != "-" and not args.no_progress else 0
    show = progress_bar() if total else None
    cache = Cache(config, background=False, exact_only=config.embedder == "hash")
    batch: list[tuple[CacheRequest, Answer]] = []
    times: list[tuple[float, float | None]] = []
    read = 0

    def put_batch() -> None:
        nonlocal imported
        if batch:
            cache.put_many(batch, times=times)
            imported += len(batch)
            batch.clear()
            times.clear()
        if show is not None:
            show(min(read, total), total)

    try:
        # Stored a batch at a time; vectors indexed once, in bulk, at the end.
        with cache.bulk():
            for number, text in _lines(args.input):
                read = number
                if not text.strip():
                    continue
                try:
                    line = json.loads(text)
                    if not isinstance(line, dict):
                        raise GistcacheError("each line must be a JSON object")
                    answer = line.get("answer")
                    if not isinstance(answer, str):
                        raise GistcacheError("'answer' must be a string")
                    payload = line.get("payload")
                    if payload is not None and not isinstance(payload, dict):
                        raise GistcacheError("'payload' must be an object or null")
                    request = _request_of(line, args.namespace)
                    created = _number(line, "created_at", time.time())
                    expires = _number(line, "expires_at", None)
                except (ValueError, GistcacheError) as exc:
                    put_batch()  # what came before the bad line is imported
                    raise GistcacheError(f"{args.input} line {number}: {exc}") from exc
                if expires is not None and expires <= time.time():
                    expired += 1
                    continue
                assert created is not None
                batch.append((request, Answer(answer, payload,
                                              int(line.get("prompt_tokens") or 0),
                                              int(line.get("completion_tokens") or 0))))
                times.append((created, expires))
                if len(batch) >= args.batch_size:
                    put_batch()
            read = total
            put_batch()
    finally:
        cache.close()
    print(f"imported {imported} entries" + (f", skipped {expired} expired" if expired else ""),
          file=sys.stderr)
    return 0


# -- flush ------------------------------------------------------------------------------------


def _register_flush(sub: Subparsers) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "flush", help="delete every entry (or one namespace's)",
        description="Delete entries. Running servers notice within their sync interval.")
    _data_options(p)
    p.add_argument("--namespace", help="only this namespace")
    p.add_argument("--yes", action="store_true", help="really delete (required)")
    p.set_defaults(func=_flush)


def _flush(args: argparse.Namespace) -> int:
    if not args.yes:
        raise GistcacheError("flush deletes entries for good: add --yes to confirm")
    with _open_store_only(_config(args)) as cache:
        deleted = cache.clear(args.namespace)
    where = f" from namespace {args.namespace!r}" if args.namespace is not None else ""
    print(f"deleted {deleted} entries{where}", file=sys.stderr)
    return 0


def _register_calibrate(subparsers: Subparsers) -> None:
    from .calibrate import register

    register(subparsers)


#: subcommand name -> registrar; add one entry to add a subcommand
SUBCOMMANDS: dict[str, Registrar] = {
    "serve": _register_serve,
    "stats": _register_stats,
    "export": _register_export,
    "import": _register_import,
    "flush": _register_flush,
    "calibrate": _register_calibrate,
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    from . import __version__

    parser = argparse.ArgumentParser(prog="gistcache",
                                     description="A fast, correct semantic cache for LLM APIs.")
    parser.add_argument("--version", action="version", version=f"gistcache {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in SUBCOMMANDS.values():
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2: bad usage or settings)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return 2
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        result: int = args.func(args)
    except GistcacheError as exc:
        print(f"gistcache {args.command}: error: {exc}", file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    raise SystemExit(main())
