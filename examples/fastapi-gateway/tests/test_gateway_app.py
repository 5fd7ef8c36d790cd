"""The FastAPI gateway example (scenario 1): the middleware's endpoint checks,
the require() dependency, list filtering and the audit sink, through
FastAPI's TestClient."""

import pathlib
import sys

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import app as gateway_app  # noqa: E402

REGISTER = "/api/2.0/mlflow/registered-models/create"


@pytest.fixture()
def client():
    audit: list = []
    app = gateway_app.create_app(audit=audit)
    with TestClient(app) as c:
        c.audit = audit
        yield c


def test_read_only_key_registering_a_model_gets_403_naming_model_write(client):
    r = client.post(REGISTER, json={"name": "m-new"}, headers={"X-API-Key": "k-read", "X-Request-ID": "req-1"})
    assert r.status_code == 403
    body = r.json()
    assert set(body) == {"code", "message", "hint", "required", "request_id"}
    assert body["code"] == "SCOPE_MISSING"
    assert "`model:write`" in body["required"] and "`model:write`" in body["hint"]
    assert body["request_id"] == "req-1"
    assert client.audit[-1].code == "SCOPE_MISSING" and client.audit[-1].request_id == "req-1"


def test_write_key_registers_a_model(client):
    r = client.post(REGISTER, json={"name": "m-new"}, headers={"Authorization": "Bearer k-write"})
    assert r.status_code == 200, r.text
    assert r.json() == {"registered_model": {"name": "m-new", "tenant": "acme"}, "decided_by": "model_writers"}
    assert client.audit[-1].allowed and client.audit[-1].endpoint == f"POST {REGISTER}"


def test_no_key_unknown_key_and_expired_key_get_401(client):
    for headers, code in (({}, "UNAUTHENTICATED"), ({"X-API-Key": "k-nope"}, "KEY_UNKNOWN"),
                          ({"X-API-Key": "k-expired"}, "KEY_EXPIRED")):
        r = client.post(REGISTER, json={"name": "x"}, headers=headers)
        assert r.status_code == 401, headers
        assert r.headers["www-authenticate"] == "Bearer"
        assert r.json()["code"] == code


def test_public_health_and_unknown_routes(client):
    assert client.get("/health").status_code == 200
    r = client.get("/api/2.0/mlflow/not-an-endpoint", headers={"X-API-Key": "k-admin"})
    assert r.status_code == 403 and r.json()["code"] == "NO_MATCHING_ENDPOINT"


def test_tenant_isolation_through_the_middleware(client):
    ok = client.get("/api/2.0/mlflow/registered-models/get?name=churn", headers={"X-API-Key": "k-read"})
    assert ok.status_code == 200 and ok.json()["registered_model"]["name"] == "churn"
    r = client.get("/api/2.0/mlflow/registered-models/get?name=churn", headers={"X-API-Key": "k-globex"})
    assert r.status_code == 403 and r.json()["code"] == "TENANT_MISMATCH"


def test_list_endpoints_are_filtered(client):
    acme = client.get("/api/2.0/mlflow/registered-models/search", headers={"X-API-Key": "k-read"})
    assert [m["name"] for m in acme.json()["registered_models"]] == ["churn", "fraud-detector"]
    assert client.get("/api/models", headers={"X-API-Key": "k-globex"}).json() == {"models": ["globex-ranker"]}
    assert client.get("/api/models", headers={"X-API-Key": "k-nope"}).json() == {"models": []}


def test_require_dependency_checks_in_the_handler(client):
    r = client.get("/api/models/churn", headers={"X-API-Key": "k-read"})
    assert r.status_code == 200 and r.json()["source"] == "scope" and r.json()["tenant"] == "acme"
    denied = client.get("/api/models/globex-ranker", headers={"X-API-Key": "k-read", "X-Request-ID": "req-9"})
    assert denied.status_code == 403
    assert denied.json()["code"] == "TENANT_MISMATCH" and denied.json()["request_id"] == "req-9"
    read_only = client.patch("/api/models/churn", json={"name": "churn"}, headers={"X-API-Key": "k-read"})
    assert read_only.status_code == 403 and read_only.json()["code"] == "PERMISSION_DENIED"
    writer = client.patch("/api/models/churn", json={"name": "churn", "description": "v2"},
                          headers={"X-API-Key": "k-write"})
    assert writer.status_code == 200 and writer.json()["model"]["description"] == "v2"
    anonymous = client.get("/api/models/churn")
    assert anonymous.status_code == 401
    assert [d.code for d in client.audit[-5:]] == ["ALLOW", "TENANT_MISMATCH", "PERMISSION_DENIED", "ALLOW",
                                                   anonymous.json()["code"]]


def test_module_level_require_is_warden_require():
    import warden
    import warden.fastapi

    assert warden.require is warden.fastapi.require
