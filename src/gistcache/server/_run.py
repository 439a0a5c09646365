"""Running the server with uvicorn: one process, or N workers sharing the store."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from .._errors import require
from ..config import Config
from .app import SPEC_ENV, create_app
from .settings import ServerSettings, dump_spec

__all__ = ["run"]

log = logging.getLogger("gistcache.server")


class _Stopped(Exception):
    """SIGTERM reached the server after uvicorn's graceful shutdown."""


def _stopped(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(signum)


@contextmanager
def _stops_cleanly() -> Iterator[None]:
    """Ctrl-C or SIGTERM end the server normally (exit status 0), not as a crash.

    uvicorn drains connections on either signal, then raises it again so that the process
    dies of it: ``make run`` then reports ``Error 143`` (or 130), which reads as a crash.
    """
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stopped) if main else None
    try:
        yield
    except (KeyboardInterrupt, _Stopped):
        pass  # the signal that ended the serving: a normal end
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


def run(config: Config, settings: ServerSettings, *, access_log: bool = False) -> None:
    """Serve until interrupted (uvicorn handles SIGINT/SIGTERM and drains connections); an
    interruption is a normal end."""
    with _stops_cleanly():
        _run(config, settings, access_log=access_log)
    print("gistcache stopped.", flush=True)


def _run(config: Config, settings: ServerSettings, *, access_log: bool) -> None:
    uvicorn: Any = require("uvicorn", feature="gistcache serve", extra="server")
    common: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "access_log": access_log,
        "ws": "none",  # no websocket routes; also avoids importing websockets at all
        "lifespan": "on",
        "timeout_graceful_shutdown": 10,
        "server_header": False,
    }
    log.info("gistcache serving on http://%s:%d with %d worker(s), upstream %s",
             settings.host, settings.port, settings.workers, settings.upstream)
    if settings.workers == 1:
        uvicorn.run(create_app(config=config, settings=settings), **common)
        return
    # Workers are fresh processes: they build their app from this variable (settings,
    # keys included, reach only our own children this way, never a file or a log).
    os.environ[SPEC_ENV] = dump_spec(config, settings)
    uvicorn.run("gistcache.server.app:worker_app", factory=True, workers=settings.workers,
                **common)
