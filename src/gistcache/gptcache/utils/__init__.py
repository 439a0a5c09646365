"""GPTCache's ``gptcache.utils``: errors, response readers, timing, and the ``import_*`` checks.

GPTCache's ``import_*`` functions ran ``pip install`` at run time when a library was missing.
Here they only check: a missing library raises :class:`MissingDependency` naming what to
install, and nothing is ever installed by the program itself.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from .error import CacheError
from .softmax import softmax

__all__ = ["MissingDependency", "softmax"]


class MissingDependency(CacheError, ImportError):
    """A library this feature needs is not installed (install it yourself)."""


def _check(module: str, package: str) -> Callable[[], None]:
    def check() -> None:
        if importlib.util.find_spec(module) is None:
            raise MissingDependency(f"this feature needs {package!r}, which is not installed: "
                                    f"pip install {package} (gistcache never installs packages "
                                    "at run time)")

    check.__name__ = f"import_{module.split('.')[0]}"
    check.__doc__ = f"Check that {package} is installed (raises MissingDependency if not)."
    return check


#: GPTCache's import_* names -> (module to find, package to install)
_CHECKS: dict[str, tuple[str, str]] = {
    "import_boto3": ("boto3", "boto3"),
    "import_chromadb": ("chromadb", "chromadb"),
    "import_cohere": ("cohere", "cohere"),
    "import_diffusers": ("diffusers", "diffusers"),
    "import_docarray": ("docarray", "docarray"),
    "import_faiss": ("faiss", "faiss-cpu"),
    "import_fastapi": ("fastapi", "fastapi"),
    "import_fasttext": ("fasttext", "fasttext"),
    "import_hnswlib": ("hnswlib", "hnswlib"),
    "import_httpx": ("httpx", "httpx"),
    "import_huggingface": ("transformers", "transformers"),
    "import_huggingface_hub": ("huggingface_hub", "huggingface-hub"),
    "import_langchain": ("langchain_core", "langchain-core"),
    "import_llama_cpp_python": ("llama_cpp", "llama-cpp-python"),
    "import_milvus_lite": ("milvus_lite", "milvus-lite"),
    "import_mongodb": ("mongoengine", "mongoengine"),
    "import_onnxruntime": ("onnxruntime", "onnxruntime"),
    "import_openai": ("openai", "openai"),
    "import_paddle": ("paddle", "paddlepaddle"),
    "import_paddlenlp": ("paddlenlp", "paddlenlp"),
    "import_pillow": ("PIL", "pillow"),
    "import_pydantic": ("pydantic", "pydantic"),
    "import_pymilvus": ("pymilvus", "pymilvus"),
    "import_qdrant": ("qdrant_client", "qdrant-client"),
    "import_redis": ("redis", "redis"),
    "import_replicate": ("replicate", "replicate"),
    "import_ruamel": ("ruamel.yaml", "ruamel.yaml"),
    "import_sbert": ("sentence_transformers", "sentence-transformers"),
    "import_scipy": ("scipy", "scipy"),
    "import_selective_context": ("selective_context", "selective-context"),
    "import_sql_client": ("sqlalchemy", "sqlalchemy"),
    "import_sqlalchemy": ("sqlalchemy", "sqlalchemy"),
    "import_stability": ("stability_sdk", "stability-sdk"),
    "import_tiktoken": ("tiktoken", "tiktoken"),
    "import_timm": ("timm", "timm"),
    "import_torch": ("torch", "torch"),
    "import_torchaudio": ("torchaudio", "torchaudio"),
    "import_torchvision": ("torchvision", "torchvision"),
    "import_uform": ("uform", "uform"),
    "import_usearch": ("usearch", "usearch"),
    "import_vit": ("transformers", "transformers"),
    "import_weaviate": ("weaviate", "weaviate-client"),
}

for _name, (_module, _package) in _CHECKS.items():
    globals()[_name] = _check(_module, _package)
    __all__.append(_name)
__all__.sort()
