"""Running the server with uvicorn: one process, or N workers sharing the store."""

from __future__ import annotations

import logging
import os
from typing import Any

from .._errors import require
from ..config import Config
from .app import SPEC_ENV, create_app
from .settings import ServerSettings, dump_spec

__all__ = ["run"]

log = logging.getLogger("gistcache.server")


def run(config: Config, settings: ServerSettings, *, access_log: bool = False) -> None:
    """Serve until interrupted (uvicorn handles SIGINT/SIGTERM and drains connections)."""
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
