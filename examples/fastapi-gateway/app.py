"""Scenario 1 of the design: an ML-platform gateway in front of an
MLflow-style model registry, guarded by the reference gateway policy
(policies/gateway) with Warden in process.

* The MLflow REST API (``/api/2.0/mlflow/...``) is guarded by the middleware:
  each request's method, path, API key (``X-API-Key`` or ``Authorization:
  Bearer``) and ``X-Tenant-ID`` are decided through the policy's endpoints. A
  read-only key that registers a model gets 403 with ``SCOPE_MISSING`` naming
  ``model:write``; a write key passes.
* The gateway's own model API (``/api/models``) checks in the handler: a
  ``require()`` dependency per route, and list filtering with
  ``authorized_resources``.
* Every decision goes to the audit sink (here: a list, and the log).

Run it (from the repository root, after the build):

    PYTHONPATH=build/bindings/python /usr/bin/python3 -m uvicorn --app-dir examples/fastapi-gateway app:app
"""

import logging
import os
import pathlib
from typing import Any, Dict, List, Optional

from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel

import warden
from warden.fastapi import Warden, require

ROOT = pathlib.Path(__file__).resolve().parents[2]
log = logging.getLogger("gateway.audit")


class RegisterModel(BaseModel):
    name: str
    description: str = ""


def create_app(policy: Optional[str] = None, facts: Optional[str] = None, audit: Optional[List[Any]] = None) -> FastAPI:
    compiled = warden.compile(policy or os.environ.get("WARDEN_POLICY", ROOT / "policies" / "gateway"))
    if not compiled.ok:
        raise SystemExit("\n".join(d.text for d in compiled.diagnostics))
    engine = warden.Engine(compiled.artifact)
    engine.replace_facts(facts or os.environ.get("WARDEN_FACTS", ROOT / "fixtures" / "facts" / "gateway.jsonl"))

    audit_log: List[Any] = audit if audit is not None else []

    def record(decision: warden.Decision) -> None:
        audit_log.append(decision)
        log.info("%s", decision.to_json())

    app = FastAPI(title="ML gateway")
    gate = Warden(engine, audit=record, exclude=("/api/models",)).install(app)
    app.state.engine = engine
    app.state.audit_log = audit_log

    # Models by tenant, as the registry behind the gateway would hold them.
    models: Dict[str, Dict[str, str]] = {
        "churn": {"name": "churn", "tenant": "acme"},
        "fraud-detector": {"name": "fraud-detector", "tenant": "acme"},
        "globex-ranker": {"name": "globex-ranker", "tenant": "globex"},
    }

    # --- the MLflow API: endpoint checks by the middleware -------------------

    @app.get("/health")
    async def health() -> Dict[str, str]:
        return {"status": "ok"}

    @app.post("/api/2.0/mlflow/registered-models/create")
    async def create_model(body: RegisterModel, request: Request) -> Dict[str, Any]:
        decision = request.state.warden_decision  # the middleware's, for the response
        models[body.name] = {"name": body.name, "tenant": decision.tenant}
        return {"registered_model": models[body.name], "decided_by": decision.rules[0].name}

    @app.get("/api/2.0/mlflow/registered-models/get")
    async def get_model(name: str) -> Dict[str, Any]:
        return {"registered_model": models.get(name)}

    @app.get("/api/2.0/mlflow/registered-models/search")
    async def search_models(request: Request) -> Dict[str, Any]:
        visible = gate.authorized_resources(request, "list", "model")
        return {"registered_models": [models[m] for m in visible if m in models]}

    # --- the gateway's model API: checks in the handler ----------------------

    @app.get("/api/models")
    async def list_models(request: Request) -> Dict[str, Any]:
        return {"models": gate.authorized_resources(request, "read", "model")}

    @app.get("/api/models/{name}")
    async def read_model(name: str, decision: warden.Decision = Depends(require("read", "model", id_from="name"))):
        return {"model": models.get(name), "source": decision.source, "tenant": decision.tenant}

    @app.patch("/api/models/{name}")
    async def update_model(name: str, body: RegisterModel,
                           decision: warden.Decision = Depends(require("update", "model", id_from="name"))):
        models[name] = {"name": name, "tenant": decision.tenant, "description": body.description}
        return {"model": models[name]}

    return app


app = create_app()
