"""Every endpoint × every kind of caller: the status API.md promises, and a refused request stores nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver

from accounts import services
from accounts.choices import ApiKeyScope
from kos_platform import clock
from kos_platform.tenancy import Actor

from ..analytics.matrix_data import DATA_ENDPOINTS
from ..analytics.matrix_incentives import INCENTIVE_ENDPOINTS
from ..analytics.matrix_race import RACE_ENDPOINTS
from ..bindings.factories import BindingFactory, InvitationFactory
from ..bindings.helpers import png_bytes
from ..bindings.matrix_notifications import NOTIFICATION_ENDPOINTS
from ..campaigns.helpers import recharge
from ..campaigns.matrix import CAMPAIGN_ENDPOINTS
from ..conftest import ACTORS, World
from ..factories import PASSWORD, RedAccountFactory, valid_id_number
from ..matrix import (
    AGENCY,
    ANY_USER,
    BRAND_MANAGE,
    BRAND_MEMBERS,
    BRAND_OPERATE,
    BRAND_VIEW,
    OWN,
    PLATFORM,
    PUBLIC,
    Endpoint,
    ok,
)
from ..notes import factories as note_factories
from ..notes.helpers import metric_row, note_row
from .matrix_team import TEAM_ENDPOINTS


def _key(world: World) -> int:
    key, _raw = services.api_key_create(
        actor=Actor(user=world.users["owner"]), name="erp", scope=ApiKeyScope.ENTERPRISE, enterprise=world.enterprise
    )
    return key.pk


def _platform_key(world: World) -> int:
    key, _raw = services.api_key_create(actor=Actor(user=world.users["staff"]), name="ops", scope=ApiKeyScope.PLATFORM)
    return key.pk


def _employee_account(world: World):
    return world.users["employee"].red_account


def _invitation(world: World, *, sent: bool = False, enterprise=None) -> int:
    """An invitation of the brand (or `enterprise`) to the world's employee, matching the real-name record."""
    enterprise = enterprise or world.enterprise
    return InvitationFactory(enterprise=enterprise, red_account=_employee_account(world), sent=sent).pk


def _binding(world: World, *, mode: str = "enterprise_owned", **fields) -> int:
    return BindingFactory(enterprise=world.enterprise, red_account=_employee_account(world), mode=mode, **fields).pk


def _proof() -> SimpleUploadedFile:
    return SimpleUploadedFile("proof.png", png_bytes(), content_type="image/png")


def _invitation_form(world: World) -> dict:
    return {
        "mode": "enterprise_owned",
        "red_id": RedAccountFactory(red_id="66660001").red_id,
        "name": "周七",
        "id_number": valid_id_number(701),
        "position": "shopping_guide",
        "region": "上海",
        "proof": _proof(),
        "commitment_signed": "true",
        "agreement_signed": "true",
    }


def _batch_form(world: World) -> dict:
    header = "绑定模式,小红书号,姓名,身份证号码,岗位,所属区域,在职证明文件,已签署承诺书,已签署服务协议\n"
    return {"file": SimpleUploadedFile("batch.csv", header.encode(), content_type="text/csv")}


def _handover_form(world: World) -> dict:
    return {"name": "吴八", "id_number": valid_id_number(702), "position": "host", "region": "杭州", "proof": _proof()}


def _note(world: World, status: str | None = None) -> str:
    """The note ID of a note of an employee bound to the brand, submitted and decided when `status` is given."""
    note = note_factories.NoteFactory(author=note_factories.bind(world.enterprise).red_account)
    if status:
        note_factories.submit(note, world.enterprise, status)
    return note.note_id


def _funded_note(world: World) -> str:
    """An approved note of the brand, after the brand's first recharge (E05: boosts draw from the ad account)."""
    recharge(world.enterprise, world.users["owner"], "9000.00")
    return _note(world, "approved")


def _note_review(world: World) -> int:
    """An open review of one of the brand's notes."""
    note = note_factories.NoteFactory(author=note_factories.bind(world.enterprise).red_account)
    return note_factories.submit(note, world.enterprise).pk


