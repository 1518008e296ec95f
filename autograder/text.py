"""Text that came from a submission, made safe once, where it enters the grader.

Exception messages, problems, student ids and file names can carry anything: terminal escape
sequences that redraw the instructor's screen, lone surrogates that no UTF-8 writer accepts,
bidirectional overrides that make text read differently than it is, or megabytes of data
copied out of wherever the code could read. ``clean`` escapes every control and format
character, replaces lone surrogates and caps the length, so what comes out can go to a
terminal, HTML (still escaped there), CSV, a notebook or JSON.
"""

import re
import unicodedata

#: How much of a student's exception message a hint quotes.
MESSAGE_LIMIT = 300
#: How much of an exception's type name.
NAME_LIMIT = 60

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: object, limit: int = MESSAGE_LIMIT, keep_newlines: bool = False) -> str:
    """Return ``text`` as a printable, one-line (unless ``keep_newlines``), bounded string."""
    if not isinstance(text, str):
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
