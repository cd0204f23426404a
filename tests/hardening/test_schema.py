"""A truthful schema: every operation's 4xx answers in the error shape, the rule codes of its 409, tags per app in
the request's language, readable operation ids, no generator warning, and the four mismatches fixed."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def schema(world):
    return yaml.safe_load(world.client("staff").get("/api/schema/").content)


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_every_operation_documents_its_4xx_in_the_error_shape(schema):
    public = {("/api/v1/auth/token/", "post"), ("/api/v1/red/{red_id}/profile/", "get")}
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert responses["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Invalid"), path
        if (path, method) not in public:
            assert {"401", "403"} <= responses.keys(), (path, method)
        if "{" in path:
            assert "404" in responses, (path, method)
        if method in ("post", "put", "patch"):
            assert "413" in responses, (path, method)
    invalid = schema["components"]["schemas"]["Invalid"]["properties"]
    assert {"code", "detail", "fields"} <= invalid.keys()


def test_a_409_lists_the_rule_codes_the_operation_can_raise(schema):
    unbind = schema["paths"]["/api/v1/enterprises/{eid}/bindings/{id}/unbind/"]["post"]["responses"]["409"]
    name = unbind["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    code = schema["components"]["schemas"][name]["properties"]["code"]
    assert code["allOf"][0]["enum"] == ["binding_not_active", "unbind_locked"]
    submit = schema["paths"]["/api/v1/enterprises/{eid}/note-reviews/"]["post"]["responses"]
    assert "409" in submit
    assert "409" not in schema["paths"]["/api/v1/enterprises/{eid}/bindings/"]["get"]["responses"]


def test_only_the_sign_in_documents_429(schema):
    throttled = [(path, method) for path, method, op in operations(schema) if "429" in op["responses"]]
    assert throttled == [("/api/v1/auth/token/", "post")]


def test_operation_ids_are_readable_and_unique(schema):
    ids = [op["operationId"] for _, _, op in operations(schema)]
    assert len(ids) == len(set(ids))
    assert not [i for i in ids if i.startswith("v1_") or i.startswith("enterprises_bindings")]
    assert {"bindings_unbind", "notes_list", "platform_enterprises_create", "platform_note_reviews_approve"} <= set(ids)
    # No method word where the path or the action says what is done; ingests upsert.
    assert {
        "orders_export",
        "ad_account_recharge",
        "commission_statements_settle",
        "platform_notes_upsert",
        "platform_enterprises_kos_permission_grant",
        "platform_enterprises_kos_permission_revoke",
        "me_password_change",
    } <= set(ids)
    assert not [i for i in ids if i.endswith(("_export_retrieve", "_settle_create", "_recharge_create"))]


def test_tags_per_app_described_in_the_request_language(world):
    client = world.client("staff")
    zh = yaml.safe_load(client.get("/api/schema/").content)
    en = yaml.safe_load(client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en").content)
    tags = ["accounts", "bindings", "notes", "campaigns", "analytics", "me", "platform"]
    assert [t["name"] for t in zh["tags"]] == tags
    for chinese, english in zip(zh["tags"], en["tags"], strict=True):
        assert chinese["description"] != english["description"], english["name"]
    assert en["tags"][0]["description"].startswith("Sign-in")
    assert zh["tags"][6]["description"].startswith("供平台运营")
    assert {tag for _, _, op in operations(zh) for tag in op["tags"]} == set(tags)
    by_path = {path: op["tags"] for path, _, op in operations(zh)}
    assert by_path["/api/v1/platform/notes/"] == ["platform"] and by_path["/api/v1/me/bindings/"] == ["me"]
    assert by_path["/api/v1/enterprises/{eid}/bindings/"] == ["bindings"]


def test_the_four_mismatches_are_fixed(schema):
    components = schema["components"]["schemas"]
    assert components["Review"]["properties"]["via_agency"]["nullable"] is True
    metrics = schema["paths"]["/api/v1/enterprises/{eid}/notes/{note_id}/metrics/"]["get"]["responses"]["200"]
    assert metrics["content"]["application/json"]["schema"]["type"] == "array"
    assert "scope" in components["ApiKeyRequest"]["required"]


def test_the_metrics_answer_is_the_bare_list_the_schema_says(world, operator, note):
    response = operator.get(f"/api/v1/enterprises/{world.enterprise.pk}/notes/{note.note_id}/metrics/")
    assert response.status_code == 200 and isinstance(response.json(), list)


def test_the_generator_gives_no_warning(tmp_path):
    call_command("spectacular", file=str(tmp_path / "schema.yaml"), validate=True, fail_on_warn=True)
