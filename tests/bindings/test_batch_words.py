"""Batch binding (I08) in the user's words: every refusal as the wizard words it (A01–A07 each named, B09 with its
date, E02 in words), never a code; the wizard's banner and a disabled upload when the enterprise cannot invite (E01,
E02, E04) and an upload refused up front; templates with one example row that the importer skips."""

import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from bindings.batch import TEMPLATE_ROW, read_rows, template_csv, template_xlsx
from bindings.models import Invitation
from kos_platform import clock
from kos_platform.validators import validate_resident_id

from ..factories import PASSWORD, EnterpriseFactory, RedAccountFactory, valid_id_number
from .factories import BindingFactory
from .helpers import png_bytes
from .test_batch import HEADER, as_csv, as_xlsx, as_zip, row

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # followers_over_limit, kos_permission_missing, non_field_errors…


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def browser(world):
    def login(actor):
        client = Client()
        assert client.login(username=world.users[actor].username, password=PASSWORD)
        client.cookies["kos_language"] = "en"
        return client

    return login


@pytest.fixture
def page(world):
    return lambda rest="": f"/w/{world.enterprise.pk}/{rest}"


@pytest.fixture
def refused_rows(world):
    """Accounts each refused by another rule: A01+A02+A06, B09 (cooling down after another brand), I08."""
    RedAccountFactory(red_id="61000001", real_name="周一", followers=250_000, has_shop=True, real_name_verified=False)
    cooling = RedAccountFactory(red_id="61000002", real_name="吴二")
    ended_at = clock.now() - timedelta(days=3)
    BindingFactory(
        enterprise=EnterpriseFactory(),
        red_account=cooling,
        status="ended",
        ended_at=ended_at,
        end_reason="unbound_by_employee",
    )
    RedAccountFactory(red_id="61000003", real_name="郑三")
    rows = [
        HEADER,
        row("61000001", "周一", valid_id_number(21), "a.png"),
        row("61000002", "吴二", valid_id_number(22), "a.png"),
        row("61000003", "郑三", valid_id_number(23), "a.png"),
        row("61000003", "郑三", valid_id_number(23), "a.png"),  # the second open invitation (I08)
        row("69999999", "王五", "110101199001010010", "missing.png", position="经理"),  # invalid fields
    ]
    return rows, ended_at + timedelta(days=30)


def upload(client, page, table, proofs=None):
    data = {"table": table}
    if proofs is not None:
        data["proofs"] = proofs
    return client.post(page("invitations/batch/"), data)


def test_a01_b09_i08_batch_report_names_every_reason_in_words_and_no_code(world, browser, page, refused_rows):
    rows, cooldown_ends = refused_rows
    client = browser("operator")
    response = upload(client, page, as_csv(rows), as_zip({"a.png": png_bytes()}))
    assert response.status_code == 302

    html = client.get(response.url).content.decode()
    text = visible_text(html)
    assert "This Xiaohongshu account does not meet the conditions for an employee account." in text
    for reason in ("more than 100,000 followers", "the account has opened a shop", "not real-name verified"):
        assert reason in text
    assert "cannot yet be authorised by another enterprise" in text
    assert f"Possible from {timezone.localtime(cooldown_ends):%Y-%m-%d %H:%M} (Beijing time)" in text
    assert "This account already has an open invitation from this enterprise." in text
    assert "ID number:" in text and "Position:" in text and "Employment proof:" in text
    assert CODE.findall(text) == [], CODE.findall(text)
    assert "<code" not in html.split('data-testid="batch-report"')[1].split("</table>")[0]

    token = response.url.split("?report=")[1]
    download = client.get(page(f"invitations/batch/report/{token}.csv")).content.decode("utf-8-sig")
    report = list(csv.reader(io.StringIO(download)))
    assert report[0] == ["Row", "RED ID", "Result", "Invitation", "Details"]
    assert "more than 100,000 followers" in download and "Possible from" in download
    assert CODE.findall(download) == [], CODE.findall(download)


def test_b09_batch_words_are_the_wizards(world, browser, page, refused_rows):
    """The cooldown refusal reads the same on the wizard's page and in the batch report: message and date."""
    rows, cooldown_ends = refused_rows
    client = browser("operator")
    response = upload(client, page, as_csv([rows[0], rows[2]]), as_zip({"a.png": png_bytes()}))
    report = visible_text(client.get(response.url).content.decode())
    wizard = client.post(
        page("employees/bind/"),
        {
            "mode": "personal_authorized",
            "red_id": "61000002",
            "name": "吴二",
            "id_number": valid_id_number(22),
            "position": "shopping_guide",
            "region": "上海·静安",
            "proof": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
            "commitment_signed": "true",
            "agreement_signed": "true",
        },
    )
    assert wizard.status_code == 409
    alert = re.search(r'data-testid="rule-violation"[^>]*>(.*?)</div>', wizard.content.decode(), re.S).group(1)
    shown = visible_text(alert)
    message = "This account was unbound less than 30 days ago and cannot yet be authorised by another enterprise."
    date = f"Possible from {timezone.localtime(cooldown_ends):%Y-%m-%d %H:%M} (Beijing time)"
    assert shown.startswith(f"{message} {date}")
    assert f"{message} {date}" in report


