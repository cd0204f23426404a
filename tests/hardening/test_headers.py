"""Headers: a Content Security Policy on every page that allows no inline script, and no template or rendered page
(ours, the admin's, the API docs) that writes one; a proof is framed by its own site only; API answers are never
sniffed; production's settings pass `manage.py check --deploy` with nothing to warn about."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import Client

from tests.bindings.helpers import invite
from tests.factories import RedAccountFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
# A <script> element without src= that is not data (json_script writes type="application/json").
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>", re.IGNORECASE)
# An event-handler attribute inside a tag (onclick=, onchange=, …), or a javascript: URL.
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def policy(response) -> dict[str, str]:
    """The response's Content-Security-Policy as {directive: its sources}."""
    parts = (part.strip().split(maxsplit=1) for part in response["Content-Security-Policy"].split(";"))
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts if part}


def inline_code(html: str) -> list[str]:
    return INLINE_SCRIPT.findall(html) + HANDLER_ATTRIBUTE.findall(html)


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_carry_a_policy_with_scripts_from_this_site_only_and_framed_by_no_one(world):
    pages = {
        "login": Client().get("/accounts/login/"),
        "workspace": browser(world.users["owner"]).get(f"/w/{world.enterprise.pk}/"),
        "notes": browser(world.users["owner"]).get(f"/w/{world.enterprise.pk}/notes/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        directives = policy(response)
        assert directives["script-src"] == "'self'", name  # no 'unsafe-inline', no 'unsafe-eval'
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'", name
        assert directives["frame-ancestors"] == "'none'" and response["X-Frame-Options"] == "DENY", name
        assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'", name
        assert "worker-src" not in directives, name


def test_a_proof_is_framed_by_its_own_site_only(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    invitation = invite(world.enterprise, RedAccountFactory())
    staff = browser(world.users["staff"])

    proof = staff.get(f"/platform/invitations/{invitation.pk}/proof/")
    review = staff.get(f"/platform/invitations/{invitation.pk}/")

    assert proof.status_code == 200 and policy(proof)["frame-ancestors"] == "'self'"
    assert proof["X-Frame-Options"] == "SAMEORIGIN"
    assert review.status_code == 200 and policy(review)["frame-ancestors"] == "'none'"
    assert policy(review)["frame-src"] == "'self'"


def test_rendered_pages_admin_and_api_docs_hold_no_inline_script(world):
    staff = browser(world.users["staff"])
    world.users["staff"].is_superuser = True
    world.users["staff"].save(update_fields=["is_superuser"])
    pages = {
        "login": Client().get("/accounts/login/"),
        "workspace": browser(world.users["owner"]).get(f"/w/{world.enterprise.pk}/"),
        "admin login": Client().get("/admin/login/"),
        "admin changelist": staff.get("/admin/accounts/enterprise/"),
        "api docs": staff.get("/api/docs/"),
        "api redoc": staff.get("/api/redoc/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert inline_code(response.content.decode()) == [], name
    # Swagger UI's start script is a script file of its own, from this site.
    script = staff.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert 'src="/api/docs/?script="' in pages["api docs"].content.decode()
    # Redoc builds its search index in a worker started from a blob: URL: allowed there only.
    assert policy(pages["api redoc"])["worker-src"] == "blob:"
    assert "fonts.googleapis.com" not in pages["api redoc"].content.decode()


def test_no_template_writes_an_inline_script_or_handler():
    offenders = {}
    for template in sorted(ROOT.glob("*/templates/**/*.html")) + sorted(ROOT.glob("templates/**/*.html")):
        found = inline_code(template.read_text())
        if found:
            offenders[str(template.relative_to(ROOT))] = found
    assert offenders == {}


def test_api_answers_are_not_sniffed(world):
    listed = world.client("owner").get("/api/v1/enterprises/")
    refused = world.client("anonymous").get("/api/v1/enterprises/")

    assert listed.status_code == 200 and listed["X-Content-Type-Options"] == "nosniff"
    assert refused.status_code == 401 and refused["X-Content-Type-Options"] == "nosniff"


def test_check_deploy_finds_nothing_under_production_settings_and_the_readme_environment():
    # The production defaults are what is checked: no SECURE_* or DEBUG the test run may have in its environment.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DEBUG", "DJANGO_"))}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "kos_platform.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PII_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "PII_BLIND_INDEX_KEY": "x",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "kos.example.com",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/kos",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
