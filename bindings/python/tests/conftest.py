"""Shared fixtures for the Python binding tests: the repository root, and the
reference gateway policy compiled through warden.compile() with its facts."""

import pathlib

import pytest

import warden

ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def gateway_artifact() -> bytes:
    compiled = warden.compile(ROOT / "policies" / "gateway")
    assert compiled.ok, [d.text for d in compiled.diagnostics]
    return compiled.artifact


@pytest.fixture()
def gateway(gateway_artifact) -> warden.Engine:
    engine = warden.Engine(gateway_artifact)
    engine.replace_facts(ROOT / "fixtures" / "facts" / "gateway.jsonl")
    return engine
