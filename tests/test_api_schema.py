"""The OpenAPI schema describes every endpoint; the docs page needs no network."""

import re

import pytest
import yaml
from django.urls import get_resolver

pytestmark = pytest.mark.django_db


def api_routes() -> set[str]:
    """Every /api/v1/ route as an OpenAPI path template."""
    api = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "api")
    routes = set()

    def collect(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                collect(pattern.url_patterns, route)
            else:
                route = re.sub(r"\^|\$|\\Z", "", route)
                route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
                routes.add("/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))

    collect(api.url_patterns, "")
    return {route.replace("\\.", ".") for route in routes}


def test_schema_describes_every_endpoint(world):
    response = world.client("staff").get("/api/schema/")
    assert response.status_code == 200
    paths = {re.sub(r"{\w+}", "{}", path) for path in yaml.safe_load(response.content)["paths"]}
    assert {re.sub(r"{\w+}", "{}", route) for route in api_routes()} - paths == set()


def test_docs_render_from_local_static_files_only(world):
    response = world.client("staff").get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200 and "swagger-ui" in html
    external = [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if url.startswith(("http:", "https:", "//"))]
    assert external == []
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
