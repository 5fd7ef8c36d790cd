"""Warden for FastAPI (and any Starlette/ASGI app).

* ``WardenMiddleware`` — endpoint checks: every HTTP request's method, path
  (with its query string), API key, headers (the policy's tenant sources
  read them) and request id are decided through the policy's endpoints; a
  deny is answered with 401/403 and a JSON body
  ``{"code", "message", "hint", "required", "request_id"}`` before the route
  runs.
* ``require(action, resource_type, id_from=...)`` — a dependency for
  in-handler checks of an action on one resource:
  ``Depends(warden.require("update", "model", id_from="model_id"))``.
* ``audit=`` — a callable given every decision (allowed or not), for the
  access log.

``Warden(engine, ...).install(app)`` wires all three. See docs/python.md.
"""

import json
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from fastapi import Request
from starlette.responses import JSONResponse

from ._warden import Decision, Engine

Scope = Dict[str, Any]
AuditSink = Callable[[Decision], None]
PrincipalFn = Callable[[Scope], Optional[Mapping[str, Any]]]

__all__ = ["Denied", "Warden", "WardenMiddleware", "error_body", "require"]


def error_body(decision: Decision) -> Dict[str, str]:
    """The JSON body of a refused request: one shape for every code."""
    return {
        "code": decision.code,
        "message": decision.message,
        "hint": decision.hint,
        "required": decision.required,
        "request_id": decision.request_id,
    }


class Denied(Exception):
    """Raised by ``require()`` dependencies; answered with ``error_body`` by the
    handler ``Warden.install()`` registers."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(f"{decision.code}: {decision.message}")
        self.decision = decision


class Warden:
    """How requests are read and decisions are answered, for one app.

    engine          the ``warden.Engine`` that decides (shared, thread-safe)
    api_key_header  header carrying the API key (also accepted:
                    ``Authorization: Bearer <key>`` when ``bearer`` is true)
    request_id_header  header carrying the request id, echoed in bodies and logs
    tenant_header   a header whose value is the request's explicit tenant; by
                    default the policy's own ``tenant from`` sources decide
    principal       ``scope -> {"type", "id", "attributes"} | None`` for apps
                    whose callers are sessions rather than API keys
    audit           called with every decision the middleware or a
                    ``require()`` dependency makes; an exception it raises
                    fails the request (nothing is allowed unlogged)
    exclude         path prefixes the middleware does not check (e.g.
                    ``/docs``); everything else is checked, so a forgotten
                    route is refused, not open
    """

    def __init__(
        self,
        engine: Engine,
        *,
        api_key_header: str = "x-api-key",
        bearer: bool = True,
        request_id_header: str = "x-request-id",
        tenant_header: Optional[str] = None,
        principal: Optional[PrincipalFn] = None,
        audit: Optional[AuditSink] = None,
        exclude: Iterable[str] = (),
    ) -> None:
        self.engine = engine
        self._key = api_key_header.lower().encode("latin-1")
        self._bearer = bearer
        self._request_id = request_id_header.lower().encode("latin-1")
        self._tenant = tenant_header.lower().encode("latin-1") if tenant_header else None
        self._principal = principal
        self.audit = audit
        self._exclude = tuple(exclude)

    # -- reading a request ------------------------------------------------------

    def _common(self, scope: Scope) -> Dict[str, Any]:
        """Key, principal, tenant, request id and headers of an ASGI request."""
        headers: List[Tuple[bytes, bytes]] = scope.get("headers") or []
        fields: Dict[str, Any] = {"headers": headers}
        for name, value in headers:
            if name == self._key:
                fields["api_key"] = value.decode("latin-1")
            elif self._bearer and name == b"authorization" and value[:7].lower() == b"bearer ":
                fields.setdefault("api_key", value[7:].strip().decode("latin-1"))
            elif name == self._request_id:
                fields["request_id"] = value.decode("latin-1")
            elif self._tenant is not None and name == self._tenant:
                fields["tenant"] = value.decode("latin-1")
        if self._principal is not None:
            principal = self._principal(scope)
            if principal is not None:
                fields["principal"] = principal
        return fields

    def decide_endpoint(self, scope: Scope) -> Decision:
        """Decide an ASGI HTTP request through the policy's endpoints."""
        fields = self._common(scope)
        # raw_path keeps the percent-encoding the policy's patterns see; some
        # servers (and Starlette's TestClient) leave the query string on it.
        raw = scope.get("raw_path")
        path = raw.split(b"?", 1)[0].decode("latin-1") if raw else scope["path"]
        query = scope.get("query_string")
        if query:
            path = f"{path}?{query.decode('latin-1')}"
        decision = self.engine.decide(fields, method=scope["method"], path=path)
        self._record(scope, decision)
        return decision

    def decide_action(
        self,
        scope: Scope,
        action: str,
        resource_type: str,
        resource_id: Optional[str] = None,
        attributes: Optional[Mapping[str, Any]] = None,
    ) -> Decision:
        """Decide an action on a resource for the caller of an ASGI request."""
        fields = self._common(scope)
        resource: Dict[str, Any] = {"type": resource_type, "id": resource_id}
        if attributes:
            resource["attributes"] = attributes
        decision = self.engine.decide(fields, action=action, resource=resource)
        self._record(scope, decision)
        return decision

    def authorized_resources(self, request: Request, action: str, resource_type: str) -> List[str]:
        """The ids of the resources the caller may ``action`` (list endpoints)."""
        return self.engine.authorized_resources(action, resource_type, self._common(request.scope))

    def _record(self, scope: Scope, decision: Decision) -> None:
        scope.setdefault("state", {})["warden_decision"] = decision
        if self.audit is not None:
            self.audit(decision)

    def excluded(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self._exclude)

    # -- answering --------------------------------------------------------------

    @staticmethod
    def response_parts(decision: Decision) -> Tuple[int, bytes, List[Tuple[bytes, bytes]]]:
        status = decision.http_status
        body = json.dumps(error_body(decision)).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        if status == 401:
            headers.append((b"www-authenticate", b"Bearer"))
        return status, body, headers

    def install(self, app: Any) -> "Warden":
        """Add the middleware and the handler for ``require()`` denials to a
        FastAPI/Starlette app, and make this object the app's ``require()``
        source (``app.state.warden``)."""
        app.state.warden = self
        app.add_middleware(WardenMiddleware, warden=self)
        app.add_exception_handler(Denied, _denied_handler)
        return self

    def require(self, action: str, resource_type: str, *, id_from: Optional[str] = None,
                attributes: Optional[Callable[[Request], Mapping[str, Any]]] = None):
        """A dependency deciding ``action`` on ``resource_type`` with this object
        (see the module-level ``require``)."""
        return _dependency(lambda request: self, action, resource_type, id_from, attributes)


