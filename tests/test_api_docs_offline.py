"""The API docs pages name nothing outside this site (the browser test tests/e2e/test_api_docs.py watches every
request): Swagger UI asks no validator for a badge; Redoc's page has no web-font links and turns Redocly's logo
address into an empty one before Redoc's bundle runs."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_swagger_ui_asks_no_online_validator(client):
    script = client.get("/api/docs/?script=").content.decode()
    assert '"validatorUrl": null' in script


def test_redoc_page_links_nothing_outside_and_guards_the_logo_before_redoc_runs(client):
    html = client.get("/api/redoc/").content.decode()
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources[0] == "/static/js/redoc_offline.js"
    assert sources[1].startswith("/static/drf_spectacular_sidecar/redoc/")
    assert not [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if url.startswith(("http", "//"))]
