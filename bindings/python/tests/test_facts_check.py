"""Facts checked against the policy from Python (F04xx, docs/facts.md):
facts_check "warn" (the default) loads them and returns the findings,
"refuse" raises FactsError and keeps the facts in service; findings are
placed by file, line and column, or by record for dicts and lists; a policy
loaded later is checked against the facts in service."""

import json
import os

import pytest

import warden

REGISTER = {"method": "POST", "path": "/api/2.0/mlflow/registered-models/create"}
EVE = {"kind": "entity", "type": "user", "id": "eve", "tenant": "acme", "attributes": {"org": "acme"}}
TYPO = {"kind": "key", "id": "k-typo", "principal_id": "eve", "scopes": ["model:read", "model:wirte"]}
MESSAGE = "unknown scope `model:wirte` in key `k-typo` (did you mean `model:write`?)"


def test_the_default_is_warn_loaded_with_the_findings_placed_by_record(gateway_artifact):
    engine = warden.Engine(gateway_artifact)
    assert engine.facts_check == "warn"
    found = engine.replace_facts([EVE, TYPO])
    assert isinstance(found, warden.FactFindings) and found.total == 1
    [f] = found
    assert isinstance(f, warden.FactFinding)
    assert (f.code, f.message, f.file, f.record, f.section, f.warning) == ("F0403", MESSAGE, "facts", 1, None, True)
    assert str(f).startswith("facts:2:") and "warning[F0403]" in str(f)
    assert engine.last_fact_findings == found and engine.last_fact_findings.total == 1
    assert engine.facts_version == 1
    # Loaded, and the unknown scope is never held.
    d = engine.decide(api_key="k-typo", tenant="acme", **REGISTER)
    assert d.code == "SCOPE_MISSING"


def test_refuse_raises_with_the_code_and_keeps_the_facts_in_service(gateway_artifact, root):
    engine = warden.Engine(gateway_artifact, facts_check="refuse")
    assert engine.facts_check == "refuse"
    assert engine.replace_facts(root / "fixtures/facts/gateway.jsonl") == []
    version = engine.facts_version
    with pytest.raises(warden.FactsError) as raised:
        engine.replace_facts([EVE, TYPO])
    e = raised.value
    assert (e.code, e.file, e.line, e.record, e.section) == ("F0403", "facts", 2, 1, None)
    assert e.message == MESSAGE
    assert len(e.findings) == 1 and e.findings.total == 1 and not e.findings[0].warning
    assert engine.facts_version == version
    assert engine.decide(api_key="k-write", **REGISTER).allowed  # the facts in service stay
    assert engine.last_fact_findings.total == 1
    # An error of its own (F01xx) has no findings.
    with pytest.raises(warden.FactsError) as raised:
        engine.replace_facts([{"kind": "key", "id": "k1"}])
    assert raised.value.code == "F0102" and raised.value.findings == [] and raised.value.record == 0


