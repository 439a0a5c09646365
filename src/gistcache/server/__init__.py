"""The caching proxy server: an OpenAI-compatible HTTP endpoint with the cache in front.

Start it with ``gistcache serve``; build the ASGI app yourself with :func:`create_app`.
Importing this package starts nothing.
"""

from .app import ServerState, create_app, worker_app
from .settings import ServerSettings, load_settings

__all__ = ["ServerSettings", "ServerState", "create_app", "load_settings", "worker_app"]
