"""Mail off the request path; thin tasks."""

import logging
import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def send_password_reset_mail(*, user_id: int, subject: str, body: str, from_email: str | None, to_email: str) -> bool:
    """Send a rendered password-reset mail; an SMTP failure is logged (the user can ask again), never raised."""
    try:
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Password-reset mail for user %s not sent", user_id)
        return False
    return True