E = "/api/v1/enterprises/{}"
P = "/api/v1/platform"
ENDPOINTS = [
    Endpoint("me", "get", lambda w: "/api/v1/me/", ANY_USER),
    Endpoint(
        "me-password",
        "post",
        lambda w: "/api/v1/me/password/",
        ok(ANY_USER, 204),
        lambda w: {"old_password": PASSWORD, "new_password": "a-new-pass-2026"},
    ),
    Endpoint("enterprise-list", "get", lambda w: "/api/v1/enterprises/", ANY_USER),
    Endpoint("enterprise-detail", "get", lambda w: E.format(w.enterprise.pk) + "/", BRAND_VIEW),
    Endpoint("enterprise-agency-list", "get", lambda w: E.format(w.enterprise.pk) + "/agencies/", BRAND_MEMBERS),
    Endpoint(
        "enterprise-agency-list",
        "post",
        lambda w: E.format(w.enterprise.pk) + "/agencies/",
        ok(BRAND_MANAGE, 201),
        lambda w: {"agency_id": w.other_agency.pk},
    ),
    Endpoint(
        "enterprise-agency-detail",
        "delete",
        lambda w: E.format(w.enterprise.pk) + f"/agencies/{w.agency.pk}/",
        ok(BRAND_MANAGE, 204),
    ),
    Endpoint("enterprise-api-key-list", "get", lambda w: E.format(w.enterprise.pk) + "/api-keys/", BRAND_MANAGE),
    Endpoint(
        "enterprise-api-key-list",
        "post",
        lambda w: E.format(w.enterprise.pk) + "/api-keys/",
        ok(BRAND_MANAGE, 201),
        lambda w: {"name": "crm"},
    ),
    Endpoint(
        "enterprise-api-key-detail",
        "delete",
        lambda w: E.format(w.enterprise.pk) + f"/api-keys/{_key(w)}/",
        ok(BRAND_MANAGE, 204),
    ),
    Endpoint("agency-brands", "get", lambda w: "/api/v1/agency/brands/", AGENCY),
    Endpoint("platform-enterprise-list", "get", lambda w: f"{P}/enterprises/", PLATFORM),
    Endpoint(
        "platform-enterprise-list",
        "post",
        lambda w: f"{P}/enterprises/",
        ok(PLATFORM, 201),
        lambda w: {"name": "新品牌", "industry": "service", "certified": True, "store_count": 12},
    ),
    Endpoint("platform-enterprise-detail", "get", lambda w: f"{P}/enterprises/{w.enterprise.pk}/", PLATFORM),
    Endpoint(
        "platform-enterprise-detail",
        "patch",
        lambda w: f"{P}/enterprises/{w.enterprise.pk}/",
        PLATFORM,
        lambda w: {"store_count": 99},
    ),
    Endpoint(
        "platform-enterprise-kos-permission",
        "post",
        lambda w: f"{P}/enterprises/{w.other_enterprise.pk}/kos-permission/",
        PLATFORM,
    ),
    Endpoint(
        "platform-enterprise-kos-permission",
        "delete",
        lambda w: f"{P}/enterprises/{w.enterprise.pk}/kos-permission/",
        PLATFORM,
    ),
    Endpoint("platform-enterprise-members", "get", lambda w: f"{P}/enterprises/{w.enterprise.pk}/members/", PLATFORM),
    Endpoint(
        "platform-enterprise-members",
        "post",
        lambda w: f"{P}/enterprises/{w.enterprise.pk}/members/",
        ok(PLATFORM, 201),
        lambda w: {"username": "new_op", "role": "operator", "password": "Str0ng-pass-x"},
    ),
    Endpoint("platform-agency-list", "get", lambda w: f"{P}/agencies/", PLATFORM),
    Endpoint(
        "platform-agency-list", "post", lambda w: f"{P}/agencies/", ok(PLATFORM, 201), lambda w: {"name": "新代理"}
    ),
    Endpoint("platform-agency-detail", "get", lambda w: f"{P}/agencies/{w.agency.pk}/", PLATFORM),
    Endpoint("platform-agency-members", "get", lambda w: f"{P}/agencies/{w.agency.pk}/members/", PLATFORM),
    Endpoint(
        "platform-agency-members",
        "post",
        lambda w: f"{P}/agencies/{w.agency.pk}/members/",
        ok(PLATFORM, 201),
        lambda w: {"username": "agency_new", "password": "Str0ng-pass-x"},
    ),
    Endpoint("platform-red-account-list", "get", lambda w: f"{P}/red-accounts/", PLATFORM),
    Endpoint(
        "platform-red-account-list",
        "post",
        lambda w: f"{P}/red-accounts/",
        ok(PLATFORM, 201),
        lambda w: {
            "red_id": "88880001",
            "nickname": "新员工",
            "real_name": "赵六",
            "real_name_verified": True,
            "id_number": valid_id_number(601),
            "phone_bound": True,
        },
    ),
    Endpoint(
        "platform-red-account-detail",
        "get",
        lambda w: f"{P}/red-accounts/{RedAccountFactory(red_id='77770001').red_id}/",
        PLATFORM,
    ),
    Endpoint(
        "platform-red-account-detail",
        "patch",
        lambda w: f"{P}/red-accounts/{RedAccountFactory(red_id='77770002').red_id}/",
        PLATFORM,
        lambda w: {"followers": 123},
    ),
    Endpoint("platform-api-key-list", "get", lambda w: f"{P}/api-keys/", PLATFORM),
    Endpoint(
        "platform-api-key-list",
        "post",
        lambda w: f"{P}/api-keys/",
        ok(PLATFORM, 201),
        lambda w: {"name": "content-sync", "scope": "platform"},
    ),
    Endpoint("platform-api-key-detail", "delete", lambda w: f"{P}/api-keys/{_platform_key(w)}/", ok(PLATFORM, 204)),
    # Bindings: the brand workspace
    Endpoint(
        "enterprise-eligibility",
        "get",
        lambda w: E.format(w.enterprise.pk) + f"/red-accounts/{_employee_account(w).red_id}/eligibility/",
        BRAND_VIEW,
    ),
    Endpoint("enterprise-invitation-list", "get", lambda w: E.format(w.enterprise.pk) + "/invitations/", BRAND_VIEW),
    Endpoint(
        "enterprise-invitation-list",
        "post",
        lambda w: E.format(w.enterprise.pk) + "/invitations/",
        ok(BRAND_OPERATE, 201),
        _invitation_form,
        "multipart",
    ),
    Endpoint(
        "enterprise-invitation-batch",
        "post",
        lambda w: E.format(w.enterprise.pk) + "/invitations/batch/",
        BRAND_OPERATE,
        _batch_form,
        "multipart",
    ),
    Endpoint(
        "enterprise-invitation-detail",
        "get",
        lambda w: E.format(w.enterprise.pk) + f"/invitations/{_invitation(w)}/",
        BRAND_VIEW,
    ),
    Endpoint(
        "enterprise-invitation-cancel",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/invitations/{_invitation(w)}/cancel/",
        BRAND_OPERATE,
        lambda w: {"reason": "填错了"},
    ),
    Endpoint(
        "enterprise-invitation-proof",
        "get",
        lambda w: E.format(w.enterprise.pk) + f"/invitations/{_invitation(w)}/proof/",
        BRAND_OPERATE,
    ),
    Endpoint("enterprise-binding-list", "get", lambda w: E.format(w.enterprise.pk) + "/bindings/", BRAND_VIEW),
    Endpoint(
        "enterprise-binding-detail",
        "get",
        lambda w: E.format(w.enterprise.pk) + f"/bindings/{_binding(w)}/",
        BRAND_VIEW,
    ),
    Endpoint(
        "enterprise-binding-unbind",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/bindings/{_binding(w)}/unbind/",
        BRAND_OPERATE,
        lambda w: {"reason": "调岗"},
    ),
    Endpoint(
        "enterprise-binding-freeze",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/bindings/{_binding(w)}/freeze/",
        BRAND_OPERATE,
    ),
    Endpoint(
        "enterprise-binding-unfreeze",
        "post",
        lambda w: (
            E.format(w.enterprise.pk) + f"/bindings/{_binding(w, status='frozen', frozen_at=clock.now())}/unfreeze/"
        ),
        BRAND_OPERATE,
    ),
    Endpoint(
        "enterprise-binding-handover",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/bindings/{_binding(w)}/handover/",
        BRAND_OPERATE,
        _handover_form,
        "multipart",
    ),
    Endpoint(
        "enterprise-binding-rebind",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/bindings/{_binding(w)}/rebind/",
        ok(BRAND_OPERATE, 201),
        lambda w: {"red_id": RedAccountFactory(red_id="66660002").red_id},
    ),
    Endpoint(
        "enterprise-binding-proof",
        "get",
        lambda w: E.format(w.enterprise.pk) + f"/bindings/{_binding(w)}/proof/",
        BRAND_OPERATE,
    ),
    Endpoint("enterprise-audit-log", "get", lambda w: E.format(w.enterprise.pk) + "/audit-log/", BRAND_VIEW),
    Endpoint(
        "enterprise-audit-log-export",
        "get",
        lambda w: E.format(w.enterprise.pk) + "/audit-log/export/?format=csv",
        BRAND_VIEW,
    ),
    # Bindings: platform review
    Endpoint("platform-invitation-list", "get", lambda w: f"{P}/invitations/", PLATFORM),
    Endpoint("platform-invitation-detail", "get", lambda w: f"{P}/invitations/{_invitation(w)}/", PLATFORM),
    Endpoint("platform-invitation-approve", "post", lambda w: f"{P}/invitations/{_invitation(w)}/approve/", PLATFORM),
    Endpoint(
        "platform-invitation-reject",
        "post",
        lambda w: f"{P}/invitations/{_invitation(w)}/reject/",
        PLATFORM,
        lambda w: {"reason": "证明模糊"},
    ),
    Endpoint("platform-invitation-proof", "get", lambda w: f"{P}/invitations/{_invitation(w)}/proof/", PLATFORM),
    Endpoint("platform-binding-list", "get", lambda w: f"{P}/bindings/", PLATFORM),
    Endpoint("platform-binding-detail", "get", lambda w: f"{P}/bindings/{_binding(w)}/", PLATFORM),
    Endpoint(
        "platform-binding-remove-for-violation",
        "post",
        lambda w: f"{P}/bindings/{_binding(w, mode='personal_authorized')}/remove-for-violation/",
        PLATFORM,
        lambda w: {"reason": "在职证明造假"},
    ),
    # Bindings: the employee
    Endpoint("me-invitation-list", "get", lambda w: "/api/v1/me/invitations/", ANY_USER),
    Endpoint("me-invitation-detail", "get", lambda w: f"/api/v1/me/invitations/{_invitation(w, sent=True)}/", OWN),
    Endpoint(
        "me-invitation-accept", "post", lambda w: f"/api/v1/me/invitations/{_invitation(w, sent=True)}/accept/", OWN
    ),
    Endpoint(
        "me-invitation-decline", "post", lambda w: f"/api/v1/me/invitations/{_invitation(w, sent=True)}/decline/", OWN
    ),
    Endpoint("me-binding-list", "get", lambda w: "/api/v1/me/bindings/", ANY_USER),
    Endpoint("me-binding-detail", "get", lambda w: f"/api/v1/me/bindings/{_binding(w)}/", OWN),
    Endpoint(
        "me-binding-unbind",
        "post",
        lambda w: (
            "/api/v1/me/bindings/"
            + f"{_binding(w, mode='personal_authorized', effective_at=clock.now() - timedelta(days=31))}/unbind/"
        ),
        OWN,
    ),
    Endpoint("me-notification-list", "get", lambda w: "/api/v1/me/notifications/", ANY_USER),
    Endpoint("me-notification-mark-read", "post", lambda w: "/api/v1/me/notifications/read/", ok(ANY_USER, 204)),
    Endpoint("red-profile", "get", lambda w: f"/api/v1/red/{_employee_account(w).red_id}/profile/", PUBLIC),
    # Notes: the brand workspace
    Endpoint("enterprise-note-list", "get", lambda w: E.format(w.enterprise.pk) + "/notes/", BRAND_VIEW),
    Endpoint(
        "enterprise-note-export", "get", lambda w: E.format(w.enterprise.pk) + "/notes/export/?format=csv", BRAND_VIEW
    ),
    Endpoint("enterprise-note-detail", "get", lambda w: E.format(w.enterprise.pk) + f"/notes/{_note(w)}/", BRAND_VIEW),
    Endpoint(
        "enterprise-note-metrics",
        "get",
        lambda w: E.format(w.enterprise.pk) + f"/notes/{_note(w)}/metrics/",
        BRAND_VIEW,
    ),
    Endpoint(
        "enterprise-note-boost",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/notes/{_funded_note(w)}/boost/",
        ok(BRAND_OPERATE, 201),
        lambda w: {"budget": "100.00"},
    ),
    Endpoint(
        "enterprise-note-push-to-ads",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/notes/{_note(w, 'approved')}/push-to-ads/",
        ok(BRAND_OPERATE, 201),
    ),
    Endpoint("enterprise-note-review-list", "get", lambda w: E.format(w.enterprise.pk) + "/note-reviews/", BRAND_VIEW),
    Endpoint(
        "enterprise-note-review-list",
        "post",
        lambda w: E.format(w.enterprise.pk) + "/note-reviews/",
        ok(BRAND_OPERATE, 201),
        lambda w: {"note_ids": [_note(w)]},
    ),
    Endpoint("enterprise-note-quota", "get", lambda w: E.format(w.enterprise.pk) + "/note-quota/", BRAND_VIEW),
    Endpoint("enterprise-pushed-note-list", "get", lambda w: E.format(w.enterprise.pk) + "/pushed-notes/", BRAND_VIEW),
    # Notes: the platform (ingest and review)
    Endpoint(
        "platform-notes",
        "post",
        lambda w: f"{P}/notes/",
        PLATFORM,
        lambda w: [note_row(RedAccountFactory(red_id="55550001").red_id)],
    ),
    Endpoint(
        "platform-note-metrics",
        "post",
        lambda w: f"{P}/note-metrics/",
        PLATFORM,
        lambda w: [metric_row(note_factories.NoteFactory().note_id, likes=3)],
    ),
    Endpoint("platform-note-review-list", "get", lambda w: f"{P}/note-reviews/?status=in_review", PLATFORM),
    Endpoint("platform-note-review-detail", "get", lambda w: f"{P}/note-reviews/{_note_review(w)}/", PLATFORM),
    Endpoint(
        "platform-note-review-approve", "post", lambda w: f"{P}/note-reviews/{_note_review(w)}/approve/", PLATFORM
    ),
    Endpoint(
        "platform-note-review-reject",
        "post",
        lambda w: f"{P}/note-reviews/{_note_review(w)}/reject/",
        PLATFORM,
        lambda w: {"reason": "与品牌无关"},
    ),
    *CAMPAIGN_ENDPOINTS,
    *TEAM_ENDPOINTS,
    *NOTIFICATION_ENDPOINTS,
    *DATA_ENDPOINTS,
    *INCENTIVE_ENDPOINTS,
    *RACE_ENDPOINTS,
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method}-{e.route}")
def test_permission_matrix(world, unchanged, endpoint, actor):
    client = world.client(actor)
    path, body = endpoint.path(world), endpoint.body(world)
    expected = endpoint.expected[actor]
    call = getattr(client, endpoint.method)
    if expected >= 400:
        with unchanged():
            response = call(path, body, format=endpoint.format)
        assert (
            response.json()["code"] in {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}[expected]
        )
    else:
        response = call(path, body, format=endpoint.format)
    assert response.status_code == expected, response.content


def test_matrix_covers_every_api_endpoint():
    """Every route under /api/v1/ (but the token exchange, tested on its own) is in the matrix."""
    resolver = get_resolver().url_patterns
    api = next(p for p in resolver if getattr(p, "namespace", None) == "api")
    names = set()

    def collect(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                collect(pattern.url_patterns)
            elif pattern.name:
                names.add(pattern.name)

    collect(api.url_patterns)
    assert names - {e.route for e in ENDPOINTS} == {"auth-token"}
