"""Turns on a database file, first come first served, across processes and threads.

Only one process at a time may open a DuckDB file, so every operation of the store takes a
turn. An operation joins the line in ``<file>.queue/`` with a ticket: a file named by the time
it arrived (``time.time_ns()``, then its process id and a counter), created under a temporary
name, locked with ``flock`` by its operation and only then renamed into the line, so every
ticket in the line is locked while its operation lives. The operation waits until no ticket
older than its own is left, then takes the turn proper: a lock per path among the threads of
its process and an ``flock`` on ``<file>.lock`` among processes (which also keeps out a process
that does not queue). When it is done it lets go of the file, then of its ticket.

A ticket whose lock can be taken belongs to an operation that ended: one killed by SIGKILL
leaves its ticket, but the kernel released the lock with the process, and the next in line
removes it. So neither a killed holder nor a killed waiter blocks anybody.

Waiting costs little: each operation watches only the ticket just ahead of its own (``flock``
without blocking, a few milliseconds apart, less often further back in the line) and counts
the line now and then. An operation waits as long as the line moves; it gives up only when the
line has not moved for ``timeout`` seconds, which means one operation (or a program that takes
no turns, such as the ``duckdb`` shell) has held the file that long. While it waits longer than
:data:`NOTICE_AFTER` it reports its place to a callback (the command line prints it).

Where the folder cannot be written (a read-only database) or the file system has no ``flock``,
operations skip the line and take the turn proper directly, polling with backoff as DuckDB's
own lock on the file would make them.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import random
import threading
import time
from pathlib import Path

from planner.store.base import WaitNotice

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: DuckDB's own lock, retried, is the only turn
    fcntl = None  # type: ignore[assignment]

NOTICE_AFTER = 2.0
"""Seconds of waiting before the first notice."""

NOTICE_EVERY = 5.0
"""Seconds between notices after the first."""

COUNT_EVERY = 0.5
"""Seconds between counts of the line (to see it move and for the notices)."""

POLL = 0.002
"""Seconds between looks at the ticket just ahead, for the first in line; further back, this
times the place in line, at most :data:`POLL_MAX`."""

POLL_MAX = 0.05

STALE_PENDING = 10.0
"""Seconds after which a ticket that never entered the line (its process died between creating
and renaming it) is removed."""

_TICKET = "t-"
_PENDING = "p-"
_COUNTER = itertools.count()
_PATH_LOCKS: dict[str, threading.Lock] = {}
_PATH_LOCKS_GUARD = threading.Lock()


class TurnTimeout(Exception):
    """The line, or the holder of the file, did not move for the timeout."""


def _path_lock(path: Path) -> threading.Lock:
    """The lock that gives the threads of this process their turns on one file."""
    key = str(path.absolute())
    with _PATH_LOCKS_GUARD:
        return _PATH_LOCKS.setdefault(key, threading.Lock())


def backoff(delay: float, deadline: float, cap: float) -> float:
    """Sleep about ``delay`` seconds (jittered, never past ``deadline``); return the next delay."""
    time.sleep(max(0.0, min(deadline - time.monotonic(), delay * (0.5 + random.random()))))
    return min(delay * 2, cap)


def _try_lock(fd: int) -> bool:
    """Take the ``flock`` of ``fd`` if nobody holds it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _close(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):  # removed already, by its owner or another in line
        path.unlink()


