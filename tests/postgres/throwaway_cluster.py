"""A throwaway PostgreSQL cluster for the binding tests (Python and Node):
Debian's binaries, a temporary directory, loopback only, as `nobody` when
run as root (PostgreSQL refuses root), like tests/postgres/pg_cluster.cpp
does for the C++ tests.

As a module: `Cluster()` starts one, `.create_database(name)` returns a URL
with the scenario-2 example schema and rows loaded, `.sql(url, text)` runs
SQL with psql, `.stop()` removes everything. As a command (for the Node
tests): `throwaway_cluster.py start` prints one JSON line {"dir", "port"},
`database PORT NAME` prints the URL of a new example database, `sql URL
TEXT` runs SQL, and `stop DIR` stops and removes that cluster.
"""

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile

BIN = pathlib.Path(os.environ.get("WARDEN_PG_BIN", "/usr/lib/postgresql/15/bin"))
NOBODY = 65534
ROOT = pathlib.Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(args):
    if os.geteuid() != 0:
        return args
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"] + args


class Cluster:
    def __init__(self, directory=None, port=None):
        if directory is not None:  # an existing cluster (stop only)
            self.dir, self.port = pathlib.Path(directory), port
            return
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="warden-pg-"))
        if os.geteuid() == 0:
            os.chmod(self.dir, 0o700)
            os.chown(self.dir, NOBODY, NOBODY)
        self.port = _free_port()
        data = self.dir / "data"
        subprocess.run(_as_owner([str(BIN / "initdb"), "-D", str(data), "-U", "warden", "-A", "trust", "-E", "UTF8",
                                  "--locale=C", "--no-sync", "--no-instructions"]),
                       check=True, capture_output=True)
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = '{self.dir}'\n"
                       "fsync = off\nfull_page_writes = off\nmax_connections = 20\nshared_buffers = 32MB\n")
        subprocess.run(_as_owner([str(BIN / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "server.log"), "-w",
                                  "-t", "60", "start"]), check=True, capture_output=True)

    def url(self, database):
        return f"postgresql://warden@127.0.0.1:{self.port}/{database}"

    def sql(self, url, text):
        subprocess.run([str(BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", text], check=True,
                       capture_output=True)

    def create_database(self, name):
        """A database with the example schema and rows (examples/postgres/)."""
        self.sql(self.url("postgres"), f"CREATE DATABASE {name}")
        url = self.url(name)
        for f in ("schema.sql", "seed.sql"):
            subprocess.run([str(BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f",
                            str(ROOT / "examples/postgres" / f)], check=True, capture_output=True)
        return url

    def stop(self):
        if (self.dir / "data" / "postmaster.pid").exists():
            subprocess.run(_as_owner([str(BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "-w",
                                      "stop"]), capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["start"]:
        c = Cluster()
        print(json.dumps({"dir": str(c.dir), "port": c.port}))
    elif sys.argv[1:2] == ["database"] and len(sys.argv) == 4:
        print(Cluster("", int(sys.argv[2])).create_database(sys.argv[3]))
    elif sys.argv[1:2] == ["sql"] and len(sys.argv) == 4:
        Cluster("", 0).sql(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["stop"] and len(sys.argv) == 3:
        Cluster(sys.argv[2]).stop()
    else:
        sys.exit("usage: throwaway_cluster.py start | database PORT NAME | sql URL TEXT | stop DIR")