def test_a_call_chooses_for_itself(gateway_artifact):
    engine = warden.Engine(gateway_artifact)
    with pytest.raises(warden.FactsError) as raised:
        engine.replace_facts([EVE, TYPO], facts_check="refuse")
    assert raised.value.code == "F0403"
    assert engine.facts_version == 0
    engine.facts_check = "refuse"
    found = engine.replace_facts([EVE, TYPO], facts_check="warn")
    assert found.total == 1 and engine.facts_version == 1
    with pytest.raises(ValueError, match="facts_check"):
        engine.replace_facts([EVE], facts_check="loose")
    with pytest.raises(ValueError, match="facts_check"):
        engine.facts_check = "strict"
    with pytest.raises(ValueError, match="facts_check"):
        warden.Engine(gateway_artifact, facts_check=True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'check'"):
        engine.replace_facts([EVE], check="warn")
    assert engine.facts_check == "refuse"


def test_a_document_dict_places_a_finding_by_section_and_index(gateway_artifact):
    engine = warden.Engine(gateway_artifact)
    ok_key = {"id": "k-ok", "principal_id": "eve", "scopes": ["model:read"]}
    typo = {k: v for k, v in TYPO.items() if k != "kind"}
    found = engine.replace_facts({"entities": [{k: v for k, v in EVE.items() if k != "kind"}], "keys": [ok_key, typo]})
    [f] = found
    assert (f.code, f.section, f.record, f.file) == ("F0403", "keys", 1, "facts")
    # Errors of a document are placed the same way.
    with pytest.raises(warden.FactsError) as raised:
        engine.replace_facts({"keys": [ok_key, {"id": "k2"}]})
    assert (raised.value.code, raised.value.section, raised.value.record) == ("F0102", "keys", 1)
    # Several sources: each its own name.
    found = engine.replace_facts([EVE], {"keys": [typo]})
    assert [(f.file, f.section, f.record) for f in found] == [("facts[1]", "keys", 0)]


def test_a_file_places_a_finding_by_line_and_column(gateway_artifact, tmp_path):
    engine = warden.Engine(gateway_artifact)
    facts = tmp_path / "facts.jsonl"
    facts.write_text(json.dumps(EVE) + "\n" + json.dumps(TYPO) + "\n")
    [f] = engine.replace_facts(facts)
    assert (f.file, f.line, f.record) == (str(facts), 2, None)
    assert f.column > 1


def test_updates_are_checked_upserts_only(gateway_artifact, root):
    engine = warden.Engine(gateway_artifact)
    engine.replace_facts(root / "fixtures/facts/gateway.jsonl")
    found = engine.apply([
        {"op": "remove", "kind": "key", "id": "k-read"},
        {"op": "upsert", **TYPO},
        {"op": "upsert", "kind": "entity", "type": "modle", "id": "churn"},
    ])
    assert [(f.code, f.record) for f in found] == [("F0403", 1), ("F0401", 2)]
    assert found[1].message == "unknown type `modle` in entity `modle:churn`"
    assert engine.facts_version == 2
    with pytest.raises(warden.FactsError) as raised:
        engine.apply([{"op": "remove", "kind": "key", "id": "k-typo"}, {"op": "upsert", **TYPO}], facts_check="refuse")
    assert (raised.value.code, raised.value.record) == ("F0403", 1)
    assert engine.facts_version == 2  # all or nothing: the removal neither
    assert engine.apply([{"op": "remove", "kind": "key", "id": "k-typo"}], facts_check="refuse") == []
    assert engine.last_fact_findings == []


def test_a_policy_loaded_later_is_checked_against_the_facts_in_service(root, tmp_path):
    names = warden.compile(root / "fixtures/facts_check/names").artifact
    engine = warden.Engine(facts_check="refuse")
    assert engine.replace_facts(root / "fixtures/facts_check/names/facts.jsonl") == []  # no policy: nothing to check
    version = engine.facts_version
    found = engine.load_policy(names)  # never refused for the facts
    expected = [line for line in (root / "fixtures/facts_check/names/expected.txt").read_text().splitlines() if line]
    assert found.total == len(expected) == len(found)
    assert all(f.code.startswith("F04") and f.file == "" and f.record is None and f.warning for f in found)
    assert sorted(f.message for f in found) == sorted(line.split("]: ", 1)[1] for line in expected)
    assert engine.has_policy and engine.facts_version == version
    assert engine.last_fact_findings == found
    assert engine.check_facts() == found
    artifact = tmp_path / "names.wdn"
    artifact.write_bytes(names)
    assert engine.load_policy_file(artifact).total == len(expected)
    # A clean pair: nothing.
    engine.replace_facts([{"kind": "grant", "id": "g1", "subject_id": "bob", "resource_type": "model",
                           "resource_id": "churn", "level": "read"}])
    assert engine.check_facts() == [] and engine.load_policy(names) == []


def test_a_watcher_reports_its_findings(gateway_artifact, tmp_path):
    engine = warden.Engine(gateway_artifact)
    facts = tmp_path / "facts.jsonl"
    facts.write_text(json.dumps(EVE) + "\n" + json.dumps(TYPO) + "\n")
    with engine.watch(facts=[facts], debounce_ms=1):
        [f] = engine.last_fact_findings
        assert (f.code, f.file, f.line) == ("F0403", str(facts), 2)
    refusing = warden.Engine(gateway_artifact)
    with pytest.raises(warden.WatchError) as raised:
        refusing.watch(facts=[facts], facts_check="refuse")
    assert raised.value.code == "F0403"
    assert [(f.code, f.warning) for f in refusing.last_fact_findings] == [("F0403", False)]
