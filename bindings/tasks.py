"""Beat jobs for the timed binding rules; thin and idempotent (safe to run twice or late)."""

from celery import shared_task

from . import proofs, sweeps


@shared_task(ignore_result=True)
def expire_invitations() -> int:
    return sweeps.expire_due_invitations()


@shared_task(ignore_result=True)
def remind_expiring_invitations() -> int:
    return sweeps.remind_expiring_invitations()


@shared_task(ignore_result=True)
def sweep_proof_drafts() -> int:
    """The bind wizard's draft proofs older than 24 hours go, with their files."""
    return proofs.sweep_proof_drafts()
