"""Text that came from a submission, made safe once, where it enters the grader.

Exception messages, problems, student ids and file names can carry anything: terminal escape
sequences that redraw the instructor's screen, lone surrogates that no UTF-8 writer accepts,
bidirectional overrides that make text read differently than it is, or megabytes of data
copied out of wherever the code could read. ``clean`` escapes every control and format
character, replaces lone surrogates and caps the length, so what comes out can go to a
terminal, HTML (still escaped there), CSV, a notebook or JSON.
"""

import os
import re
import unicodedata

#: How much of a student's exception message a hint quotes.
MESSAGE_LIMIT = 300
#: How much of an exception's type name.
NAME_LIMIT = 60

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: object, limit: int = MESSAGE_LIMIT, keep_newlines: bool = False) -> str:
    """Return ``text`` as a printable, one-line (unless ``keep_newlines``), bounded string; an
    exception as its message, a number as its digits, anything else as ""."""
    if isinstance(text, BaseException):
        text = _message(text)
    elif not isinstance(text, str):
        text = str(text) if isinstance(text, int | float) else ""
    text = _SURROGATE.sub("\ufffd", text[: limit * 4])
    out = []
    for ch in text:
        if keep_newlines and ch == "\n":
            out.append(ch)
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    result = "".join(out)
    return result if len(result) <= limit else result[: limit - 1] + "…"


def clean_surrogates(text: str) -> str:
    """Replace lone surrogates (which no UTF-8 file can hold) and nothing else: for code."""
    return _SURROGATE.sub("\ufffd", text)


def describe(exc: BaseException) -> str:
    """An exception as one clean line: its type and, where it has one, its message."""
    name, message = clean(type(exc).__name__, NAME_LIMIT), clean(exc)
    return f"{name}: {message}" if message else name


def _message(exc: BaseException) -> str:
    """What ``str(exc)`` says (a module's file named without its folder, which differs from
    machine to machine); an exception whose ``__str__`` itself fails says so instead."""
    try:
        text = str(exc)
        path = getattr(exc, "path", None) if isinstance(exc, ImportError) else None
    except Exception as failure:  # noqa: BLE001  (a class of the student's may break __str__)
        return f"(its message could not be read: {type(failure).__name__})"
    if isinstance(path, str) and path and isinstance(text, str):
        text = text.replace(path, os.path.basename(path))
    return text if isinstance(text, str) else ""
