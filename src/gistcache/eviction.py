"""Eviction policies and budgets.

Policies are data, not a class hierarchy: each names the order in which entries are dropped when
the cache is over its budget (oldest access first for LRU, and so on). Every policy also drops
expired entries first; ``ttl`` additionally orders by expiry time.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import ConfigError

__all__ = ["POLICIES", "Budget", "EvictionPolicy", "get_policy"]


@dataclass(frozen=True)
class EvictionPolicy:
    """A named victim order: entry columns, each ascending (first in the list goes first)."""

    name: str
    order_by: tuple[str, ...]


POLICIES: dict[str, EvictionPolicy] = {
    "lru": EvictionPolicy("lru", ("accessed_at", "id")),
    "lfu": EvictionPolicy("lfu", ("hits", "accessed_at", "id")),
    "fifo": EvictionPolicy("fifo", ("created_at", "id")),
    "ttl": EvictionPolicy("ttl", ("expires_at", "created_at", "id")),
}


def get_policy(policy: str | EvictionPolicy) -> EvictionPolicy:
    """Resolve a policy name (``lru``, ``lfu``, ``fifo``, ``ttl``) to its definition."""
    if isinstance(policy, EvictionPolicy):
        return policy
    try:
        return POLICIES[policy.lower()]
    except KeyError:
        raise ConfigError(
            f"unknown eviction policy {policy!r}; choose one of {', '.join(sorted(POLICIES))}"
        ) from None


@dataclass(frozen=True)
class Budget:
    """Limits on what the cache keeps: entry count and bytes (None = unlimited)."""

    max_entries: int | None = None
    max_bytes: int | None = None

    def __post_init__(self) -> None:
        for name in ("max_entries", "max_bytes"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ConfigError(f"{name} must be a positive integer or None, got {value!r}")

    def excess(self, entries: int, size: int) -> tuple[int, int]:
        """How many entries and bytes are over the budget (0 when within)."""
        over_n = max(0, entries - self.max_entries) if self.max_entries is not None else 0
        over_b = max(0, size - self.max_bytes) if self.max_bytes is not None else 0
        return over_n, over_b
