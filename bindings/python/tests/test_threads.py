"""Several Python threads decide at once (the GIL is released while
deciding), also while facts are updated and the policy is reloaded: every
decision is the one a single thread gets."""

import threading

import warden

CASES = [
    ({"api_key": "k-read", "method": "POST", "path": "/api/2.0/mlflow/registered-models/create"}, "SCOPE_MISSING"),
    ({"api_key": "k-write", "method": "POST", "path": "/api/2.0/mlflow/registered-models/create"}, "ALLOW"),
    ({"api_key": "k-read", "method": "GET", "path": "/api/models/churn"}, "ALLOW"),
    ({"api_key": "k-globex", "method": "GET", "path": "/api/models/churn"}, "TENANT_MISMATCH"),
    ({"api_key": "k-expired", "method": "GET", "path": "/api/models/churn"}, "KEY_EXPIRED"),
    ({"method": "GET", "path": "/health"}, "ALLOW"),
]


def test_threads_decide_concurrently_with_updates(gateway, gateway_artifact):
    for request, code in CASES:
        assert gateway.decide(request).code == code
    threads, rounds = 4, 2000
    failures: list = []
    start = threading.Barrier(threads + 2)  # the readers, the writer and this thread

    def reader(n: int) -> None:
        start.wait()
        for i in range(rounds):
            request, code = CASES[(i + n) % len(CASES)]
            d = gateway.decide(request, request_id=f"t{n}-{i}")
            if d.code != code or d.request_id != f"t{n}-{i}":
                failures.append((n, i, d.code, code))

    def writer() -> None:
        start.wait()
        for i in range(200):
            # An unrelated key comes and goes; the policy is reloaded as is.
            gateway.apply([{"op": "upsert", "kind": "key", "id": f"k-tmp{i}", "principal_id": "alice", "scopes": []}])
            gateway.apply([{"op": "remove", "kind": "key", "id": f"k-tmp{i}"}])
            if i % 20 == 0:
                gateway.load_policy(gateway_artifact)

    workers = [threading.Thread(target=reader, args=(n,)) for n in range(threads)]
    workers.append(threading.Thread(target=writer))
    for w in workers:
        w.start()
    start.wait()
    for w in workers:
        w.join()
    assert failures == []
    assert gateway.facts_version == 1 + 400


def test_list_filtering_from_threads(gateway):
    results: list = []

    def run() -> None:
        for _ in range(200):
            results.append(tuple(gateway.authorized_resources("read", "model", api_key="k-read")))

    workers = [threading.Thread(target=run) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert set(results) == {("churn", "fraud-detector")}
