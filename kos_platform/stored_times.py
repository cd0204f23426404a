"""Stored times that Python cannot hold, or cannot show in Asia/Shanghai, are read as the nearest it can.

The input guard keeps new content and enterprise dates in bounds; rows stored before it (a note "published" in
1 BC, a date in the year 10,000) must still not break a list, a page or a stream. psycopg refuses such a value
while fetching the row, so the answer is given here, in the loaders of every PostgreSQL connection: a time before
year 1 reads as its first instant, one too late to convert to local time as 9999-12-30."""

from datetime import UTC, date, datetime

from psycopg import DataError
from psycopg.adapt import Loader
from psycopg.pq import Format

EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)
EARLIEST_DATE, LATEST_DATE = date(1, 1, 1), date(9999, 12, 31)


def _clamped(loader: type[Loader], low, high) -> type[Loader]:
    """The loader's answer, held between `low` and `high` (psycopg's C loaders cannot be subclassed: wrapped)."""

    class Clamped(Loader):
        format = loader.format
        timezone = getattr(loader, "timezone", None)  # Django compares it to decide whether to register its own

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self.inner = loader(oid, context)

        def load(self, data):
            try:
                value = self.inner.load(data)
            except DataError as error:
                return low if "too small" in str(error) else high
            return high if value > high else value

    return Clamped


def tolerate_out_of_range_times(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: wrap the connection's date and timestamptz loaders."""
    if connection.vendor != "postgresql":
        return
    adapters = connection.connection.adapters
    for name, low, high in (("timestamptz", EARLIEST, LATEST), ("date", EARLIEST_DATE, LATEST_DATE)):
        oid = adapters.types[name].oid
        for fmt in (Format.TEXT, Format.BINARY):
            adapters.register_loader(name, _clamped(adapters.get_loader(oid, fmt), low, high))
