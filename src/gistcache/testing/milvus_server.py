"""A throwaway Milvus standalone server for tests and benchmarks: the ``milvus`` wheel (Milvus
2.3.5 with its embedded etcd and local storage, the binaries inside the wheel; nothing is
downloaded), started in a directory of its own on free ports, stopped and removed afterwards.

Every port is chosen here, the embedded etcd's too (the wheel's own launcher leaves etcd on 2379
and 2380, so a second server on the machine, say another worktree's test run, would fail), and
the server process is watched while it starts, so a crash is reported at once with its log.

    with MilvusProcess(tmp_path) as server:
        index = MilvusIndex(server.url, 384)
"""

from __future__ import annotations

import importlib.util
import shutil
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

from gistcache.testing._process import free_port

__all__ = ["MilvusProcess", "ServerFailed", "milvus_installed"]

#: a guard against a server that never comes up, not a speed claim (it starts in ~10 s)
START_LIMIT = 180.0
#: Milvus settings changed from the wheel's defaults: shorter internal polling, so that loading
#: a collection and a read at Strong consistency wait less (the tests make a collection each)
SETTINGS = {"proxy.timeTickInterval": 50, "queryCoord.checkInterval": 200,
            "queryCoord.distPullInterval": 100}
_ETCD = """\
name: default
listen-client-urls: http://127.0.0.1:{client}
advertise-client-urls: http://127.0.0.1:{client}
listen-peer-urls: http://127.0.0.1:{peer}
initial-advertise-peer-urls: http://127.0.0.1:{peer}
initial-cluster: default=http://127.0.0.1:{peer}
"""


class ServerFailed(RuntimeError):
    """The server exited or did not answer while starting; the message ends with its log."""


def _bind_reusable(port: int) -> socket.socket | None:
    """A socket listening on ``port`` of 127.0.0.1 (SO_REUSEADDR), or None when it is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen()
    except OSError:
        sock.close()
        return None
    return sock


def milvus_installed() -> bool:
    """Whether the ``milvus`` package (the server wheel) is there; found, not imported."""
    return importlib.util.find_spec("milvus") is not None


class MilvusProcess:
    """One Milvus standalone server in ``base`` (binaries, configuration, data and logs);
    ``url`` is its gistcache index URL."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._server: Any = None

    @property
    def port(self) -> int:
        assert self._server is not None, "start() first"
        return int(self._server.listen_port)

    @property
    def url(self) -> str:
        return f"milvus://127.0.0.1:{self.port}"

    @property
    def version(self) -> str:
        from milvus import __version__

        return str(__version__)

    @property
    def pid(self) -> int | None:
        proc = None if self._server is None else self._server.server_proc
        return None if proc is None else int(proc.pid)

    def start(self) -> MilvusProcess:
        """Write the configuration (all ports free now) and start; ServerFailed if it cannot."""
        from milvus import MilvusServer, MilvusServerConfig

        self.base.mkdir(parents=True, exist_ok=True)
        etcd = self.base / "etcd.yaml"
        etcd.write_text(_ETCD.format(client=free_port(), peer=free_port()))
        config = MilvusServerConfig(data_dir=str(self.base / "server"))
        # the launcher checks each port by binding it without SO_REUSEADDR, which fails while
        # connections to the stopped server linger in TIME_WAIT: ``resume`` could not reuse
        # the port, though Milvus (Go sets SO_REUSEADDR) can
        config.try_bind_port = _bind_reusable
        # the wheel's template, with the embedded etcd pointed at the file above
        config.template_text = config.template_text.replace(
            "\n  use:\n    embed: true", f"\n  config:\n    path: {etcd}\n  use:\n    embed: true",
            1)
        ports = {key: free_port() for key in config.configurable_items if key.endswith("_port")}
        config.update(**ports)
        for key, value in SETTINGS.items():
            config.set(key, value)
        self._server = MilvusServer(config, wait_for_started=False)
        self.resume()
        return self

    def resume(self) -> None:
        """Start the server on its directory and ports (again, after ``halt``)."""
        assert self._server is not None, "start() first"
        self._server.start()
        self._wait_healthy()

    def halt(self) -> None:
        """Stop the server and keep its files (``resume`` starts it again on the same port):
        for tests of a backend that goes away mid-run. The wheel's launcher sends SIGTERM, and
        SIGKILL a second later; Milvus 2.3.5 exits at once, without a graceful stop."""
        if self._server is not None:
            self._server.stop()

    def stop(self) -> None:
        """Stop the server and remove the binaries it unpacked (~250 MB); the rest of its
        directory (configuration, data, logs) is the caller's, a pytest temp dir."""
        self.halt()
        self._server = None
        shutil.rmtree(self.base / "server" / "bin", ignore_errors=True)

    def log_tail(self, size: int = 3000) -> str:
        logs = self.base / "server" / "logs"
        texts = [f"{path.name}: {path.read_text(errors='replace')[-size:]}"
                 for path in (logs / "milvus-stdout.log", logs / "milvus-stderr.log")
                 if path.exists()]
        return "\n".join(texts)

    def _wait_healthy(self) -> None:
        server = self._server
        health = f"http://127.0.0.1:{server.webservice_port}/healthz"
        deadline = time.monotonic() + START_LIMIT
        while time.monotonic() < deadline:  # waiting for start-up, not for time to pass
            if server.server_proc.poll() is not None:
                code = server.server_proc.returncode
                server.stop()
                tail = self.log_tail()
                hint = ("; it needs to write /run/milvus or else /tmp/milvus (run as root, or "
                        "make one writable for this user)" if "runtime dir" in tail else "")
                raise ServerFailed(f"Milvus exited with {code} while starting{hint}:\n{tail}")
            try:
                with urllib.request.urlopen(health, timeout=2) as response:
                    if b"OK" in response.read():
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        server.stop()
        raise ServerFailed(f"Milvus did not report healthy in {START_LIMIT:g} s:\n"
                           f"{self.log_tail()}")

    def __enter__(self) -> MilvusProcess:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
