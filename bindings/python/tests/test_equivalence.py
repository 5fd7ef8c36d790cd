"""A decision from Python equals the C++ decision on the same request: every
case of the reference fixture suites (fixtures/suites), decided in C++ by
tests/bindings/suite_decisions.cpp as `warden test` decides it, is decided
again here — policy compiled with warden.compile(), facts loaded with
Engine.replace_facts(), the request passed as a dict — and the whole
explanation is compared field for field."""

import json
import os
import pathlib

import pytest

import warden


def reference_cases():
    path = os.environ.get("WARDEN_SUITE_DECISIONS")
    if not path or not pathlib.Path(path).exists():
        pytest.fail("WARDEN_SUITE_DECISIONS must name the reference file (ctest runs bindings_suite_decisions first)")
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def facts_sources(sources):
    out = []
    for s in sources:
        if "file" in s:
            out.append(s["file"])
        elif s["lines"]:
            out.append([json.loads(line) for line in s["text"].splitlines() if line.strip()])
        else:
            out.append(json.loads(s["text"]))
    return out


def test_every_suite_case_decides_as_in_cpp():
    cases = reference_cases()
    assert len(cases) > 50
    artifacts: dict = {}
    engines: dict = {}
    suites = set()
    for case in cases:
        policy = case["policy"]
        if policy not in artifacts:
            compiled = warden.compile(policy)
            assert compiled.ok, policy
            artifacts[policy] = compiled.artifact
        key = (case["suite"], json.dumps(case["case_facts"]))
        if key not in engines:
            engine = warden.Engine(artifacts[policy])
            engine.replace_facts(*facts_sources(case["facts"] + case["case_facts"]))
            engines[key] = engine
        d = engines[key].decide(case["request"])
        expected = case["decision"]
        assert d.to_dict() == expected, f'{case["suite"]}: {case["case"]}'
        assert (d.outcome, d.code, d.source, d.grant_id, d.policy_fingerprint) == (
            expected["outcome"], expected["code"], expected["source"], expected["grant_id"],
            expected["policy_fingerprint"]), case["case"]
        assert [r.to_dict() for r in d.rules] == expected["rules"], case["case"]
        suites.add(case["suite"])
    assert len(suites) >= 6