def test_e02_batch_without_the_kos_permission_shows_the_banner_and_a_disabled_upload(world, browser, page):
    world.enterprise.kos_permission_granted_at = None
    world.enterprise.save()
    client = browser("operator")
    html = client.get(page("invitations/batch/")).content.decode()
    message = "This enterprise does not hold the employee-account management permission"
    assert 'data-testid="enterprise-blockers"' in html and message in html
    assert re.search(r'<fieldset disabled[^>]*data-testid="batch-upload"', html)
    wizard = client.get(page("employees/bind/")).content.decode()
    banner = re.compile(r'data-testid="enterprise-blockers">.*?</div>', re.S)
    assert banner.search(wizard).group(0) == banner.search(html).group(0)  # the wizard's banner, word for word
    assert CODE.findall(visible_text(html)) == []


@pytest.mark.parametrize("blocked", ["no_permission", "restricted", "not_certified"])
def test_e01_e02_e04_batch_upload_is_refused_up_front_with_no_row_read(world, browser, page, unchanged, blocked):
    enterprise = world.enterprise
    if blocked == "no_permission":
        enterprise.kos_permission_granted_at = None
    elif blocked == "restricted":
        enterprise.invitations_restricted_until = clock.now() + timedelta(days=10)
    else:
        enterprise.certified = False
    enterprise.save()
    RedAccountFactory(red_id="61000003", real_name="郑三")
    rows = [HEADER, row("61000003", "郑三", valid_id_number(23), "a.png")]

    with unchanged():
        response = upload(browser("operator"), page, as_csv(rows), as_zip({"a.png": png_bytes()}))

    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="enterprise-blockers"' in html and 'data-testid="batch-refused"' in html
    assert 'data-testid="batch-report"' not in html and not Invitation.objects.exists()


def test_i08_templates_carry_one_example_row_with_a_valid_id_number():
    rows = list(csv.reader(io.StringIO(template_csv().lstrip("\ufeff"))))
    assert rows[0] == HEADER and len(rows) == 2 and rows[1] == TEMPLATE_ROW
    assert "示例" in TEMPLATE_ROW[2]
    validate_resident_id(TEMPLATE_ROW[3])  # the GB 11643 check character is right
    xlsx = read_rows(SimpleUploadedFile("t.xlsx", template_xlsx()))
    assert [number for number, _ in xlsx] == [2] and xlsx[0][1]["id_number"] == TEMPLATE_ROW[3]


@pytest.mark.parametrize("build", [as_csv, as_xlsx], ids=["csv", "xlsx"])
def test_i08_the_example_row_left_in_the_template_is_skipped_and_named(world, browser, page, build):
    RedAccountFactory(red_id="95270001", real_name="李小美")  # even when the example's RED ID exists
    RedAccountFactory(red_id="61000003", real_name="郑三")
    rows = [HEADER, TEMPLATE_ROW, row("61000003", "郑三", valid_id_number(23), "a.png")]
    client = browser("operator")

    response = upload(client, page, build(rows), as_zip({"a.png": png_bytes(), "limei.pdf": png_bytes()}))

    assert Invitation.objects.get().red_account.red_id == "61000003"
    html = client.get(response.url).content.decode()
    assert "Example rows skipped: 1" in html and "Rows: 1" in html and "Submitted: 1" in html


def test_i08_api_report_lists_the_skipped_example_rows(world, accounts_for_api):
    client = world.client("operator")
    url = f"/api/v1/enterprises/{world.enterprise.pk}/invitations/batch/"
    response = client.post(url, {"file": as_csv([HEADER, TEMPLATE_ROW])}, format="multipart")
    assert response.status_code == 200
    assert (response.json()["total"], response.json()["skipped"]) == (0, [2])


@pytest.fixture
def accounts_for_api(db):
    return RedAccountFactory(red_id="95270001", real_name="李小美")


@pytest.mark.parametrize(
    "blocked, code",
    [
        ("no_permission", "kos_permission_missing"),
        ("restricted", "invitations_restricted"),
        ("not_certified", "enterprise_not_eligible"),
    ],
)
def test_e01_e02_e04_batch_api_is_refused_up_front_with_the_single_invitations_code(
    world, unchanged, invitation_form, blocked, code
):
    """The API refuses the whole file before reading a row, with the rule code the single invitation answers."""
    enterprise = world.enterprise
    if blocked == "no_permission":
        enterprise.kos_permission_granted_at = None
    elif blocked == "restricted":
        enterprise.invitations_restricted_until = clock.now() + timedelta(days=10)
    else:
        enterprise.certified = False
    enterprise.save()
    RedAccountFactory(red_id="61000003", real_name="郑三")
    rows = [HEADER, row("61000003", "郑三", valid_id_number(23), "a.png")]
    client = world.client("operator")
    base = f"/api/v1/enterprises/{enterprise.pk}/invitations/"
    single = client.post(base, invitation_form(), format="multipart")

    with unchanged():
        response = client.post(
            f"{base}batch/", {"file": as_csv(rows), "proofs": as_zip({"a.png": png_bytes()})}, format="multipart"
        )

    assert single.status_code == response.status_code == 409
    assert response.json()["code"] == single.json()["code"] == code
    assert "rows" not in response.json() and not Invitation.objects.exists()
