"""The version of the data behind the data centre's cached tables (`selectors.CachedRows`): a new value once a
rollup refresh or a binding change commits, so a table computed before it is never read again. Kept in the cache,
as a nanosecond timestamp: it does not repeat after the cache is emptied."""

import time

from django.core.cache import cache
from django.db import transaction

KEY = "analytics:data-version"


def current() -> int:
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, time.time_ns(), None)
        version = cache.get(KEY)
    return version


def changed(**_signal) -> None:
    """A new version when the caller's transaction commits (a signal receiver too)."""
    transaction.on_commit(lambda: cache.set(KEY, time.time_ns(), None))
