"""warden.Engine and warden.Decision from Python: the gateway scenario,
explanations, request reading, facts and updates, errors with codes."""

import datetime
import json

import pytest

import warden

REGISTER = {"method": "POST", "path": "/api/2.0/mlflow/registered-models/create"}
T = "2026-03-01T12:00:00Z"


def test_read_only_key_registering_a_model_is_refused_naming_model_write(gateway):
    d = gateway.decide(api_key="k-read", request_id="r-1", context={"time": T}, **REGISTER)
    assert d.outcome == "deny" and not d.allowed
    assert d.code == "SCOPE_MISSING"
    assert "`model:write`" in d.required
    assert "`model:write`" in d.hint
    assert "`model:read`" in d.present
    assert d.request_id == "r-1"
    assert d.endpoint == "POST /api/2.0/mlflow/registered-models/create"
    assert d.http_status == 403


def test_write_key_registers_a_model_with_the_rule_and_source(gateway):
    d = gateway.decide({"api_key": "k-write", "context": {"time": T}, **REGISTER})
    assert d.allowed and d.code == "ALLOW"
    assert [r.name for r in d.rules] == ["model_writers"]
    rule = d.rules[0]
    assert rule.effect == "allow" and rule.file.endswith("rules.warden") and rule.line > 0 and rule.column > 0
    assert d.source == "scope"
    assert d.tenant == "acme"
    assert d.policy_fingerprint == gateway.policy_fingerprint
    assert d.facts_version == gateway.facts_version == 1
    assert d.http_status == 200


def test_to_dict_is_the_runtime_explanation_json(gateway):
    d = gateway.decide(api_key="k-read", request_id="r-2", **REGISTER)
    as_dict = d.to_dict()
    assert as_dict == json.loads(d.to_json())
    assert list(as_dict) == [
        "outcome", "allowed", "code", "message", "hint", "required", "present", "rules", "source",
        "source_detail", "grant_id", "endpoint", "raw_path", "path", "action", "resource_type", "resource_id",
        "principal", "caller", "client_ip", "tenant", "request_id", "policy_fingerprint", "facts_version",
    ]
    for key in ("outcome", "allowed", "code", "message", "hint", "required", "present", "source", "source_detail",
                "grant_id", "endpoint", "raw_path", "path", "action", "resource_type", "resource_id", "principal",
                "caller", "client_ip", "tenant", "request_id", "policy_fingerprint", "facts_version"):
        assert getattr(d, key) == as_dict[key], key
    assert [r.to_dict() for r in d.rules] == as_dict["rules"]


def test_decide_json_reads_with_the_runtime_reader_and_agrees(gateway, root):
    text = (root / "fixtures/requests/gateway/read_key_registers_model.json").read_text()
    from_json = gateway.decide_json(text)
    from_dict = gateway.decide(json.loads(text))
    assert from_json.to_dict() == from_dict.to_dict()
    assert from_json.code == "SCOPE_MISSING"


def test_trace_on_request(gateway):
    d = gateway.decide(api_key="k-read", method="GET", path="/api/models/churn", trace=True)
    assert d.allowed
    assert d.trace and all(set(e) == {"kind", "text"} for e in d.trace)
    assert any(e["kind"] == "rule" for e in d.trace)
    assert d.to_dict()["trace"] == d.trace
    assert gateway.decide(api_key="k-read", method="GET", path="/api/models/churn").trace is None


def test_query_string_headers_as_bytes_and_datetime(gateway):
    when = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.timezone.utc)
    d = gateway.decide(api_key="k-read", method="GET", path="/api/2.0/mlflow/registered-models/get?name=churn",
                       headers=[(b"x-tenant-id", b"acme")], context={"time": when})
    assert d.allowed and d.resource_id == "churn" and d.tenant == "acme"
    other = gateway.decide(api_key="k-read", method="GET", path="/api/2.0/mlflow/registered-models/get",
                           query={"name": "globex-ranker"}, headers={"X-Tenant-ID": "acme"})
    assert other.code == "TENANT_MISMATCH"


def test_isolation_holds_on_an_endpoint_that_only_requires_scopes(gateway):
    # alice (tenant acme) holds model:read, all the artifact download requires.
    artifact = {"method": "GET", "path": "/api/2.0/mlflow-artifacts/artifacts/models/churn/model.pkl"}
    cross = gateway.decide(api_key="k-read", headers={"X-Tenant-ID": "globex"}, **artifact)
    assert cross.code == "TENANT_MISMATCH" and cross.http_status == 403 and cross.tenant == "globex"
    assert "tenant `globex` may not reach tenant `acme`" in cross.message
    assert gateway.decide(api_key="k-read", headers={"X-Tenant-ID": "acme"}, **artifact).allowed


def test_none_means_not_given(gateway):
    d = gateway.decide(api_key=None, tenant=None, request_id=None, method="GET", path="/health")
    assert d.allowed and d.source == "public"


