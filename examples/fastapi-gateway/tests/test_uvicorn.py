"""The gateway example once over real HTTP: uvicorn serves it on a loopback
socket this test binds (handed to uvicorn with --fd, so there is no port
race), the test waits until it answers, drives it with httpx and stops it."""

import os
import pathlib
import socket
import subprocess
import sys
import time

import httpx

EXAMPLE = pathlib.Path(__file__).resolve().parents[1]


def test_gateway_over_real_http():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    env = dict(os.environ)
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(EXAMPLE), "--fd", str(sock.fileno()),
         "--log-level", "warning", "app:app"],
        pass_fds=[sock.fileno()], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    sock.close()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, server.stdout.read().decode()
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "uvicorn did not come up"
            time.sleep(0.02)
        with httpx.Client(base_url=base, timeout=5) as client:
            denied = client.post("/api/2.0/mlflow/registered-models/create", json={"name": "m1"},
                                 headers={"X-API-Key": "k-read", "X-Request-ID": "real-1"})
            assert denied.status_code == 403
            assert denied.json()["code"] == "SCOPE_MISSING" and "`model:write`" in denied.json()["required"]
            assert denied.json()["request_id"] == "real-1"
            ok = client.post("/api/2.0/mlflow/registered-models/create", json={"name": "m1"},
                             headers={"X-API-Key": "k-write"})
            assert ok.status_code == 200 and ok.json()["registered_model"]["name"] == "m1"
            listed = client.get("/api/models", headers={"X-API-Key": "k-read"})
            assert listed.json() == {"models": ["churn", "fraud-detector"]}
    finally:
        server.terminate()
        server.wait(timeout=10)
