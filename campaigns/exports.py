"""Ad-side downloads as CSV or XLSX, streamed: the ad account's ledger. Labels are read in the request's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError

from accounts.models import Enterprise
from kos_platform import clock, exports
from notes.exports import KIND_ERROR, KINDS, XLSX_TYPE

from .choices import LedgerKind

__all__ = ["KINDS", "XLSX_TYPE", "kind_of", "ledger_export"]

LEDGER_COLUMNS = (
    ("at", gettext_lazy("Time")),
    ("kind", gettext_lazy("Kind")),
    ("amount", gettext_lazy("Amount (yuan)")),
    ("balance_after", gettext_lazy("Balance after (yuan)")),
    ("reference", gettext_lazy("Reference")),
)


def kind_of(request) -> str:
    """`?format=csv|xlsx` of a download; anything else is a 400."""
    kind = request.query_params.get("format")
    if kind not in KINDS:
        raise ValidationError({"format": [KIND_ERROR]})
    return kind


def ledger_export(kind: str, lines, enterprise: Enterprise):
    kinds = {value: str(label) for value, label in LedgerKind.choices}
    rows = lines.values_list(*(field for field, _label in LEDGER_COLUMNS))

    def labelled():
        for at, line_kind, amount, balance_after, reference in rows.iterator(chunk_size=2000):
            yield at, kinds[line_kind], amount, balance_after, reference

    stem = _("ledger-%(enterprise)s-%(date)s") % {"enterprise": enterprise.name, "date": clock.local_today()}
    return exports.export_response(kind, [str(label) for _f, label in LEDGER_COLUMNS], labelled(), stem)
