"""The staff's read-only admin of invitations, bindings (with their holders) and notifications renders."""

import pytest
from django.test import Client

from ..factories import PASSWORD
from .factories import BindingFactory, InvitationFactory

pytestmark = pytest.mark.django_db


def test_binding_admin_pages_render_read_only(world):
    staff = world.users["staff"]
    staff.is_superuser = True
    staff.save()
    binding, invitation = BindingFactory(), InvitationFactory()
    client = Client()
    client.login(username=staff.username, password=PASSWORD)
    for path in (
        "/admin/bindings/invitation/?status=pending_review&q=品牌",
        f"/admin/bindings/invitation/{invitation.pk}/change/",
        "/admin/bindings/binding/?status=active",
        f"/admin/bindings/binding/{binding.pk}/change/",
        "/admin/bindings/notification/",
    ):
        assert client.get(path).status_code == 200, path
    assert client.post(f"/admin/bindings/binding/{binding.pk}/delete/").status_code == 403
