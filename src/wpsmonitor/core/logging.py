"""Logging filters the settings attach to Django's loggers.

A refusal (403) is an ordinary answer, not a fault: Django's `log_response` passes the
PermissionDenied as `exc_info`, so every refused page would print a full traceback in the server
log. `ForbiddenOneLine` turns those records into one line saying who was refused what.
"""

from __future__ import annotations

import logging


class ForbiddenOneLine(logging.Filter):
    """Log a 403 as one line (method, path, user id), without the exception's traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        record.exc_info = None
        record.exc_text = None
        if request is not None:
            user = getattr(request, "user", None)
            user_id = getattr(user, "pk", None) if user is not None else None
            path = request.path.encode("unicode_escape").decode("ascii")
            record.msg = "Forbidden: %s %s (user %s)"
            record.args = (request.method, path, user_id if user_id is not None else "anonymous")
        return True
