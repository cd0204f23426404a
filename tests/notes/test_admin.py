"""The staff's read-only admin of notes, reviews, quotas, boosts, pushes and counts renders."""

from decimal import Decimal

import pytest
from django.test import Client

from kos_platform import clock
from notes.choices import ReviewStatus
from notes.models import NoteBoost, NotePush, NoteQuotaMonth

from ..factories import PASSWORD
from .factories import submit

pytestmark = pytest.mark.django_db


def test_notes_admin_pages_render_read_only(world, note):
    staff = world.users["staff"]
    staff.is_superuser = True
    staff.save()
    review = submit(note, world.enterprise, ReviewStatus.APPROVED)
    NoteQuotaMonth.objects.create(enterprise=world.enterprise, month=review.month, used=1)
    NoteBoost.objects.create(enterprise=world.enterprise, note=note, budget=Decimal("10.00"), created_at=clock.now())
    NotePush.objects.create(enterprise=world.enterprise, note=note, pushed_at=clock.now())
    client = Client()
    client.login(username=staff.username, password=PASSWORD)
    for path in (
        "/admin/notes/note/?q=通勤",
        f"/admin/notes/note/{note.pk}/change/",
        "/admin/notes/notereview/?status=approved",
        f"/admin/notes/notereview/{review.pk}/change/",
        "/admin/notes/notequotamonth/",
        "/admin/notes/noteboost/",
        "/admin/notes/notepush/",
        "/admin/notes/enterprisenotecounts/",
    ):
        assert client.get(path).status_code == 200, path
    assert client.post(f"/admin/notes/note/{note.pk}/delete/").status_code == 403
