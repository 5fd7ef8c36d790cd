#!/usr/bin/python3
"""The JSON Schemas of docs/schemas/ describe what `warden serve` really
takes and gives: example requests validate against the request schemas, and
what a running service answers (decisions, batches, list filtering, errors,
decision-log records) validates against the response schemas.

usage: schema_test.py WARDEN_BINARY   (from the repository root)
"""
import http.client
import json
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import jsonschema

WARDEN = sys.argv[1]
SCHEMAS = pathlib.Path("docs/schemas")
store = {}
for f in SCHEMAS.glob("*.schema.json"):
    schema = json.loads(f.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    store[schema["$id"]] = schema
failures = []


def validate(name, instance, what):
    schema = store["https://schemas.warden.invalid/" + name]
    resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
    errors = list(jsonschema.Draft202012Validator(schema, resolver=resolver).iter_errors(instance))
    print(("ok   " if not errors else "FAIL ") + what + ("" if not errors else ": " + errors[0].message))
    if errors:
        failures.append(what)


def invalid(name, instance, what):
    schema = store["https://schemas.warden.invalid/" + name]
    resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
    ok = not jsonschema.Draft202012Validator(schema, resolver=resolver).is_valid(instance)
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


REGISTER = {"request_id": "s-1", "api_key": "k-read", "method": "POST",
            "path": "/api/2.0/mlflow/registered-models/create", "headers": {"X-Tenant-ID": "acme"},
            "context": {"time": "2026-01-31T10:00:00Z", "client_ip": "10.0.0.7"}}
READ = {"api_key": "k-read", "action": "read", "resource": {"type": "model", "id": "churn"},
        "headers": {"X-Tenant-ID": "acme"}}
LIST = {"api_key": "k-read", "action": "read", "resource": {"type": "model"}, "headers": {"X-Tenant-ID": "acme"}}
BAD = {"api_key": "k-read", "methd": "GET", "path": "/"}

validate("decide-request.schema.json", REGISTER, "request schema: an HTTP request")
validate("decide-request.schema.json", READ, "request schema: an action on a resource")
invalid("decide-request.schema.json", BAD, "request schema refuses an unknown field")
invalid("decide-request.schema.json", {"api_key": "k", "action": "read"}, "request schema needs a resource")
validate("batch-request.schema.json", {"requests": [REGISTER, READ]}, "batch request schema")
for f in sorted(pathlib.Path("fixtures/requests/gateway").glob("*.json")):
    validate("decide-request.schema.json", json.loads(f.read_text()), f"request schema: {f}")

tmp = pathlib.Path(tempfile.mkdtemp(prefix="warden-schema-"))
serve = None
try:
    subprocess.run([WARDEN, "compile", "policies/gateway", "-o", str(tmp / "gateway.wdn")], check=True,
                   stdout=subprocess.DEVNULL)
    serve = subprocess.Popen([WARDEN, "serve", str(tmp / "gateway.wdn"), "--facts", "fixtures/facts/gateway.jsonl",
                              "--listen", "127.0.0.1:0", "--threads", "1", "--decision-log", str(tmp / "log.jsonl")],
                             stderr=subprocess.PIPE, text=True)
    lines = []
    threading.Thread(target=lambda: [lines.append(l) for l in serve.stderr], daemon=True).start()
    port = None
    until = time.monotonic() + 20
    while port is None and time.monotonic() < until and serve.poll() is None:
        for line in list(lines):
            event = json.loads(line)
            if event.get("event") == "listening":
                port = event["port"]
        time.sleep(0.02)
    if port is None:
        raise SystemExit("FAIL: warden serve did not start: " + "".join(lines))

    def post(path, body):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("POST", path, body=body if isinstance(body, str) else json.dumps(body),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        data = json.loads(r.read())
        c.close()
        return r.status, data

    status, d = post("/v1/decide", REGISTER)
    validate("decision.schema.json", d, "decision schema: a deny")
    status, d = post("/v1/decide?explain=full", READ)
    validate("decision.schema.json", d, "decision schema: an allow with its trace")
    status, d = post("/v1/decide/batch", {"requests": [REGISTER, READ, BAD]})
    validate("batch-response.schema.json", d, "batch response schema (with an error item)")
    status, d = post("/v1/authorized", LIST)
    validate("authorized-response.schema.json", d, "authorized response schema")
    status, d = post("/v1/decide", BAD)
    validate("error.schema.json", d, "error schema: unknown field (400)")
    status, d = post("/v1/decide", "{not json")
    validate("error.schema.json", d, "error schema: malformed JSON (400)")
    status, d = post("/v1/nowhere", "{}")
    validate("error.schema.json", d, "error schema: no such endpoint (404)")
    serve.send_signal(signal.SIGTERM)
    serve.wait(timeout=20)
    records = [json.loads(l) for l in (tmp / "log.jsonl").read_text().splitlines()]
    if len(records) != 4:
        failures.append("decision log")
        print(f"FAIL decision log: {len(records)} records, expected 4")
    for r in records:
        validate("decision-record.schema.json", r, f"decision-record schema: {r['endpoint']} {r['request_id']}")
finally:
    if serve and serve.poll() is None:
        serve.kill()
    shutil.rmtree(tmp, ignore_errors=True)
print("schema test ok" if not failures else f"schema test failed: {len(failures)}")
sys.exit(1 if failures else 0)
