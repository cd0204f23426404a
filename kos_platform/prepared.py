"""Server-side prepared statements for the few hot, fixed statements whose planning costs about what running them
does (the note list's page and its authors' facts, see bench/).

Django turns psycopg's automatic preparation off; the cursor below asks psycopg to prepare each statement it runs,
which psycopg does once per database session, and the settings (`prepare_when_asked`) let it. Queries are logged
like any other's."""

from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


class PreparingCursor(ServerBindingCursor):
    """Prepares what it runs, and takes the rows in binary: psycopg's loaders read numbers and times at half the
    cost of text (for plain columns; Django's JSON loaders are text ones, so select no json here)."""

    def execute(self, query, params=None, **kwargs):
        return super().execute(query, params, **{**kwargs, "prepare": True, "binary": True})


class LoggedAsWritten(CursorDebugWrapper):
    """Logs a statement as written, with its parameters apart: psycopg keeps no query text of a prepared statement
    for Django to read back."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params, use_last_executed_query=False):
            return CursorWrapper.execute(self, sql, params)


def prepared_cursor():
    """A cursor that prepares its statements, on PostgreSQL; elsewhere a plain cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    cursor = PreparingCursor(connection.connection)
    return LoggedAsWritten(cursor, connection) if connection.queries_logged else CursorWrapper(cursor, connection)
