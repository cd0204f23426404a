"""The brand's note list as CSV or XLSX: the filtered rows, streamed from a server-side cursor with constant memory."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Enterprise
from bindings.choices import LIVE_BINDING_STATUSES
from bindings.models import Binding
from kos_platform import clock, exports

from .choices import NoteType, ReviewStatus

KINDS = ("csv", "xlsx")
XLSX_TYPE = exports.XLSX_CONTENT_TYPE
KIND_ERROR = gettext_lazy("Choose csv or xlsx.")
CHUNK_ROWS = 2000

COLUMNS = (
    ("note_id", gettext_lazy("Note ID")),
    ("title", gettext_lazy("Note title")),
    ("type", gettext_lazy("Note type")),
    ("url", gettext_lazy("Note link")),
    ("employee_name", gettext_lazy("Employee name")),
    ("author__red_id", gettext_lazy("RED ID")),
    ("author__nickname", gettext_lazy("Nickname")),
    ("published_at", gettext_lazy("Published at")),
    ("exposure", gettext_lazy("Exposure")),
    ("reads", gettext_lazy("Reads")),
    ("engagement", gettext_lazy("Engagement")),
    ("likes", gettext_lazy("Likes")),
    ("collects", gettext_lazy("Collects")),
    ("comments", gettext_lazy("Comments")),
    ("shares", gettext_lazy("Shares")),
    ("leads", gettext_lazy("Leads")),
    ("read_uv", gettext_lazy("Read UV")),
    ("review_status", gettext_lazy("Review status")),
    ("submitted_at", gettext_lazy("Submitted at")),
    ("review_reason", gettext_lazy("Review reason")),
)
TYPE_INDEX = 2
STATUS_INDEX = 17


def notes_export(kind: str, notes, enterprise: Enterprise):
    """A streamed download of `notes` (already filtered and ordered). Labels are read now, in the request's
    language: the rows are written after the view has returned."""
    holder = Binding.objects.filter(
        enterprise=enterprise, red_account=OuterRef("author_id"), status__in=LIVE_BINDING_STATUSES
    ).values("name")[:1]
    rows = notes.annotate(employee_name=Subquery(holder)).values_list(*(field for field, _label in COLUMNS))
    types = {value: str(label) for value, label in NoteType.choices}
    statuses = {value: str(label) for value, label in ReviewStatus.choices} | {"": _("Not submitted")}
    header = [str(label) for _field, label in COLUMNS]

    def labelled():
        for row in rows.iterator(chunk_size=CHUNK_ROWS):
            row = list(row)
            row[TYPE_INDEX] = types.get(row[TYPE_INDEX], row[TYPE_INDEX])
            row[STATUS_INDEX] = statuses.get(row[STATUS_INDEX], row[STATUS_INDEX])
            yield row

    stem = _("notes-%(enterprise)s-%(date)s") % {"enterprise": enterprise.name, "date": clock.local_today()}
    return exports.export_response(kind, header, labelled(), stem)
