"""GPTCache's data managers: ``CacheBase``, ``VectorBase``, ``ObjectBase``,
``get_data_manager``, ``manager_factory``."""

from .factory import (
    DEFAULT_DATA_DIR,
    CacheBase,
    DataManager,
    ObjectBase,
    VectorBase,
    get_data_manager,
    manager_factory,
)

__all__ = [
    "DEFAULT_DATA_DIR",
    "CacheBase",
    "DataManager",
    "ObjectBase",
    "VectorBase",
    "get_data_manager",
    "manager_factory",
]
