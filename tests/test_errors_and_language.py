"""One error shape in the request's language, and complete catalogues."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

pytestmark = pytest.mark.django_db
LOCALE = Path(__file__).resolve().parent.parent / "locale"


def test_errors_are_chinese_by_default_and_english_on_request(world):
    client = world.client("analyst")
    url = f"/api/v1/enterprises/{world.enterprise.pk}/agencies/"
    zh = client.post(url, {"agency_id": world.other_agency.pk}, format="json")
    assert zh.json() == {"code": "permission_denied", "detail": "您没有执行该操作的权限。"}
    en = client.post(url, {"agency_id": world.other_agency.pk}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert en.json() == {"code": "permission_denied", "detail": "You do not have permission to do this."}


def test_validation_errors_name_the_field_in_the_language(world):
    client = world.client("staff")
    zh = client.post(
        "/api/v1/platform/red-accounts/", {"red_id": "1", "nickname": "n", "id_number": "123"}, format="json"
    )
    assert zh.status_code == 400
    assert zh.json()["detail"] == "输入有误，请检查后重试。"
    assert zh.json()["fields"]["id_number"] == ["身份证号码须为 18 位（最后一位可为 X）。"]
    en = client.post(
        "/api/v1/platform/red-accounts/",
        {"red_id": "1", "nickname": "n", "id_number": "123"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert en.json()["fields"]["id_number"] == ["An ID number has 18 characters (the last may be X)."]


def test_not_found_and_not_authenticated_shapes(world, api):
    assert api.get("/api/v1/me/").json() == {"code": "not_authenticated", "detail": "请先登录。"}
    assert world.client("owner").get("/api/v1/enterprises/999999/").json() == {
        "code": "not_found",
        "detail": "未找到。",
    }


def test_zh_hans_catalogue_translates_every_message():
    catalogue = read_po((LOCALE / "zh_Hans/LC_MESSAGES/django.po").open("rb"))
    untranslated = [m.id for m in catalogue if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    assert len(catalogue) > 100


def test_pages_are_chinese_even_for_an_english_browser_until_the_user_switches(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page and "登录" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()
