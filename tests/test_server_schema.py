"""schemathesis against the server's own OpenAPI schema, over loopback: no request it
generates, valid or not, may get a server error or a status the schema does not document.

The run is bounded and seeded (``derandomize``): every operation of ``/openapi.json`` gets
``EXAMPLES`` valid and ``EXAMPLES`` invalid requests, sent to a real uvicorn server on
127.0.0.1 in front of a cache on a real SQLite file and the fake OpenAI server. The figures are
printed (``pytest -s tests/test_server_schema.py``).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import status_code_conformance
from test_server_support import ServerThread

from gistcache import Cache, Config
from gistcache.embedders import WordHashEmbedder
from gistcache.server import ServerSettings, create_app
from gistcache.testing import FakeOpenAI

ADMIN = "adm-schema"
#: examples per operation and mode (at most; operations with few inputs get fewer)
EXAMPLES = 20


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Cache]]:
    data: Path = tmp_path_factory.mktemp("schema") / "data"
    with FakeOpenAI(latency=0.0, require_key=False) as up:
        cache = Cache(Config(data_dir=str(data), verifier=False, similarity_threshold=0.5),
                      embedder=WordHashEmbedder(256), background=False, rng=random.Random(3))
        settings_ = ServerSettings(upstream=up.base_url, anthropic_upstream=up.url,
                                   admin_key=ADMIN, upstream_timeout=10)
        with ServerThread(create_app(cache, settings_)) as thread:
            yield thread.url, cache
        cache.close()


def _fuzz(operation: Any, mode: GenerationMode, url: str, session: requests.Session,
          statuses: Counter[int], failures: list[str]) -> None:
    """Send up to EXAMPLES generated requests of one operation; record statuses and failed
    checks (server errors, statuses the schema does not document)."""
    checks: list[Any] = [not_a_server_error, status_code_conformance]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=url, session=session, timeout=30,
                             headers={"x-gistcache-admin-key": ADMIN})
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks)
        except (AssertionError, FailureGroup) as exc:  # each failed check, with the request
            failures.append(f"{mode.value} {operation.label} -> {response.status_code}: "
                            f"{exc}"[:2000])

    run()


def test_no_server_errors_and_no_undocumented_statuses(served: tuple[str, Cache]) -> None:
    url, _ = served
    schema = schemathesis.openapi.from_url(url + "/openapi.json")
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    no_negative: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    with requests.Session() as session:
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    _fuzz(operation, mode, url, session, statuses, failures)
                except Unsatisfiable:
                    # nothing to make invalid: an operation without parameters or body
                    assert mode is GenerationMode.NEGATIVE, operation.label
                    no_negative.append(operation.label)

    total = sum(statuses.values())
    print(f"\nschemathesis: {len(operations)} operations, {total} requests, statuses "
          f"{dict(sorted(statuses.items()))}, failures {len(failures)}; no invalid form: "
          f"{', '.join(no_negative)}")
    assert failures == []
    assert sum(n for s, n in statuses.items() if s >= 500) == 0
    assert total >= 2 * len(operations) - len(no_negative)  # every operation, both modes
    assert statuses[200] > 0 and statuses[400] > 0  # valid and invalid requests both arrived


def test_every_route_documents_its_body_and_its_errors(served: tuple[str, Cache]) -> None:
    url, _ = served
    spec = requests.get(url + "/openapi.json", timeout=30).json()
    assert "HTTPValidationError" not in json.dumps(spec)  # validation errors are 400s here
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                schema = media["schema"]
                assert schema.get("properties") or "$ref" in schema or "anyOf" in schema, label
            if path == "/v1/files/images/{key}":  # any key that is not an image's: 404
                assert "404" in operation["responses"], label
            elif body or operation.get("parameters"):
                assert "400" in operation["responses"], label
            if path in ("/put", "/flush", "/clear", "/entries", "/entries/{entry_id}",
                        "/feedback", "/stats", "/dashboard/data"):
                assert "401" in operation["responses"], label
    chat = spec["paths"]["/v1/chat/completions"]["post"]
    schema = chat["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["model", "messages"]
    assert {"413", "429", "502", "504"} <= set(chat["responses"])
