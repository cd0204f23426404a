import pytest

from ..factories import RedAccountFactory
from .factories import NoteFactory, bind


@pytest.fixture
def bound_account(world):
    """An employee account actively bound to the world's enterprise."""
    return bind(world.enterprise, RedAccountFactory(red_id="95271001", nickname="小美穿搭", followers=800)).red_account


@pytest.fixture
def note(bound_account):
    return NoteFactory(author=bound_account, title="秋冬通勤穿搭", likes=12, comments=1)
