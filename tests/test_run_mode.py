"""`make run` behaves like production: DEBUG off by default in the local settings, so a wrong URL or another
tenant's page is the product's 404 page in Chinese (never Django's debug page with the URL patterns); the app serves
its own static files — ours and the npm packages' — through whitenoise; the log says once that tasks run inline; a
refusal (403, 404, 409) is one log line, not a traceback."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import pytest

from kos_platform.apps import serves_requests
from kos_platform.log_filters import RefusalsInOneLine
from kos_platform.settings import local

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[1]
NOT_FOUND = "页面不存在，或您无权访问。"
INLINE_NOTICE = "Background tasks run inline"


@pytest.fixture
def production_like(settings):
    """The local settings' request handling with DEBUG off, as `make run` serves."""
    settings.DEBUG = False
    settings.MIDDLEWARE = local.MIDDLEWARE
    settings.WHITENOISE_USE_FINDERS = True
    warnings.filterwarnings("ignore", message="No directory at: .*staticfiles")  # as local.py says
    return settings


def test_local_settings_default_to_debug_off_with_whitenoise_serving_from_the_finders():
    assert local.MIDDLEWARE[1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert local.INSTALLED_APPS[0] == "whitenoise.runserver_nostatic"
    assert local.WHITENOISE_USE_FINDERS is True
    assert {"127.0.0.1", "localhost"} <= set(local.ALLOWED_HOSTS)
    if "DEBUG" not in os.environ:
        assert local.DEBUG is False


def test_a_wrong_url_is_the_products_404_page_in_chinese(production_like, client):
    response = client.get("/no-such-page/")
    content = response.content.decode()
    assert response.status_code == 404
    assert NOT_FOUND in content and 'data-testid="error-page"' in content
    assert "URLconf" not in content and "Django" not in content


def test_another_tenants_page_is_the_products_404_page(production_like, client, world):
    client.force_login(world.users["other_member"])
    response = client.get(f"/w/{world.enterprise.pk}/")
    assert response.status_code == 404 and NOT_FOUND in response.content.decode()


def test_a_403_is_one_log_line_without_a_traceback(production_like, client, world, caplog):
    client.force_login(world.users["owner"])
    with caplog.at_level(logging.INFO):
        page = client.get("/agency/")  # a brand owner is no agency staff
        api = client.get("/api/v1/platform/enterprises/")
    assert page.status_code == 403 and api.status_code == 403
    refusals = [record for record in caplog.records if record.name == "django.request"]
    assert [record.getMessage() for record in refusals] == [
        "Forbidden (Permission denied): /agency/",
        "Forbidden: /api/v1/platform/enterprises/",
    ]
    assert all(record.exc_info is None for record in refusals)
    assert "Traceback" not in caplog.text


def test_a_409_and_a_404_are_one_line_each(client, world, caplog):
    client.force_login(world.users["owner"])
    with caplog.at_level(logging.INFO):
        conflict = client.post(
            f"/api/v1/enterprises/{world.enterprise.pk}/agencies/",
            {"agency_id": world.agency.pk},
            content_type="application/json",
        )
        missing = client.get(f"/api/v1/enterprises/{world.other_enterprise.pk}/bindings/")
    assert conflict.status_code == 409 and missing.status_code == 404
    lines = [record for record in caplog.records if record.name == "django.request"]
    assert len(lines) == 2 and all(record.exc_info is None for record in lines)
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        error = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), sys.exc_info()
        )
    error.status_code = 500
    refusal = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden", (), error.exc_info)
    refusal.status_code = 403
    assert RefusalsInOneLine().filter(error) and error.exc_info is not None
    assert RefusalsInOneLine().filter(refusal) and refusal.exc_info is None


@pytest.mark.parametrize(
    "argv, run_main, says",
    [
        (["manage.py", "migrate", "--noinput"], None, False),
        (["manage.py", "load_demo"], None, False),
        (["manage.py", "runserver", "127.0.0.1:8000"], None, False),  # the autoreloader: watches, serves nothing
        (["manage.py", "runserver", "127.0.0.1:8000"], "true", True),  # the process it starts, which serves
        (["manage.py", "runserver", "--noreload"], None, True),
        (["/app/.venv/bin/gunicorn", "kos_platform.wsgi"], None, True),
        (["celery", "-A", "kos_platform", "worker"], None, True),
    ],
)
def test_only_the_process_that_serves_says_tasks_run_inline(monkeypatch, argv, run_main, says):
    if run_main:
        monkeypatch.setenv("RUN_MAIN", run_main)
    else:
        monkeypatch.delenv("RUN_MAIN", raising=False)
    assert serves_requests(argv) is says


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.django_db(transaction=False)
def test_make_runs_server_serves_static_files_and_the_404_page_itself_and_says_once_that_tasks_run_inline(tmp_path):
    """`manage.py runserver` as `make run` starts it (local settings, no DEBUG in the environment, autoreloader on):
    our CSS, Bootstrap, htmx and ECharts from node_modules and the docs' bundles, all 200 from the app; the product's
    404 page; one notice about inline tasks for the two processes runserver starts."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "RUN_MAIN", "REDIS_URL", "CELERY_BROKER_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "kos_platform.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "runserver.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--skip-checks"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        for path in (
            "/static/css/app.css",
            "/static/vendor/bootstrap/css/bootstrap.min.css",
            "/static/vendor/bootstrap/js/bootstrap.bundle.min.js",
            "/static/vendor/htmx/htmx.min.js",
            "/static/vendor/echarts/echarts.min.js",
            "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        ):
            status, body = fetch(base + path)
            assert status == 200 and body, path
        status, body = fetch(base + "/no-such-page/")
        assert status == 404 and NOT_FOUND in body.decode() and "URLconf" not in body.decode()
        time.sleep(0.5)
        output = log.read_text()
        assert output.count(INLINE_NOTICE) == 1, output
        assert "Traceback" not in output and "No directory at" not in output
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=10)
