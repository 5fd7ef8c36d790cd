"""Facts from PostgreSQL in Python: Engine.follow_postgres() against a real,
throwaway cluster (tests/postgres/throwaway_cluster.py) with the example
schema, mapping and policy (examples/postgres/). The first load is one
snapshot; a committed grant reaches a decision; a revoked one stops
reaching it; a mapping or database that cannot be used raises FactsError
with its code and changes nothing."""

import os
import pathlib
import subprocess
import sys
import time

import pytest

import warden

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "tests" / "postgres"))
import throwaway_cluster  # noqa: E402

MAPPING = "examples/postgres/mapping.toml"


@pytest.fixture(scope="module")
def cluster():
    c = throwaway_cluster.Cluster()
    yield c
    c.stop()


@pytest.fixture()
def database(cluster, request):
    url = cluster.create_database("py_" + request.node.name.replace("test_", "")[:40])
    subprocess.run([os.environ["WARDEN_BIN"], "facts", "install-triggers", "--db", url, MAPPING], check=True,
                   capture_output=True)
    return url


@pytest.fixture()
def engine():
    return warden.Engine(warden.compile("examples/postgres/policy").artifact)


def eventually(done, seconds=10.0):
    """Poll `done` until it holds or the deadline passes: the condition is the sentinel."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            return True
        time.sleep(0.005)
    return done()


def read(engine, user, model):
    return engine.decide(principal={"type": "user", "id": user}, action="read",
                         resource={"type": "model", "id": model})


def test_facts_follow_the_database_grant_then_revoke(cluster, database, engine):
    with engine.follow_postgres(database, MAPPING) as facts:
        status = facts.status()
        assert status["state"] == "live" and status["loaded"]
        assert status["position"].startswith("snapshot ")
        assert not facts.stale
        assert read(engine, "alice", "churn").allowed  # the owner, from the seed rows
        assert read(engine, "bob", "churn").code == "PERMISSION_DENIED"

        cluster.sql(database, "INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
                              "VALUES (41, 'churn', 'user', 'bob', 'READ')")
        assert eventually(lambda: read(engine, "bob", "churn").allowed)
        d = read(engine, "bob", "churn")
        assert d.grant_id == "41"
        assert facts.status()["position"].startswith("xid ")

        cluster.sql(database, "UPDATE model_permissions SET is_active = false WHERE id = 41")
        assert eventually(lambda: not read(engine, "bob", "churn").allowed)
        assert facts.status()["counters"]["changes"] >= 2
    assert facts.status()["state"] == "stopped"
    # The engine keeps the facts it had.
    assert read(engine, "alice", "churn").allowed


def test_a_mapping_that_is_refused_raises_with_its_code(database, engine, tmp_path):
    before = engine.facts_version
    bad = tmp_path / "bad.toml"
    bad.write_text("[grants\n")
    with pytest.raises(warden.FactsError) as e:
        engine.follow_postgres(database, bad)
    assert e.value.code == "P0101"
    assert "bad.toml" in str(e.value)
    assert engine.facts_version == before


def test_a_database_that_cannot_be_reached_raises_P0301_and_changes_nothing(cluster, engine):
    engine.replace_facts({"entities": []})
    before = engine.facts_version
    with pytest.raises(warden.FactsError) as e:
        engine.follow_postgres(cluster.url("no_such_database"), MAPPING)
    assert e.value.code == "P0301"
    assert engine.facts_version == before


def lowercase_level_mapping(tmp_path):
    """The example mapping reading the grant level as SQL of its own, so that
    a row can name a level the policy does not declare."""
    text = pathlib.Path(MAPPING).read_text()
    level = ('level = { column = "permission_level", map = { READ = "read", WRITE = "write", '
             'EXECUTE = "execute", ADMIN = "admin" } }')
    assert level in text
    path = tmp_path / "mapping.toml"
    path.write_text(text.replace(level, 'level = { sql = "lower(permission_level)" }'))
    return path


def test_rows_naming_what_the_policy_does_not_declare_warn_or_refuse(cluster, database, engine, tmp_path):
    mapping = lowercase_level_mapping(tmp_path)
    cluster.sql(database, "ALTER TABLE model_permissions DROP CONSTRAINT model_permissions_permission_level_check")
    cluster.sql(database, "INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
                          "VALUES (11, 'churn', 'user', 'bob', 'SUPERUSER')")
    finding = "row `11` of public.model_permissions: unknown level `superuser` in grant `11`"
    with pytest.raises(warden.FactsError) as e:
        engine.follow_postgres(database, mapping, facts_check="refuse")
    assert e.value.code == "F0404" and finding in e.value.message
    assert [f.message for f in e.value.findings] == [finding]
    assert engine.facts_version == 0

    with engine.follow_postgres(database, mapping) as facts:
        assert engine.facts_version == 1
        [f] = engine.last_fact_findings
        assert (f.code, f.message, f.warning) == ("F0404", finding, True)
        assert facts.status()["counters"]["fact_findings"] == 1
        assert not read(engine, "bob", "churn").allowed
