from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from ..factories import RedAccountFactory
from .factories import NoteFactory, bind


@pytest.fixture
def bound_account(world):
    """An employee account actively bound to the world's enterprise."""
    return bind(world.enterprise, RedAccountFactory(red_id="95271001", nickname="小美穿搭", followers=800)).red_account


@pytest.fixture
def note(bound_account):
    return NoteFactory(author=bound_account, title="秋冬通勤穿搭", likes=12, comments=1)


@pytest.fixture
def staff(world):
    """Platform staff's API client (ingest, review queue, enterprise settings)."""
    return world.client("staff")


@pytest.fixture
def operator(world):
    """The brand operator's API client."""
    return world.client("operator")


@pytest.fixture
def t0():
    """A whole minute a day from now, where timed tests start, so every instant they check is exact."""
    return timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)


@pytest.fixture
def travel(t0):
    """Time frozen at `t0` (tick=False); `travel.move_to(instant)` jumps."""
    with time_machine.travel(t0, tick=False) as traveller:
        yield traveller
