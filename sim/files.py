"""Writing files whole or not at all.

Every table, figure and page the project writes goes through `atomic_write`: the
content is written to a temporary file in the destination folder and renamed over
the destination, so a killed process never leaves a half-written file that a
later run (a resumed sweep, a stale-check) would read as finished.

Temporary files and folders are made private (mode 600 and 700) by `tempfile`; once
whole they get the modes the user's umask gives any new file (`readable`), so a
colleague on a shared lab machine, or a web server, can read results the way they
could read anything else this user writes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def umask() -> int:
    """This process's umask, read from /proc where it can be (setting it to find it is not thread-safe)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def readable(path: str | Path) -> None:
    """Give a file (or folder) made by tempfile the mode open() or mkdir() would have given it."""
    os.chmod(path, (0o777 if os.path.isdir(path) else 0o666) & ~umask())


def atomic_write(path: str | Path, write: Callable[[str], object]) -> None:
    """Call `write(tmp_path)`, then rename the temporary file to `path` (same folder, same filesystem)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        readable(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write text (UTF-8, '\\n' line ends) atomically."""
    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8", newline="\n"))


#: The pointer beside the results folders to the one written last (`outputs/latest`).
LATEST = "latest"


def point_latest(root: str | Path, folder: str | Path) -> Path | None:
    """Make `<root>/latest` a relative symbolic link to `folder`, replaced atomically; None (and no
    link) when `folder` is not under `root` (a hydra.run.dir given elsewhere).

    Whatever was run last (a job, a sweep, a design) is then at the same path, so a reader
    never has to know the time stamp or the experiment's folder name.
    """
    root, folder = Path(root), Path(folder)
    if not folder.resolve().is_relative_to(root.resolve()):
        return None
    link = root / LATEST
    target = os.path.relpath(folder.resolve(), root.resolve())
    tmp = root / f".{LATEST}.{os.getpid()}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp, target_is_directory=True)
    os.replace(tmp, link)
    return link
