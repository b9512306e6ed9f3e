"""Writing and moving knowledge files so that the folder is always whole, and its lock.

Every write goes to a temporary dot-file in the folder (which the loader ignores), is synced, then
renamed over its name; the folder is synced after. A file leaves only by moving into the history
folder, never by deletion. On any OSError the folder is left as it was: only the temporary file
made here is removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

from bot.desk.names import history_name

HISTORY = ".history"  # not a *.toml file of the folder's top level: the loader never reads it
LOCK = ".desk.lock"
LOCK_WAIT_SECONDS = 30.0
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class DeskBusyError(Exception):
    """Another process kept the knowledge folder locked for too long."""


class OutsideError(Exception):
    """A name that would not stay inside the knowledge folder (never written)."""


def path_in(directory: Path, name: str) -> Path:
    """``name`` in the folder, proven by realpath to stay inside it (OutsideError if not)."""
    root = os.path.realpath(directory)
    if not name or name in {".", ".."} or os.path.basename(name) != name or "\0" in name:
        raise OutsideError(f"{name!r} is not a plain file name")
    path = os.path.join(root, name)
    # A link at that name is replaced or moved itself, never written through.
    where = path if os.path.islink(path) else os.path.realpath(path)
    if os.path.dirname(where) != root:
        raise OutsideError(f"{name!r} would be outside the knowledge folder")
    return Path(path)


def readable(directory: Path, name: str) -> Path:
    """The file to read for ``name``: itself, or where its link leads, inside the folder."""
    path = path_in(directory, name)
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(os.path.realpath(directory)):
        raise OutsideError(f"{name!r} is a link to a file outside the knowledge folder")
    return target


def history_dir(directory: Path) -> Path:
    """The history folder inside the knowledge folder, made if missing (a real folder, no link)."""
    path = path_in(directory, HISTORY)
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, 0o755)
    if path.is_symlink() or not path.is_dir():
        raise OutsideError(f"{HISTORY} in the knowledge folder is not a folder")
    return path


def write_file(directory: Path, name: str, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` as ``name`` atomically: temp dot-file, fsync, rename, fsync the folder."""
    target = path_in(directory, name)
    if not overwrite and os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, "a file of that name appeared meanwhile", name)
    temp = _write_temp(target.parent, name, data)
    try:
        os.replace(temp, target)
    except BaseException:
        _discard(temp)
        raise
    _sync_dir(target.parent)
    return target


def replace_file(directory: Path, old: str, new: str, data: bytes) -> str:
    """Put ``data`` in place of the file ``old`` (as ``new``); the old one into history.

    Whatever a concurrent reader sees is the old folder, the new one, or (names differing) both
    files at once, which fails to load (a duplicate article id) and so is never served.
    Returns the history entry's name.
    """
    old_path, new_path = path_in(directory, old), path_in(directory, new)
    history = history_dir(directory)
    entry = _free_entry(history, old)
    temp = _write_temp(new_path.parent, new, data)
    try:
        if old == new:
            # Keep the old bytes under history first, then swap the new ones in at once.
            _keep(old_path, history / entry)
            try:
                os.replace(temp, new_path)
            except BaseException:
                _discard(history / entry)
                raise
        else:
            if os.path.lexists(new_path):
                raise FileExistsError(errno.EEXIST, "a file of that name appeared meanwhile", new)
            os.replace(temp, new_path)
            try:
                os.rename(old_path, history / entry)
            except BaseException:
                # Back out: the new file is ours, and the folder must be as it was.
                os.replace(new_path, temp)
                raise
    except BaseException:
        _discard(temp)
        raise
    _sync_dir(new_path.parent)
    _sync_dir(history)
    return entry


# Where hard links are not to be had (some network and FUSE filesystems), history gets a copy.
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV}


def _keep(path: Path, entry: Path) -> None:
    """The file at ``path`` also as ``entry``: a hard link, else a synced copy of its bytes."""
    try:
        os.link(path, entry, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        temp = _write_temp(entry.parent, entry.name, path.read_bytes())
        try:
            os.replace(temp, entry)
        except BaseException:
            _discard(temp)
            raise


def move_to_history(directory: Path, name: str) -> str:
    """Move the file ``name`` into the history folder; the entry's name there."""
    path = path_in(directory, name)
    history = history_dir(directory)
    entry = _free_entry(history, name)
    os.rename(path, history / entry)
    _sync_dir(path.parent)
    _sync_dir(history)
    return entry


def _free_entry(history: Path, name: str) -> str:
    """A history name not yet used: the moment's stamp makes clashes all but impossible."""
    entry = history_name(name)
    n = 1
    while os.path.lexists(history / entry):
        n += 1
        entry = f"{history_name(name)}-{n}"
    return entry


def _write_temp(folder: Path, name: str, data: bytes) -> Path:
    """``data`` in a new synced dot-file of ``folder`` (the loader skips dot-files)."""
    temp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(temp, _CREATE, 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _discard(temp)
        raise
    return temp


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _sync_dir(folder: Path) -> None:
    """Make the folder's new entries durable (a rename is not until its folder is synced)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.asynccontextmanager
async def folder_lock(directory: Path, wait: float | None = None) -> AsyncIterator[None]:
    """Hold the folder's desk lock (an flock on a dot-file), shared by every process using it.

    Raises DeskBusyError after ``wait`` seconds (LOCK_WAIT_SECONDS), OSError if the lock file
    cannot be opened.
    """
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    path = path_in(directory, LOCK)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if asyncio.get_running_loop().time() > deadline:
                    raise DeskBusyError from None
                await asyncio.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock
