import shutil
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from accounts.models import RedAccount

from ..factories import RedAccountFactory, valid_id_number
from .helpers import client_for, png_bytes


@pytest.fixture(autouse=True)
def private_media_root(settings):
    """Each test stores its files in a directory of its own under the test MEDIA_ROOT (artifacts/test-media), so
    comparing the file list before and after a request sees this test's files only, whatever else runs."""
    root = Path(settings.MEDIA_ROOT) / "bindings-tests" / uuid.uuid4().hex
    settings.MEDIA_ROOT = root
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def employee_account(db) -> RedAccount:
    """An eligible account whose real-name record matches `invitation_form`."""
    return RedAccountFactory(
        red_id="95270001",
        nickname="小美导购日记",
        real_name="李小美",
        id_number=valid_id_number(1),
        user__username="emp_xiaomei",
    )


@pytest.fixture
def invitation_form(employee_account):
    """The I02 form for `employee_account`, as multipart data; call it with overrides."""

    def form(**overrides):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {
            "mode": "personal_authorized",
            "red_id": employee_account.red_id,
            "name": "李小美",
            "id_number": valid_id_number(1),
            "position": "shopping_guide",
            "region": "上海·静安",
            "proof": SimpleUploadedFile("在职证明.png", png_bytes(), content_type="image/png"),
            "commitment_signed": "true",
            "agreement_signed": "true",
        }
        data.update(overrides)
        return data

    return form


@pytest.fixture
def t0():
    """A whole minute a day from now, where timed tests start, so every instant they check is exact."""
    return timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)


@pytest.fixture
def travel(t0):
    """Time frozen at `t0` (tick=False); `travel.move_to(instant)` jumps. No sweep runs meanwhile."""
    with time_machine.travel(t0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def employee_client(employee_account):
    """The employee of `employee_account`, signed in to the API."""
    return client_for(employee_account.user)


@pytest.fixture
def brand_url(world):
    """`brand_url("invitations/")` → /api/v1/enterprises/{eid}/invitations/ for the world's brand."""
    return lambda rest="": f"/api/v1/enterprises/{world.enterprise.pk}/{rest}"
