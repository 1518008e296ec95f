"""A folder a session wrote, measured and removed whatever the code made of it: folders nested
deeper than Python's recursion allows, folders it made unreadable, links anywhere.

Used inside the sandbox (the zygote and a session's leader, standard library only) and by the
grader for the zygote's staging folder. Nothing here follows a symbolic link.
"""

import os
import stat


def _entries(folder: str) -> list[os.DirEntry]:
    """The folder's entries; a folder its owner made unreadable is opened up first."""
    try:
        return list(os.scandir(folder))
    except PermissionError:
        try:
            os.chmod(folder, 0o700, follow_symlinks=False)
            return list(os.scandir(folder))
        except OSError:
            return []
    except OSError:
        return []


def usage(folder: str, most_entries: int, most_bytes: int) -> tuple[int, int]:
    """(entries, bytes on disk) under ``folder``, counting stopped once past either bound."""
    entries, size, stack = 0, 0, [folder]
    while stack and entries <= most_entries and size <= most_bytes:
        for entry in _entries(stack.pop()):
            entries += 1
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            size += info.st_blocks * 512
            if stat.S_ISDIR(info.st_mode):
                stack.append(entry.path)
    return entries, size


def remove(folder: str) -> None:
    """Remove ``folder`` and everything under it, as far as its owner may (no error raised)."""
    stack, folders = [folder], []
    while stack:
        current = stack.pop()
        folders.append(current)
        try:  # a folder its owner closed to writing: its entries could not be removed
            os.chmod(current, 0o700, follow_symlinks=False)
        except OSError:
            pass
        for entry in _entries(current):
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                stack.append(entry.path)
            else:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
    for current in reversed(folders):  # the deepest first
        try:
            os.rmdir(current)
        except OSError:
            pass
