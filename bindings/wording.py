"""Refusals in the user's words, one way for every binding page: the bind wizard, the batch report (page and CSV)
and the banner that says why an enterprise cannot invite. Never a code: each rule's message, each reason (A01–A07,
E01) named, each instant (cooldown, restriction) in Beijing time."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.services import enterprise_state_reasons
from kos_platform import clock
from kos_platform.errors import RULE_MESSAGES, RuleViolation, reason_label


def local_text(at: datetime | None) -> str:
    return formats.date_format(timezone.localtime(at), "Y-m-d H:i") if at else ""


def violation_context(violation: RuleViolation) -> dict:
    """The refused rule's message and its facts in words: reasons with labels, instants in local time."""
    facts = [{"text": reason_label(code)} for code in violation.facts.get("reasons", [])]
    if available_at := violation.facts.get("available_at"):
        facts.append(
            {"text": _("Possible from %(at)s (Beijing time)") % {"at": local_text(available_at)}, "at": available_at}
        )
    if until := violation.facts.get("until"):
        facts.append({"text": _("Until %(at)s (Beijing time)") % {"at": local_text(until)}, "at": until})
    return {"code": violation.code, "message": violation.message, "facts": facts}


def violation_text(violation: RuleViolation) -> str:
    """The same words on one line (a CSV cell): the message, then its facts."""
    words = violation_context(violation)
    facts = "; ".join(fact["text"] for fact in words["facts"])
    return f"{words['message']} ({facts})" if facts else words["message"]


def invite_blockers(enterprise) -> list[str]:
    """E01, E02, E04 in words: every reason the enterprise cannot send invitations now (empty when it can). The
    wizard and the batch page show them as a banner; the server refuses their submissions with the same words."""
    blockers = [reason_label(code) for code in enterprise_state_reasons(enterprise)]
    if not enterprise.kos_permission:
        blockers.append(str(RULE_MESSAGES["kos_permission_missing"]))
    restricted = enterprise.invitations_restricted_until
    if restricted and clock.now() < restricted:
        blockers.append(
            _("New invitations are restricted until %(at)s (Beijing time).") % {"at": local_text(restricted)}
        )
    return blockers
