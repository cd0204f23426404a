"""How note records read in the audit log (see accounts.audit_display)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.audit_display import names_of, quoted_title, register

from .models import NoteBoost, NotePush, NoteReview


def _note_url(event) -> str:
    """The note's detail page; the record holds the note's platform ID in `after`."""
    note_id = (event.after or {}).get("note_id") if isinstance(event.after, dict) else None
    if not (note_id and event.enterprise_id):
        return ""
    return reverse("note-detail", kwargs={"eid": event.enterprise_id, "note_id": note_id})


def synced_rows(event) -> str:
    """An ingest batch: how many rows it carried."""
    received = (event.after or {}).get("received", 0) if isinstance(event.after, dict) else 0
    return ngettext("a batch of %(n)s row", "a batch of %(n)s rows", received) % {"n": received}


def _about_note(model, label, **options):
    register(
        model._meta.label_lower,
        label=label,
        names=names_of(model, "note__title", "note__note_id", format=quoted_title),
        hidden={"note_id"},  # the object already names the note
        link=_note_url,
        **options,
    )


_about_note(NoteReview, _("Note review"), fields={"month": _("Quota month")})
_about_note(NoteBoost, _("Note boost"))
_about_note(NotePush, _("Note push"))
# The content platform's batches of notes and of their daily figures (no single object).
register("notes.note", label=_("Synced notes"), name_of=synced_rows, fields={"notes": _("Notes with figures")})
