"""helpers.pins.pin: silent when its outcomes hold, raises under the book's tests, prints a note otherwise."""

import os

import numpy as np
import pytest

from helpers.pins import STRICT, pin

pytestmark = pytest.mark.helpers


def test_a_pin_that_holds_says_nothing(monkeypatch, capsys):
    for strict in ("1", "0"):
        monkeypatch.setenv(STRICT, strict)
        pin("holds", True)
        pin("a NumPy bool holds too, with a second outcome", np.float64(2.0) > 1, np.all(np.arange(3) >= 0))
        assert capsys.readouterr().out == ""


def test_the_book_tests_run_strict():
    assert os.environ.get(STRICT) == "1"  # set by tests/conftest.py, inherited by every kernel the tests start


def test_a_failing_pin_raises_under_the_book_tests(monkeypatch):
    monkeypatch.setenv(STRICT, "1")
    with pytest.raises(AssertionError, match=r"differs from the text: rate 8 stays saturated$"):
        pin("rate 8 stays saturated", 0.42 > 0.9)
    with pytest.raises(AssertionError, match=r"\(outcome 2 of 3 fails\)"):
        pin("three outcomes", True, 1 > 2, True)


@pytest.mark.parametrize("setting", [None, "0", ""])
def test_a_failing_pin_prints_a_note_for_a_reader(monkeypatch, capsys, setting):
    if setting is None:
        monkeypatch.delenv(STRICT, raising=False)
    else:
        monkeypatch.setenv(STRICT, setting)
    pin("every entry above 1", np.all(np.array([1, 2]) > 1))  # returns: the notebook goes on
    out = capsys.readouterr().out
    assert out.startswith("Note: this run differs from the text: every entry above 1.")
    assert out.count("\n") == 1


@pytest.mark.parametrize("holds", [np.array([True, True]), 1, "yes", None])
def test_a_pin_refuses_what_is_not_a_bool(holds):
    with pytest.raises(TypeError, match="outcome 1 must be True or False"):
        pin("a claim", holds)


@pytest.mark.parametrize("what", ["", "   ", None, True])
def test_a_pin_needs_its_sentence_first(what):
    with pytest.raises(TypeError, match="what must be the sentence"):
        pin(what, True)


def test_a_pin_needs_an_outcome():
    with pytest.raises(TypeError, match="at least one outcome"):
        pin("a claim")
