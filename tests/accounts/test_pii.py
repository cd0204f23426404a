"""ID numbers never rest in plaintext: encrypted with rotatable keys, matched by a blind index, shown masked."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from accounts.models import RedAccount
from kos_platform import pii

from ..factories import valid_id_number

pytestmark = pytest.mark.django_db

ID_NUMBERS = [valid_id_number(n, birth=f"19{80 + n}0{n}1{n}") for n in range(1, 6)]


def text_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name FROM information_schema.columns
               WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json')"""
        )
        return cursor.fetchall()


def test_no_plaintext_id_number_in_any_text_column(world):
    """Register accounts through the API (audit records included), then scan every text column of every table."""
    client = world.client("staff")
    for n, id_number in enumerate(ID_NUMBERS):
        body = {
            "red_id": f"6600{n}",
            "nickname": f"n{n}",
            "real_name": "测试",
            "real_name_verified": True,
            "id_number": id_number,
            "username": f"emp{n}",
            "password": "Good-pass-2026",
        }
        assert client.post("/api/v1/platform/red-accounts/", body, format="json").status_code == 201
        client.patch(f"/api/v1/platform/red-accounts/6600{n}/", {"id_number": id_number}, format="json")
    columns = text_columns()
    assert ("accounts_redaccount", "id_number_encrypted") in columns
    found = []
    with connection.cursor() as cursor:
        for table, column in columns:
            for id_number in ID_NUMBERS:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text LIKE %s',
                    [f"%{id_number[6:14]}%{id_number[-4:]}%"],
                )
                if cursor.fetchone()[0]:
                    found.append((table, column, id_number))
    assert found == []
    assert RedAccount.objects.filter(id_number_index=pii.blind_index(ID_NUMBERS[0])).count() == 1


def test_masking_and_blind_index_are_stable():
    protected = pii.protect_id_number("11010119900101001x")
    assert protected.masked == "110101********001X"
    assert protected.index == pii.blind_index("11010119900101001X")
    assert pii.decrypt(protected.encrypted) == "11010119900101001X"
    assert pii.encrypt("same") != pii.encrypt("same")  # randomised ciphertext: equality only through the index


def test_rotate_pii_keys_reencrypts_with_the_new_key():
    from ..factories import RedAccountFactory

    old_key, new_key = "b2xkLXRlc3QtcGlpLWtleS0wMDAwMDAwMDAwMDAwMDA=", "bmV3LXRlc3QtcGlpLWtleS0wMDAwMDAwMDAwMDAwMDA="
    with override_settings(PII_ENCRYPTION_KEYS=[old_key]):
        account = RedAccountFactory(id_number=ID_NUMBERS[0])
    with override_settings(PII_ENCRYPTION_KEYS=[new_key, old_key]):
        out = io.StringIO()
        call_command("rotate_pii_keys", stdout=out)
    assert "accounts.RedAccount.id_number_encrypted: 1 rows re-encrypted" in out.getvalue()
    account.refresh_from_db()
    with override_settings(PII_ENCRYPTION_KEYS=[new_key]):
        assert pii.decrypt(account.id_number_encrypted) == ID_NUMBERS[0]
