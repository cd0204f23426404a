"""Filters of the LOGGING config (settings/base.py)."""

import logging


class RefusalsInOneLine(logging.Filter):
    """A refusal (a 4xx answer: 403 permission denied, 404, 409, a suspicious request's 400) is the app working as
    meant, not a fault: Django logs it with the exception that caused it, and the traceback would bury the log. Keep
    the one line ("Forbidden (Permission denied): /agency/") and drop the traceback; a 5xx keeps it."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
