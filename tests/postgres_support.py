"""A throwaway PostgreSQL server for the tests: ``initdb`` and ``pg_ctl`` in a temporary folder,
on a Unix socket only, as the ``postgres`` user when the tests run as root; one per test
process (each xdist worker has its own), stopped when the session ends.

Each test gets its own database, made with ``CREATE DATABASE ... TEMPLATE`` (a copy of an empty
or a loaded database, which takes a fraction of a second).
"""

from __future__ import annotations

import glob
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

HOW_TO_ENABLE = ("apt-get install postgresql, or put initdb and pg_ctl on PATH or in "
                 "PLANNER_PG_BIN, to run the PostgreSQL store tests")
"""The line a skipped PostgreSQL test says (outside CI, where it fails instead)."""

SUPERUSER = "planner"


def server_user_missing() -> bool:
    """Whether the tests run as root on a machine without the ``postgres`` user (the server
    refuses to run as root)."""
    if os.geteuid() != 0:
        return False
    import pwd

    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return True
    return False


def server_binaries() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or None.

    ``PLANNER_PG_BIN`` first, then ``PATH``, then Debian's ``/usr/lib/postgresql/<n>/bin``
    (the highest version).
    """
    candidates: list[Path] = []
    if os.environ.get("PLANNER_PG_BIN"):
        candidates.append(Path(os.environ["PLANNER_PG_BIN"]))
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)

    def major(path: str) -> int:
        number = re.search(r"/postgresql/(\d+)/", path)
        return int(number.group(1)) if number else 0

    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=major,
                                           reverse=True)]
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


class PostgresServer:
    """A PostgreSQL server of its own in a temporary folder, reached by a Unix socket.

    Parameters
    ----------
    binaries : pathlib.Path
        The folder of ``initdb`` and ``pg_ctl``.
    """

    def __init__(self, binaries: Path):
        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="planner-pg-"))
        self.data = self.folder / "data"
        self.socket = self.folder / "socket"
        self.log = self.folder / "server.log"
        self._as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        self._names = itertools.count(1)
        self.socket.mkdir()
        if self._as_postgres:
            import pwd

            entry = pwd.getpwnam("postgres")
            for path in (self.folder, self.socket):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        self.start()
        self.admin("CREATE DATABASE planner_empty")

    def _run(self, program: str, *args: str) -> None:
        options: dict = ({"user": "postgres", "group": "postgres", "extra_groups": []}
                         if self._as_postgres else {})
        subprocess.run([str(self.binaries / program), *args], check=True, cwd=self.folder,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120,
                       **options)

    def start(self) -> None:
        """Start the server (and wait until it accepts connections)."""
        settings = (f"-k {self.socket} -c listen_addresses='' -F -c max_connections=300 "
                    "-c shared_buffers=16MB -c full_page_writes=off")
        self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.log),
                  "-o", settings)

    def stop(self) -> None:
        """Stop the server at once (``-m fast``: sessions are ended, commits are kept)."""
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    def remove(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, dbname: str) -> str:
        """The address of one database of this server."""
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.socket}"

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (``CREATE DATABASE`` and the like)."""
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, template: str = "planner_empty") -> str:
        """A new database copied from ``template``; its address.

        ``FILE_COPY`` copies the template's files (and takes a checkpoint, cheap without
        fsync) rather than writing the copy to the WAL block by block, which is slower here.
        """
        name = f"t{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`new_database`, ending its sessions (so the disk
        holds only the databases of the running test)."""
        name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
