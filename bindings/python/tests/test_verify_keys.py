"""Signed artifacts from Python: an Engine with verify keys loads only
artifacts signed by one of them, and refuses the rest with the codes of
docs/signing.md, keeping the policy it runs. The artifacts and keys are made
by the command line (`warden keygen`, `warden compile --sign`)."""

import os
import pathlib
import subprocess

import pytest

import warden

REGISTER = {"method": "POST", "path": "/api/2.0/mlflow/registered-models/create",
            "api_key": "k-write", "context": {"time": "2026-03-01T12:00:00Z"}}


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    d = tmp_path_factory.mktemp("signing")
    cli = os.environ["WARDEN_BIN"]
    for name in ("release", "other"):
        subprocess.run([cli, "keygen", str(d / name)], check=True, capture_output=True)
    subprocess.run([cli, "compile", "--sign", str(d / "release.key"), "policies/gateway", "-o", str(d / "signed.wdn")],
                   check=True, capture_output=True)
    subprocess.run([cli, "compile", "policies/gateway", "-o", str(d / "unsigned.wdn")], check=True, capture_output=True)
    tampered = bytearray((d / "signed.wdn").read_bytes())
    tampered[len(tampered) // 2] ^= 0x01
    (d / "tampered.wdn").write_bytes(bytes(tampered))
    return d


def test_a_signed_artifact_loads_under_its_key_given_as_a_path_or_as_text(signed):
    e = warden.Engine.from_file(signed / "signed.wdn", verify_keys=[signed / "release.pub"])
    e.replace_facts("fixtures/facts/gateway.jsonl")
    assert e.decide(REGISTER).allowed
    text = (signed / "release.pub").read_text()
    e2 = warden.Engine((signed / "signed.wdn").read_bytes(), verify_keys=text)
    assert e2.policy_fingerprint == e.policy_fingerprint


def test_several_keys_let_keys_rotate(signed):
    e = warden.Engine(verify_keys=[signed / "other.pub", signed / "release.pub"])
    e.load_policy_file(signed / "signed.wdn")
    assert e.has_policy


@pytest.mark.parametrize("artifact,keys,code", [
    ("unsigned.wdn", ["release.pub"], "E0509"),
    ("signed.wdn", ["other.pub"], "E0510"),
])
def test_artifacts_not_signed_by_a_given_key_are_refused_with_their_code(signed, artifact, keys, code):
    with pytest.raises(warden.PolicyError) as e:
        warden.Engine.from_file(signed / artifact, verify_keys=[signed / k for k in keys])
    assert e.value.code == code


def test_a_tampered_artifact_is_refused_and_the_running_policy_stays(signed):
    e = warden.Engine.from_file(signed / "signed.wdn", verify_keys=signed / "release.pub")
    before = e.policy_fingerprint
    with pytest.raises(warden.PolicyError) as err:
        e.load_policy((signed / "tampered.wdn").read_bytes())
    # The checksum catches a flipped byte first; a change with the checksum
    # recomputed is E0511 (the runtime's signing tests).
    assert err.value.code == "E0504"
    with pytest.raises(warden.PolicyError) as err:
        e.load_policy_file(signed / "unsigned.wdn")
    assert err.value.code == "E0509"
    assert e.policy_fingerprint == before


def test_a_key_that_cannot_be_read_is_E0512_naming_which(signed, tmp_path):
    bad = tmp_path / "bad.pub"
    bad.write_text("not a key\n")
    with pytest.raises(warden.PolicyError) as e:
        warden.Engine(verify_keys=[signed / "release.pub", bad])
    assert e.value.code == "E0512"
    assert "verify key 2 of 2" in str(e.value)
    with pytest.raises(TypeError):
        warden.Engine(verify_keys=[42])


def test_an_empty_list_accepts_unsigned_artifacts_again(signed):
    e = warden.Engine(verify_keys=[signed / "release.pub"])
    with pytest.raises(warden.PolicyError):
        e.load_policy_file(signed / "unsigned.wdn")
    e.set_verify_keys([])
    e.load_policy_file(signed / "unsigned.wdn")
    assert e.has_policy
