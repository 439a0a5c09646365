"""The process helpers that tests and benchmarks use to start servers."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from gistcache.testing import free_port, wait_ready


def test_a_free_port_can_be_bound() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        assert sock.getsockname()[1] == port


def test_a_server_that_exits_during_startup_is_reported_with_its_detail() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(RuntimeError, match="exited during startup: the log"):
        wait_ready(proc, url, 5, detail=lambda: ": the log")


def test_a_server_that_never_answers_times_out() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with pytest.raises(RuntimeError, match="did not become ready"):
            wait_ready(proc, f"http://127.0.0.1:{free_port()}", 0.5, poll=0.1)
    finally:
        proc.kill()
        proc.wait()
