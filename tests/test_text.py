"""Text from a submission, cleaned once where it enters the grader."""

import pytest

from autograder.text import MESSAGE_LIMIT, clean, clean_surrogates

CASES = {
    "an escape sequence that clears the screen": ("\x1b[2J\x1b[Hgot 20/20", "\\x1b[2J\\x1b[Hgot 20/20"),
    "a carriage return that overwrites the line": ("0/20\r20/20", "0/20\\x0d20/20"),
    "a bell and a C1 control": ("a\x07b\x9bc", "a\\x07b\\x9bc"),
    "a right-to-left override": ("abc\u202edef", "abc\\u202edef"),
    "a lone surrogate": ("x\ud800y", "x\ufffdy"),
    "a newline in a one-line message": ("line 1\nline 2", "line 1\\x0aline 2"),
    "a tab": ("a\tb", "a b"),
    "plain text with accents and symbols": ("Grüße: ±1 ≤ 2", "Grüße: ±1 ≤ 2"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_clean_makes_text_printable(name):
    """Is each kind of hostile character escaped or replaced, and plain text kept as it is?"""
    text, want = CASES[name]
    assert clean(text) == want


def test_clean_caps_the_length():
    """Is a long message cut to the limit, with an ellipsis?"""
    out = clean("A" * 10_000)
    assert len(out) == MESSAGE_LIMIT and out.endswith("…")


def test_clean_keeps_newlines_when_asked():
    """Are newlines kept for multi-line text when asked, and only they?"""
    assert clean("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"


def test_clean_turns_anything_into_text():
    """Does a non-string (an exception's odd type, None) become safe text?"""
    assert clean(None) == "" and clean(3) == "3"


def test_clean_surrogates_leaves_code_alone():
    """Does cleaning code replace only lone surrogates?"""
    assert clean_surrogates("x = '\x1b'\ud800") == "x = '\x1b'\ufffd"
