"""The benchmark's own PostgreSQL server, started with the settings production gives PostgreSQL (the `command` of
the `postgres` service in docker-compose.yml), so that the figures measure the code on a server sized for this
data rather than on Debian's defaults: 128 MB of shared buffers for ~2.5 GB of notes, daily metrics, rollups and
their indexes, and a checkpoint every 1 GB of WAL. The machine's server of the test suite is left as it is;
`run.py --database-url` measures on it (or any other) instead.

The cluster lives in artifacts/bench/pgdata (created on first use, kept for `--skip-generate`), listens on
127.0.0.1:5499 only while the benchmark runs, and belongs to the user running it — to `postgres` when that is root,
as PostgreSQL refuses to run as root."""

import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "artifacts" / "bench" / "pgdata"
PORT = 5499
OWNER = "postgres"  # who runs the server when the benchmark runs as root


def production_settings() -> list[str]:
    """The flags docker-compose gives its PostgreSQL (`-c name=value` …)."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return compose["services"]["postgres"]["command"][1:]


def _bindir() -> Path:
    try:
        return Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip())
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(
            "bench: PostgreSQL's server programs (pg_config, initdb, pg_ctl) are needed for the benchmark's own "
            "server; install them, or measure on a running server with --database-url"
        ) from error


def _as_owner() -> list[str]:
    return ["runuser", "-u", OWNER, "--"] if os.geteuid() == 0 else []


def _ctl(bindir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*_as_owner(), str(bindir / "pg_ctl"), "-D", str(DATA), *args], check=check, capture_output=True, text=True
    )


def _initdb(bindir: Path) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(DATA, OWNER, OWNER)
    initdb = [str(bindir / "initdb"), "-D", str(DATA), "-U", "postgres", "-A", "trust", "--no-locale", "-E", "UTF8"]
    subprocess.run([*_as_owner(), *initdb], check=True, capture_output=True)


@contextmanager
def own_server() -> Iterator[str]:
    """The database URL of the benchmark's server, running for the duration of the block."""
    bindir = _bindir()
    if not (DATA / "PG_VERSION").exists():
        _initdb(bindir)
    _ctl(bindir, "-m", "fast", "stop", check=False)  # one left running by an interrupted benchmark
    settings = production_settings()
    flags = ["-p", str(PORT), "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={DATA}", *settings]
    _ctl(bindir, "-w", "-l", str(DATA / "server.log"), "-o", shlex.join(flags), "start")
    print(f"bench: own PostgreSQL on 127.0.0.1:{PORT}, {' '.join(settings[1::2])}", flush=True)
    try:
        yield f"postgres://postgres@127.0.0.1:{PORT}/kos_bench"
    finally:
        _ctl(bindir, "-m", "fast", "-w", "stop", check=False)
