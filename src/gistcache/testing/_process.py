"""Helpers for tests and benchmarks that start servers in their own processes."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable

__all__ = ["free_port", "wait_ready"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(proc: subprocess.Popen[bytes], url: str, limit: float, *,
               detail: Callable[[], str] = lambda: "", poll: float = 0.2) -> None:
    """Wait until ``url``/readyz answers 200; raise if ``proc`` exits first or ``limit`` seconds
    pass (``detail()`` is added to the message, e.g. the server's log)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:  # waiting for startup, not for time to pass
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited during startup{detail()}")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(poll)
    raise RuntimeError(f"the server did not become ready in {limit:g} s{detail()}")