def test_unauthenticated_and_unknown_keys_are_401(gateway):
    assert gateway.decide(**REGISTER).http_status == 401
    d = gateway.decide(api_key="k-nope", **REGISTER)
    assert d.code == "KEY_UNKNOWN" and d.http_status == 401
    assert gateway.decide(api_key="k-expired", **REGISTER).code == "KEY_EXPIRED"


def test_action_on_a_resource(gateway):
    d = gateway.decide(api_key="k-write", action="update", resource={"type": "model", "id": "churn"})
    assert d.allowed and d.action == "update" and d.resource_id == "churn"


@pytest.mark.parametrize(
    "request_, code",
    [
        ({"method": "GET"}, "F0202"),
        ({"path": "/x"}, "F0202"),
        ({}, "F0202"),
        ({"method": "GET", "path": "/x", "action": "read", "resource": {"type": "model"}}, "F0209"),
        ({"method": "GET", "path": "x"}, "F0208"),
        ({"method": "GET", "path": "/x", "colour": "red"}, "F0204"),
        ({"method": 3, "path": "/x"}, "F0203"),
        ({"method": "GET", "path": "/x", "context": {"time": "yesterday"}}, "F0206"),
        ({"method": "GET", "path": "/x", "context": {"time": 2**63}}, "F0203"),
        ({"method": "GET", "path": "/x", "context": {"time": -(10**30)}}, "F0203"),
        ({"method": "GET", "path": "/x", "context": {"client_ip": "300.1.1.1"}}, "F0208"),
        ({"action": "read", "resource": {"id": "m"}}, "F0202"),
        ({"method": "GET", "path": "/x", "principal": {"id": "a", "attributes": {"x": 1.5}}}, "F0203"),
    ],
)
def test_malformed_requests_raise_with_the_json_readers_code(gateway, request_, code):
    with pytest.raises(warden.RequestError) as raised:
        gateway.decide(request_)
    assert raised.value.code == code
    assert isinstance(raised.value, ValueError)
    with pytest.raises(warden.RequestError) as from_json:
        gateway.decide_json(json.dumps(request_))
    assert from_json.value.code == code


def test_unknown_field_suggests_the_name(gateway):
    with pytest.raises(warden.RequestError, match="did you mean `api_key`"):
        gateway.decide(api_kye="k-read", **REGISTER)


def test_no_policy_denies_with_no_policy():
    d = warden.Engine().decide(api_key="k", method="GET", path="/")
    assert d.code == "NO_POLICY" and d.http_status == 503


