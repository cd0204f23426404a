"""Password-reset requests: limited per e-mail address and per client IP, the mail sent off the request path.

A request over either limit is answered exactly as any other — the "if the address has a login, a mail is on its way"
page — and sends nothing, so the answer never says whether an address has a login, nor that a limit was reached.
The limits count in the cache (Redis in production and tests), in fixed windows from the first request of each.

The mail is rendered in the request (the reader's language, the link's host) and handed to a Celery task, which
sends it and logs an SMTP failure instead of raising: the answer neither waits for the mail server nor differs in
time between an address with a login and one without.
"""

import hashlib
import logging

from axes.helpers import get_client_ip_address
from django.contrib.auth import forms as auth_forms
from django.core.cache import cache
from django.template import loader
from kombu.exceptions import OperationalError

from .tasks import send_password_reset_mail

logger = logging.getLogger(__name__)

LIMIT = 5  # requests per address, and per client IP, in one window
WINDOW_SECONDS = 60 * 60


def limit_key(kind: str, value: str) -> str:
    """The cache key counting one address's or one IP's requests (hashed: no address is stored in the cache)."""
    return f"password-reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _count(key: str) -> int:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def request_allowed(*, email: str, ip: str | None) -> bool:
    """Count this request against its address and its client IP; False when either is over LIMIT in its window."""
    counts = [_count(limit_key("email", email.strip().lower()))]
    if ip:
        counts.append(_count(limit_key("ip", ip)))
    return all(count <= LIMIT for count in counts)


def client_ip(request) -> str | None:
    """The client's IP as the sign-in lockout reads it (django-axes; REMOTE_ADDR unless configured otherwise)."""
    return get_client_ip_address(request)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, its mail queued for the task instead of sent in the request."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        try:
            send_password_reset_mail.delay(
                user_id=context["user"].pk, subject=subject, body=body, from_email=from_email, to_email=to_email
            )
        except OperationalError:  # the broker is down: say so in the log, answer as always
            logger.exception("Password-reset mail for user %s not queued", context["user"].pk)
