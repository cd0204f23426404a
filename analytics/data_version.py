"""The version of the data behind the data centre's cached figures (`cached`): a new value once a rollup refresh or
a binding change commits, so figures computed before it are never read again. Kept in the cache, as a nanosecond
timestamp: it does not repeat after the cache is emptied."""

import hashlib
import time
from collections.abc import Callable

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


def cached(name: str, parts: tuple, compute: Callable, seconds: int = 600):
    """`compute()`, kept under the data's current version and `parts` for `seconds` (ten minutes: a nickname synced
    from the content platform changes no version). `name` says what is kept: a new shape of value needs a new name,
    or a deploy would read the old shape until the data changes."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"analytics:{name}:{current()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
