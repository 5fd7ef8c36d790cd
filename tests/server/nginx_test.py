#!/usr/bin/python3
"""A real nginx in front of `warden serve`: auth_request on the gateway policy.

Starts, on loopback in a temporary directory, `warden serve` on the compiled
gateway policy with its demo facts, a tiny upstream that records what it
receives, and Debian's nginx with `auth_request` in front of the upstream
(the configuration of docs/server.md). Checks what a caller sees through
nginx and what reaches the upstream and the decision log. Stops all three.

usage: nginx_test.py WARDEN_BINARY   (from the repository root)
"""
import http.client
import http.server
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

WARDEN = sys.argv[1]
ROOT = pathlib.Path.cwd()
REGISTER = "/api/2.0/mlflow/registered-models/create"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Upstream(http.server.BaseHTTPRequestHandler):
    seen = []

    def handle_one(self):
        Upstream.seen.append({k.lower(): v for k, v in self.headers.items()} | {"path": self.path})
        body = b"upstream ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = handle_one

    def log_message(self, *args):
        pass


def wait_for(what, condition, bound=20.0):
    """Poll `condition` until it holds (the sentinel), failing after `bound` s."""
    until = time.monotonic() + bound
    while time.monotonic() < until:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise SystemExit(f"FAIL: timed out waiting for {what}")


def main():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="warden-nginx-"))
    procs = []
    failures = []

    def check(name, ok, detail=""):
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
        if not ok:
            failures.append(name)

    try:
        subprocess.run([WARDEN, "compile", "policies/gateway", "-o", str(tmp / "gateway.wdn")], check=True,
                       stdout=subprocess.DEVNULL)
        shutil.copy(ROOT / "fixtures/facts/gateway.jsonl", tmp / "facts.jsonl")

        # warden serve on a free port: the port comes from its `listening` log line.
        serve = subprocess.Popen([WARDEN, "serve", str(tmp / "gateway.wdn"), "--facts", str(tmp / "facts.jsonl"),
                                  "--listen", "127.0.0.1:0", "--threads", "2",
                                  "--decision-log", str(tmp / "decisions.jsonl")],
                                 stderr=subprocess.PIPE, text=True)
        procs.append(serve)
        log_lines = []

        def read_log():
            for line in serve.stderr:
                log_lines.append(line)

        threading.Thread(target=read_log, daemon=True).start()

        def warden_port():
            for line in log_lines:
                event = json.loads(line)
                if event.get("event") == "listening":
                    return event["port"]
            if serve.poll() is not None:
                raise SystemExit("FAIL: warden serve exited: " + "".join(log_lines))
            return None

        wport = wait_for("warden serve to listen", warden_port)

        upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
        threading.Thread(target=upstream.serve_forever, daemon=True).start()
        uport = upstream.server_address[1]

        nport = free_port()
        conf = (ROOT / "tests/server/nginx.conf.in").read_text()
        conf = conf.replace("@PREFIX@", str(tmp)).replace("@NGINX_PORT@", str(nport))
        conf = conf.replace("@WARDEN_PORT@", str(wport)).replace("@UPSTREAM_PORT@", str(uport))
        (tmp / "nginx.conf").write_text(conf)
        nginx = subprocess.Popen(["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        procs.append(nginx)

        def nginx_up():
            if nginx.poll() is not None:
                raise SystemExit("FAIL: nginx exited: " + nginx.stderr.read())
            try:
                with socket.create_connection(("127.0.0.1", nport), timeout=0.2):
                    return True
            except OSError:
                return False

        wait_for("nginx to listen", nginx_up)

        def call(method, path, key=None, request_id=None, tenant="acme"):
            c = http.client.HTTPConnection("127.0.0.1", nport, timeout=10)
            headers = {"X-Tenant-ID": tenant, "User-Agent": "nginx-test/1"}
            if key:
                headers["Authorization"] = "Bearer " + key
            if request_id:
                headers["X-Request-ID"] = request_id
            c.request(method, path, body=b"{}" if method == "POST" else None, headers=headers)
            r = c.getresponse()
            body = r.read().decode()
            c.close()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), body

        status, headers, body = call("POST", REGISTER, "k-read", "req-read-1")
        error = json.loads(body) if body.startswith("{") else {}
        check("read-only key registering a model: 403", status == 403, f"{status} {body}")
        check("403 body names model:write", "model:write" in error.get("message", "") and
              "model:write" in error.get("required", ""), body)
        check("403 body has the error shape", set(error) >= {"code", "message", "hint", "required", "request_id"}
              and error.get("code") == "SCOPE_MISSING" and error.get("request_id") == "req-read-1", body)
        check("403 is JSON", headers.get("content-type", "").startswith("application/json"), headers)

        status, _, body = call("POST", REGISTER, "k-write", "req-write-1")
        check("write key: 200 from the upstream", status == 200 and body == "upstream ok\n", f"{status} {body}")
        seen = [s for s in Upstream.seen if s.get("x-request-id") == "req-write-1"]
        check("request id propagated to the upstream", len(seen) == 1, Upstream.seen)
        check("the upstream learns who the caller is", seen and seen[0].get("x-warden-user") == "bob", seen)

        status, headers, body = call("POST", REGISTER, None, "req-anon-1")
        check("no key: 401", status == 401, f"{status} {body}")

        status, _, body = call("POST", REGISTER, "k-initech", "req-suspended-1", tenant="initech")
        error = json.loads(body) if body.startswith("{") else {}
        check("a suspended organization's key: 403 ORG_SUSPENDED", status == 403 and
              error.get("code") == "ORG_SUSPENDED", f"{status} {body}")

        status, _, body = call("GET", "/api/models/churn", "k-read")
        generated = [s for s in Upstream.seen if s.get("path") == "/api/models/churn"]
        check("no request id from the caller: nginx's own is used", status == 200 and len(generated) == 1 and
              len(generated[0].get("x-request-id", "")) == 32, generated)

        status, _, body = call("GET", "/api/models/globex-ranker", "k-read", "req-cross-1")
        check("another tenant's model: 403 TENANT_MISMATCH", status == 403 and '"TENANT_MISMATCH"' in body, body)

        # The decision log: every decision, with the request id nginx passed.
        def logged():
            path = tmp / "decisions.jsonl"
            if not path.exists():
                return None
            records = [json.loads(line) for line in path.read_text().splitlines()]
            return records if any(r["request_id"] == "req-cross-1" for r in records) else None

        records = wait_for("the decision log", logged)
        by_id = {r["request_id"]: r for r in records}
        check("decision log has the denied request", by_id.get("req-read-1", {}).get("code") == "SCOPE_MISSING", records)
        check("decision log has the allowed request",
              by_id.get("req-write-1", {}).get("access_result") == "allow" and
              by_id["req-write-1"].get("user_id") == "bob", records)
        check("decision log has nginx's request id",
              generated and generated[0].get("x-request-id") in by_id, records)

        # Graceful stop: SIGTERM, exit 0, the log flushed.
        serve.send_signal(signal.SIGTERM)
        check("warden serve exits 0 on SIGTERM", serve.wait(timeout=20) == 0)
        check("warden serve logged its stop", any('"stopped"' in line for line in log_lines), log_lines[-3:])
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGQUIT if p.args[0] == "nginx" else signal.SIGTERM)
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("nginx test ok" if not failures else f"nginx test failed: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
