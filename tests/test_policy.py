"""The isolation policy's parts that need no sandbox: names, limits, and the Landlock rules'
paths (the sandboxes themselves: test_isolation.py, test_deployments.py, test_container.py)."""

import pytest

from autograder.errors import KitError
from autograder.sandbox import policy
from autograder.sandbox.environment import carve
from autograder.sandbox.policy import Isolation, Limits


def test_a_mode_is_parsed_and_a_typo_is_an_error():
    """Is each mode's name parsed to it, and is a name that is no mode a KitError that lists
    every mode?"""
    assert [Isolation.parse(m.value) for m in Isolation] == list(Isolation)
    with pytest.raises(KitError, match="there is no sandbox 'namspaces'") as raised:
        policy.choose("namspaces")
    assert raised.value.fix == "choose one of: auto, namespaces, landlock, uid, none"


def test_none_is_chosen_only_when_asked_and_says_so():
    """Does --sandbox none need no probe and say it was asked for?"""
    assert str(policy.choose("none")) == "none (asked for: no sandbox)"


def test_every_settable_limit_has_a_flag_a_trait_and_help():
    """Do the limits an instructor sets each carry the command line's flag, nbgrader's trait
    name and a help text, the same ones every path reads?"""
    settable = {f.name: f.metadata for f in Limits.settable()}
    assert set(settable) == {"seconds", "memory_mb", "cell_seconds"}
    assert {m["flag"] for m in settable.values()} == {"--timeout", "--memory", "--cell-timeout"}
    assert all(m["traitlet"] and m["help"] for m in settable.values())


def test_carving_leaves_out_the_masked_folder_and_nothing_else(tmp_path):
    """Does a runtime folder with a private folder inside become rules for every entry on the
    way to it but the private one itself, and stay whole where nothing is masked?"""
    runtime = tmp_path / "runtime"
    for path in ("lib/numpy/core.py", "lib/kit/secret.py", "lib/kit/.keep", "bin/python", "share/x"):
        (runtime / path).parent.mkdir(parents=True, exist_ok=True)
        (runtime / path).write_text("")
    other = tmp_path / "other"
    other.mkdir()
    kept = carve([str(runtime), str(other)], [str(runtime / "lib" / "kit")])
    assert kept == [str(runtime / "bin"), str(runtime / "lib" / "numpy"), str(runtime / "share"), str(other)]
    assert carve([str(runtime)], [str(runtime)]) == []
