"""The default embedder routes English to all-MiniLM-L6-v2 and other scripts to multilingual E5."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gistcache import Cache, Config
from gistcache._errors import ConfigError
from gistcache.embedders import E5Embedder, OnnxEmbedder, RoutedEmbedder, script_route
from gistcache.embedders.e5 import E5_SHA256


@pytest.fixture(scope="module")
def routed() -> RoutedEmbedder:
    return RoutedEmbedder(OnnxEmbedder(), E5Embedder())


def test_routes_follow_the_letters() -> None:
    assert script_route("What is the capital of Australia?") == ""
    assert script_route("It’s “quoted” — still English…") == ""
    assert script_route("비타민 C가 감기 예방에 효과가 있나요?") == "multilingual"
    assert script_route("東京の人口は？") == "multilingual"
    assert script_route("Où est la gare ?") == "multilingual"


def test_korean_negation_is_told_apart_by_the_multilingual_model(routed: RoutedEmbedder) -> None:
    # all-MiniLM-L6-v2 turns both endings into [UNK]: identical vectors (cosine 1.000)
    a, b, para = routed.embed(["비타민 C가 감기 예방에 효과가 있나요?",
                               "비타민 C가 감기 예방에 효과가 없나요?",
                               "비타민C 감기 예방 효과 있어요?"])
    assert float(a @ b) < 0.999
    mini = OnnxEmbedder().embed(["비타민 C가 감기 예방에 효과가 있나요?",
                                 "비타민 C가 감기 예방에 효과가 없나요?"])
    assert float(mini[0] @ mini[1]) > 0.999
    assert float(a @ para) > 0.95
    assert np.allclose(np.linalg.norm(routed.embed(["hello", "안녕"]), axis=1), 1.0, atol=1e-5)


def test_english_vectors_are_the_english_models(routed: RoutedEmbedder) -> None:
    text = "How do I reverse a list in Python?"
    assert np.allclose(routed.embed([text])[0], OnnxEmbedder().embed([text])[0], atol=1e-6)


def test_an_unverified_model_file_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "e5-small-q4.bin"
    fake.write_bytes(b"not the model")
    with pytest.raises(ConfigError, match="sha256"):
        E5Embedder(fake, sha256=E5_SHA256)


def test_the_route_is_part_of_the_scope(tmp_path: Path) -> None:
    cache = Cache(Config(data_dir=str(tmp_path / "d"), verifier=False), background=False)
    try:
        ko = cache.put("서울 인구는 몇 명이에요?", "약 940만 명")
        en = cache.put("What is the population of Seoul?", "About 9.4 million")
        assert ko.scope_key != en.scope_key
        assert '"route":"multilingual"' in ko.scope_json
        assert cache.get("서울 인구는 몇 명인가요?") == "약 940만 명"
        assert cache.get("what is the population of seoul") == "About 9.4 million"
    finally:
        cache.close()


def test_embedders_are_chosen_by_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown embedder 'nope'"):
        Cache(Config(data_dir=":memory:", embedder="nope"))
    with pytest.raises(ConfigError, match="local model directory"):
        Cache(Config(data_dir=":memory:", embedder="sentence-transformers",
                     embedder_model=str(tmp_path / "missing")))
    cache = Cache(Config(data_dir=":memory:", embedder="e5", verifier=False), background=False)
    try:
        assert cache.embedder is not None and cache.embedder.name == E5Embedder.name
    finally:
        cache.close()


def test_openai_compatible_embeddings_endpoint(tmp_path: Path) -> None:
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from gistcache._errors import EmbedderError
    from gistcache.embedders.api import OpenAIEmbedder

    seen: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
            if body["model"] == "broken":
                self.send_response(500)
                self.end_headers()
                return
            data = [{"index": i, "embedding": [float(len(t)), 1.0, 0.0]}
                    for i, t in reversed(list(enumerate(body["input"])))]
            out = json.dumps({"data": data}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/v1"
        emb = OpenAIEmbedder("tiny", base_url=base, api_key="sk-test")
        assert emb.dimension == 3 and emb.name == "openai:tiny"
        vecs = emb.embed(["a", "abc"])
        assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0)
        assert vecs[1][0] > vecs[0][0]  # rows come back in input order, not response order
        assert seen[-1] == {"path": "/v1/embeddings", "auth": "Bearer sk-test",
                            "model": "tiny", "input": ["a", "abc"]}
        with pytest.raises(EmbedderError, match="failed"):
            OpenAIEmbedder("broken", base_url=base, api_key="k", dimension=3).embed(["x"])
    finally:
        server.shutdown()
        server.server_close()
