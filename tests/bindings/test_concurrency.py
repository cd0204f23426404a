"""Concurrency (STYLE §4), each thread on its own database connection: A08 holds when 50 enterprises' invitations
to the same RED account are accepted at the same moment, and the row locks of the services cannot deadlock."""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection

from bindings import rules, services
from bindings.models import Binding, Invitation
from kos_platform.errors import RuleViolation
from kos_platform.tenancy import Actor

from ..factories import EnterpriseFactory, RedAccountFactory
from .factories import InvitationFactory
from .helpers import OWNED, PERSONAL, brand, employee_details

# Many threads, each on its own connection: one such test at a time across pytest-xdist's workers.
pytestmark = pytest.mark.usefixtures("connections_to_spare")

THREADS = 50


def outcome_of(work, *, ready: threading.Barrier | None = None) -> str:
    """Run `work()` on this thread's own connection: "ok", the rule's code, or the repr of anything else."""
    try:
        connection.ensure_connection()  # connect first, so a barrier releases only the work
        if ready:
            ready.wait()
        work()
        return "ok"
    except RuleViolation as violation:
        return violation.code
    except Exception as error:  # anything else fails the test with its repr
        return repr(error)
    finally:
        connection.close()


def run_threads(works: dict[str, Callable], *, together: bool = False) -> dict[str, str]:
    """Each work in a thread of its name (released together when asked); their outcomes by name."""
    ready = threading.Barrier(len(works), timeout=30) if together else None
    outcomes: dict[str, str] = {}

    def run(name, work):
        outcomes[name] = outcome_of(work, ready=ready)

    threads = [threading.Thread(name=name, target=run, args=(name, work)) for name, work in works.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_a08_fifty_enterprises_accept_the_same_account_at_once():
    account = RedAccountFactory(real_name="李小美")
    invitations = [
        InvitationFactory(enterprise=EnterpriseFactory(), red_account=account, mode=(OWNED, PERSONAL)[n % 2], sent=True)
        for n in range(THREADS)
    ]
    actor = Actor(user=account.user)

    def accept(invitation):
        return lambda: services.invitation_accept(actor=actor, invitation=invitation)

    outcomes = run_threads({f"accept-{i.pk}": accept(i) for i in invitations}, together=True)

    assert Counter(outcomes.values()) == {"ok": 1, "account_already_bound": THREADS - 1}
    binding = Binding.objects.get(red_account=account)
    assert binding.status == "active"
    statuses = Counter(Invitation.objects.filter(red_account=account).values_list("status", flat=True))
    assert statuses == {"accepted": 1, "sent": THREADS - 1}
    assert Invitation.objects.get(status="accepted") == binding.invitation


@pytest.mark.django_db(transaction=True)
def test_i08_a_new_invitation_while_the_employee_accepts_does_not_deadlock(monkeypatch):
    """The brand sends the account another invitation while the employee accepts the open one. The acceptance
    holds the account and then inserts a binding that references the enterprise; the new invitation holds the
    enterprise and waits for the account. The enterprise lock must not block that reference (FOR NO KEY UPDATE):
    the acceptance goes through and the new invitation meets a rule, not a deadlock."""
    account = RedAccountFactory(real_name="李小美")
    invitation = InvitationFactory(red_account=account, mode=PERSONAL, sent=True)
    workspace, details = brand(invitation.enterprise), employee_details(account)
    accept_holds_account, create_holds_enterprise = threading.Event(), threading.Event()
    real_account_check, real_enterprise_check = rules.ensure_account_can_bind, services.ensure_enterprise_can_invite

    def account_check(*args, **kwargs):  # called by the acceptance with the account row locked
        if threading.current_thread().name == "accept":
            accept_holds_account.set()
            assert create_holds_enterprise.wait(10)
        return real_account_check(*args, **kwargs)

    def enterprise_check(*args, **kwargs):  # called by the new invitation with the enterprise row locked
        if threading.current_thread().name == "create":
            assert accept_holds_account.wait(10)
            create_holds_enterprise.set()
        return real_enterprise_check(*args, **kwargs)

    monkeypatch.setattr(rules, "ensure_account_can_bind", account_check)
    monkeypatch.setattr(services, "ensure_enterprise_can_invite", enterprise_check)

    outcomes = run_threads(
        {
            "accept": lambda: services.invitation_accept(actor=Actor(user=account.user), invitation=invitation),
            "create": lambda: services.invitation_create(
                workspace=workspace, red_account=account, mode=OWNED, details=details
            ),
        }
    )

    assert outcomes == {"accept": "ok", "create": "mode_conversion_unsupported"}
    assert Binding.objects.get(red_account=account).status == "active"
