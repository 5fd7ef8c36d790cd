"""Warden in process: decisions with their explanation, in microseconds.

    import warden
    policy = warden.compile("policies/gateway")          # the compiler driver
    engine = warden.Engine(policy.artifact)
    engine.replace_facts("fixtures/facts/gateway.jsonl")
    d = engine.decide(api_key="k-read", method="POST",
                      path="/api/2.0/mlflow/registered-models/create")
    d.code, d.required   # 'SCOPE_MISSING', 'scopes `model:write` ...'

See docs/python.md. The FastAPI integration is ``warden.fastapi``;
``warden.require`` is its per-route dependency.
"""

from __future__ import annotations

from ._errors import FactsError, PolicyError, RequestError, WardenError, WatchError
from ._findings import FactFinding, FactFindings
from ._warden import Compilation, Decision, Diagnostic, Engine, PostgresFacts, Rule, Watcher, __version__, compile

__all__ = [
    "Compilation",
    "Decision",
    "Diagnostic",
    "Engine",
    "FactFinding",
    "FactFindings",
    "FactsError",
    "PolicyError",
    "PostgresFacts",
    "RequestError",
    "Rule",
    "WardenError",
    "WatchError",
    "Watcher",
    "__version__",
    "compile",
    "require",
]


def __getattr__(name: str):
    # warden.require is the FastAPI dependency; importing it here lazily keeps
    # FastAPI an optional dependency of the package.
    if name == "require":
        from .fastapi import require

        return require
    raise AttributeError(f"module 'warden' has no attribute {name!r}")