class _Ticket:
    """This operation's place in the line: a locked file in the queue folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        stamp = f"{time.time_ns():020d}-{os.getpid():010d}-{next(_COUNTER):09d}"
        self.name = _TICKET + stamp
        self.gone: set[str] = set()  # tickets ahead that ended but could not be removed
        pending = folder / (_PENDING + stamp)
        self.fd: int | None = os.open(pending, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.fchmod(self.fd, 0o644)  # whatever the umask: others in line must open it
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: nobody holds it
            os.rename(pending, folder / self.name)  # in line only once locked
        except BaseException:
            _unlink(pending)
            self.leave()
            raise

    def ahead(self) -> list[str]:
        """The tickets older than this one, oldest first (some may have ended: see
        :meth:`wait`)."""
        names = []
        now = time.time()
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name.startswith(_TICKET):
                    if entry.name < self.name and entry.name not in self.gone:
                        names.append(entry.name)
                elif entry.name.startswith(_PENDING):
                    _drop_stale_pending(entry.path, now)
        return sorted(names)

    def wait(self, timeout: float, notice: WaitNotice | None) -> bool:
        """Wait until no live ticket is older than this one.

        Returns
        -------
        bool
            False when the line has not moved for ``timeout`` seconds: an operation ahead holds
            the file that long, or waits without moving (a stopped process).
        """
        started = moved = counted = time.monotonic()
        noticed = started - NOTICE_EVERY + NOTICE_AFTER
        ahead = self.ahead()
        watched: tuple[str, int] | None = None  # the ticket just ahead, and a descriptor on it
        try:
            while ahead:
                if watched is None or watched[0] != ahead[-1]:
                    _close(watched[1] if watched else None)
                    watched = self._watch(ahead[-1])
                if watched is None or _try_lock(watched[1]):
                    if watched is not None:  # its operation ended: out of the line
                        self._remove(watched[0])
                        _close(watched[1])
                        watched = None
                    ahead.pop()
                    moved = time.monotonic()
                    continue
                now = time.monotonic()
                if now - counted >= COUNT_EVERY:
                    fresh = self.ahead()
                    if set(ahead) - set(fresh):  # some ahead left the line
                        moved = now
                    ahead, counted = fresh, now
                    continue
                if now - moved >= timeout:
                    return False
                if notice is not None and now - noticed >= NOTICE_EVERY:
                    notice(len(ahead), now - started)
                    noticed = now
                time.sleep(min(POLL * len(ahead), POLL_MAX))
        finally:
            _close(watched[1] if watched else None)
        return True

    def _watch(self, name: str) -> tuple[str, int] | None:
        """A descriptor on a ticket ahead, or None when it is gone (or cannot be read)."""
        try:
            return name, os.open(self.folder / name, os.O_RDONLY)
        except OSError:
            self.gone.add(name)
            return None

    def _remove(self, name: str) -> None:
        try:
            (self.folder / name).unlink()
        except FileNotFoundError:
            pass  # its owner or another in line removed it
        except OSError:
            self.gone.add(name)  # not ours to remove: passed over from now on

    def leave(self) -> None:
        """Leave the line: remove the ticket, then let go of its lock."""
        if self.fd is not None:
            _unlink(self.folder / self.name)
            _close(self.fd)
            self.fd = None


def _drop_stale_pending(path: str, now: float) -> None:
    """Remove a ticket that never entered the line because its process died."""
    try:
        if now - os.stat(path).st_mtime < STALE_PENDING:
            return
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        if _try_lock(fd):
            _unlink(Path(path))
    finally:
        os.close(fd)


class Turn:
    """One operation's turn on a database file.

    Parameters
    ----------
    path : pathlib.Path
        The database file; the line is ``<file>.queue/`` and the lock ``<file>.lock``.
    timeout : float
        Seconds the line, or the holder of the file, may stand still before :meth:`acquire`
        gives up.
    notice : callable, optional
        Told ``(operations ahead, seconds waited)`` every :data:`NOTICE_EVERY` seconds once the
        wait passed :data:`NOTICE_AFTER`.
    """

    def __init__(self, path: Path, timeout: float, notice: WaitNotice | None = None):
        self.timeout = timeout
        self.notice = notice
        self.thread_lock = _path_lock(path)
        self.queue_path = path.with_name(path.name + ".queue")
        self.lock_path = path.with_name(path.name + ".lock")
        self.ticket: _Ticket | None = None
        self.fd: int | None = None
        self.thread_locked = False

    def acquire(self) -> None:
        """Wait in line, then take the turn.

        When the line stood still for the timeout, the turn is still taken if the file is free
        (the operation ahead is stopped, not holding it).

        Raises
        ------
        TurnTimeout
            When the line and the holder did not move for the timeout; nothing is held then.
        """
        try:
            self.ticket = self._join()
            moving = self.ticket is None or self.ticket.wait(self.timeout, self.notice)
            if not self.thread_lock.acquire(timeout=self.timeout if moving else 0.0):
                raise TurnTimeout
            self.thread_locked = True
            self.fd = self._flock(time.monotonic() + (self.timeout if moving else 0.0))
        except BaseException:
            self.release()
            raise

    def _join(self) -> _Ticket | None:
        """A ticket in the line, or None where there can be no line."""
        if fcntl is None:
            return None
        try:
            self.queue_path.mkdir(exist_ok=True)
            return _Ticket(self.queue_path)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOLCK,
                             errno.EOPNOTSUPP, errno.ENOENT, errno.ENOSPC, errno.EDQUOT):
                return None  # a read-only or full folder, or no flock: no line, no fairness
            raise

    def _flock(self, deadline: float) -> int | None:
        """The lock on ``<file>.lock`` (normally free: the one before let go of it first)."""
        if fcntl is None:
            return None
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            try:
                fd = os.open(self.lock_path, os.O_RDONLY)
            except OSError:
                return None  # a read-only folder: DuckDB's own lock, retried, guards the file
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:  # a process that does not queue holds it
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise TurnTimeout from None
                delay = backoff(delay, deadline, 0.02)
            except OSError:
                os.close(fd)
                return None  # a file system without locks: as above

    def release(self) -> None:
        """Let go of the file's lock, then of the thread lock, then leave the line."""
        _close(self.fd)
        self.fd = None
        if self.thread_locked:
            self.thread_lock.release()
            self.thread_locked = False
        if self.ticket is not None:
            self.ticket.leave()
            self.ticket = None