class WardenMiddleware:
    """Pure ASGI middleware: decides every HTTP request through the policy's
    endpoints and refuses denies with ``error_body``. Add it with
    ``app.add_middleware(WardenMiddleware, warden=Warden(engine, ...))`` or
    ``Warden(...).install(app)``."""

    def __init__(self, app: Any, warden: Warden) -> None:
        self.app = app
        self.warden = warden

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.warden.excluded(scope["path"]):
            await self.app(scope, receive, send)
            return
        decision = self.warden.decide_endpoint(scope)
        if decision.allowed:
            await self.app(scope, receive, send)
            return
        status, body, headers = Warden.response_parts(decision)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _denied_handler(request: Request, exc: Exception) -> JSONResponse:
    decision = exc.decision  # type: ignore[attr-defined]
    status = decision.http_status
    headers = {"www-authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(decision), status_code=status, headers=headers)


def _app_warden(request: Request) -> Warden:
    warden = getattr(request.app.state, "warden", None)
    if warden is None:
        raise RuntimeError("warden.require() needs Warden(engine).install(app) first")
    return warden


def _dependency(find: Callable[[Request], Warden], action: str, resource_type: str, id_from: Optional[str],
                attributes: Optional[Callable[[Request], Mapping[str, Any]]]):
    async def check(request: Request) -> Decision:
        warden = find(request)
        resource_id = None
        if id_from is not None:
            resource_id = request.path_params.get(id_from)
            if resource_id is None:
                resource_id = request.query_params.get(id_from)
        attrs = attributes(request) if attributes is not None else None
        decision = warden.decide_action(request.scope, action, resource_type, resource_id, attrs)
        if not decision.allowed:
            raise Denied(decision)
        return decision

    check.__name__ = f"require_{action}_{resource_type}"
    return check


def require(action: str, resource_type: str, *, id_from: Optional[str] = None,
            attributes: Optional[Callable[[Request], Mapping[str, Any]]] = None):
    """A FastAPI dependency: decide ``action`` on ``resource_type`` for the caller
    (API key, principal and headers as the middleware reads them), the
    resource id taken from the path parameter (else query parameter)
    ``id_from``; ``attributes(request)`` may supply resource attributes (e.g.
    the organization of a resource being created). A deny raises ``Denied``,
    answered 401/403 with ``error_body``; an allow returns the Decision::

        @app.patch("/models/{model_id}")
        async def update(model_id: str, d=Depends(warden.require("update", "model", id_from="model_id"))):
            ...

    Uses the ``Warden`` installed on the app (``Warden(engine).install(app)``).
    """
    return _dependency(_app_warden, action, resource_type, id_from, attributes)
