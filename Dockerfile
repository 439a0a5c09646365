# gistcache proxy server: an OpenAI-compatible endpoint with a semantic cache in front.
#
#   docker build -t gistcache .
#   docker run -p 8000:8000 -v gistcache-data:/data -e OPENAI_API_KEY gistcache
#   docker run -p 8000:8000 gistcache --fake-upstream          # offline demo, no real model
#
# Every `gistcache serve` flag can follow the image name; settings also come from GISTCACHE_*
# variables (GISTCACHE_ADMIN_KEY, GISTCACHE_WORKERS, GISTCACHE_UPSTREAM, ...). See docs/server.md.

FROM python:3.11-slim AS build
WORKDIR /src
# Build a wheel of gistcache and of every dependency, so that the final image has no compilers
# or caches and installs from local files only.
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[server]"

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GISTCACHE_DATA_DIR=/data \
    GISTCACHE_HOST=0.0.0.0 \
    GISTCACHE_PORT=8000
# An unprivileged user owns the data directory and nothing else.
RUN groupadd --system --gid 10001 gistcache \
    && useradd --system --uid 10001 --gid gistcache --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin gistcache \
    && mkdir /data && chown gistcache:gistcache /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels "gistcache[server]" \
    && rm -rf /wheels
USER gistcache
WORKDIR /data
# SQLite file, vector index and cached images live here: mount a volume to keep them.
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('GISTCACHE_PORT', '8000') + '/healthz', timeout=4)"
ENTRYPOINT ["gistcache", "serve"]