def test_a_corrupt_artifact_is_refused_and_the_running_policy_stays(gateway, gateway_artifact):
    before = gateway.policy_fingerprint
    for bad, code in ((gateway_artifact[: len(gateway_artifact) // 2], "E050"), (b"not an artifact", "E050")):
        with pytest.raises(warden.PolicyError) as raised:
            gateway.load_policy(bad)
        assert raised.value.code.startswith(code)
    assert gateway.policy_fingerprint == before
    assert gateway.decide(api_key="k-write", **REGISTER).allowed
    with pytest.raises(warden.PolicyError):
        warden.Engine(b"junk")


def test_artifact_file(tmp_path, gateway_artifact):
    path = tmp_path / "gateway.wdn"
    path.write_bytes(gateway_artifact)
    engine = warden.Engine.from_file(path)
    assert engine.has_policy
    with pytest.raises(warden.PolicyError) as raised:
        warden.Engine.from_file(tmp_path / "missing.wdn")
    assert raised.value.code == "E0506"


def test_facts_from_dicts_records_and_files(gateway_artifact, root):
    engine = warden.Engine(gateway_artifact)
    engine.replace_facts(
        {"entities": [{"type": "org", "id": "acme", "tenant": "acme", "attributes": {"status": "active"}},
                      {"type": "user", "id": "ann", "tenant": "acme", "attributes": {"org": "acme"}}]},
        [{"kind": "key", "id": "k-ann", "principal_id": "ann", "scopes": ["model:write"]}],
    )
    assert engine.decide(api_key="k-ann", **REGISTER).allowed
    assert engine.facts_version == 1
    engine.replace_facts(str(root / "fixtures/facts/gateway.jsonl"))
    assert engine.decide(api_key="k-ann", **REGISTER).code == "KEY_UNKNOWN"
    assert engine.facts_version == 2


def test_bad_facts_raise_with_place_and_change_nothing(gateway, root):
    version = gateway.facts_version
    with pytest.raises(warden.FactsError) as raised:
        gateway.replace_facts([{"kind": "key", "id": "k1", "principal_id": "a"}, {"kind": "key", "id": "k2"}])
    assert (raised.value.code, raised.value.file, raised.value.line) == ("F0102", "facts", 2)
    with pytest.raises(warden.FactsError) as raised:
        gateway.replace_facts(root / "fixtures/facts/invalid/unknown_field.jsonl")
    assert raised.value.code == "F0104" and raised.value.line == 2
    with pytest.raises(warden.FactsError) as raised:
        gateway.replace_facts(root / "fixtures/facts/gateway.jsonl", [{"kind": "key", "id": "k-read", "principal_id": "x"}])
    assert raised.value.code == "F0107"
    with pytest.raises(TypeError):
        gateway.replace_facts(42)
    assert gateway.facts_version == version
    assert gateway.decide(api_key="k-write", **REGISTER).allowed


def test_updates_apply_atomically(gateway, tmp_path):
    gateway.apply([{"op": "upsert", "kind": "key", "id": "k-new", "principal_id": "alice", "scopes": ["model:write"]}])
    assert gateway.decide(api_key="k-new", **REGISTER).allowed
    assert gateway.facts_version == 2
    with pytest.raises(warden.FactsError) as raised:
        gateway.apply([
            {"op": "remove", "kind": "key", "id": "k-new"},
            {"op": "remove", "kind": "key", "id": "k-never-there"},
        ])
    assert raised.value.line == 2 and raised.value.code.startswith("F03")
    assert gateway.decide(api_key="k-new", **REGISTER).allowed  # all or nothing
    update = tmp_path / "revoke.jsonl"
    update.write_text('{"op":"upsert","kind":"key","id":"k-new","principal_id":"alice","revoked":true}\n')
    gateway.apply(update)
    assert gateway.decide(api_key="k-new", **REGISTER).code == "KEY_REVOKED"


def test_authorized_resources_lists_what_decide_allows(gateway):
    ids = gateway.authorized_resources("read", "model", api_key="k-read", context={"time": T})
    assert ids == ["churn", "fraud-detector"]
    for model in ids:
        assert gateway.decide(api_key="k-read", action="read", resource={"type": "model", "id": model}).allowed
    assert not gateway.decide(api_key="k-read", action="read", resource={"type": "model", "id": "globex-ranker"}).allowed
    assert gateway.authorized_resources("read", "model", {"api_key": "k-globex"}) == ["globex-ranker"]
    assert gateway.authorized_resources("create", "model", api_key="k-read") == []


def test_compile_returns_the_artifact_or_the_diagnostics(root, tmp_path):
    ok = warden.compile(root / "policies" / "gateway")
    assert ok.ok and ok.name == "gateway" and ok.failure == ""
    assert warden.Engine(ok.artifact).policy_fingerprint == ok.fingerprint
    again = warden.compile(str(root / "policies" / "gateway"))
    assert again.artifact == ok.artifact  # deterministic

    bad = warden.compile(root / "fixtures" / "diagnostics" / "E0204")
    assert not bad.ok and bad.artifact is None and bad.failure == "policy"
    first = bad.diagnostics[0]
    assert (first.code, first.severity) == ("E0204", "error")
    assert first.file.endswith(".warden") and first.line > 0 and first.column > 0
    assert "error[E0204]" in first.text and "^" in first.text
    assert first.to_dict()["code"] == "E0204"

    warning = warden.compile(root / "fixtures" / "diagnostics" / "W0401")
    assert warning.ok and warning.diagnostics[0].severity == "warning"
    assert not warden.compile(root / "fixtures" / "diagnostics" / "W0401", werror=True).ok
    assert warden.compile(tmp_path / "nothing-here").failure == "input"


def test_watch_reloads_a_replaced_artifact_and_refuses_a_corrupt_one(tmp_path, root, gateway_artifact):
    import os
    import time

    artifact = tmp_path / "policy.wdn"
    artifact.write_bytes(gateway_artifact)
    facts = tmp_path / "facts.jsonl"
    facts.write_text((root / "fixtures/facts/gateway.jsonl").read_text())
    engine = warden.Engine()
    v2 = warden.compile(root / "fixtures" / "diff" / "gateway_v2").artifact

    def replace(path, data):
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def wait_for(predicate):
        deadline = time.monotonic() + 10
        while not predicate():
            assert time.monotonic() < deadline, "timed out waiting for a reload"
            time.sleep(0.005)

    with engine.watch(artifact=artifact, facts=[facts], debounce_ms=1) as watcher:
        first = engine.policy_fingerprint
        assert engine.decide(api_key="k-write", **REGISTER).allowed
        replace(artifact, v2)
        wait_for(lambda: engine.policy_fingerprint != first)
        second = engine.policy_fingerprint
        replace(artifact, b"WARDEN corrupt")
        wait_for(lambda: next(c for c in watcher.counters() if c["target"] == "policy")["failures"] == 1)
        assert engine.policy_fingerprint == second
        policy = next(c for c in watcher.counters() if c["target"] == "policy")
        assert policy["consecutive_failures"] == 1 and policy["last_failure"]["code"].startswith("E05")
    with pytest.raises(warden.WatchError):
        warden.Engine().watch(artifact=tmp_path / "missing.wdn")
    with pytest.raises(ValueError, match="needs an artifact file, fact files or both"):
        warden.Engine().watch()
