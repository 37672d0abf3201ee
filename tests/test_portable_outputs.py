"""Stored outputs that hold on every machine.

The design (README, "How the book is tested"): a number at the level of floating-point rounding
is printed in scientific notation, and ``tests/nbval_sanitize.cfg`` masks every number in
scientific notation below 1e-4 on both sides of nbval's comparison; every other stored number
is compared exactly, so it may show only digits that no CPU, BLAS kernel or thread count changes.

Three checks keep it so:

- a static check over every stored output of every notebook flags a number the design does not
  cover: a tiny number in fixed point (the sanitizer cannot see it), a negative zero (a rounding
  residue of a quantity that is 0), or more than 10 significant digits;
- a second nbval pass with ``OPENBLAS_NUM_THREADS=1``: another summation order in every matrix
  product, the cheapest stand-in for another machine;
- two more nbval passes of the chapters that train ``MLP`` networks, with every ``MLP``'s initial
  weights scaled by 1 + 1e-15 and by 1 - 1e-15: after many steps of training, the kind of
  difference another machine's rounding makes. Every compared output and every ``assert`` of the
  chapter must survive them.

``python tests/rounding_probe.py`` goes further by hand (other OpenBLAS kernels, NumPy without
AVX-512) and lists every output that changes.
"""

from __future__ import annotations

import configparser
import json
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

from helpers._book import BOOK, code_cells

pytestmark = pytest.mark.book

ROOT = pathlib.Path(__file__).resolve().parents[1]
SANITIZER = ROOT / "tests" / "nbval_sanitize.cfg"
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
CHAPTERS = [ROOT / "notebooks" / f"{stem}.ipynb" for stem in BOOK.notebook_stems]  # and the notebooks continuing them

# A number as Python and NumPy print it: optional sign, digits with an optional fraction (or a
# fraction alone), an optional exponent. Digits glued to letters (W1, float64, 0x1f) are not numbers.
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def sanitize_patterns():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(SANITIZER)
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def sanitize(text, patterns=None):
    for regex, replace in patterns if patterns is not None else sanitize_patterns():
        text = regex.sub(replace, text)
    return text


def significant_digits(token):
    mantissa = re.split(r"[eE]", token.lstrip("+-"))[0]
    digits = mantissa.replace(".", "").lstrip("0")
    if "." not in mantissa:  # an integer: trailing zeros are not precision (1000000)
        digits = digits.rstrip("0")
    return len(digits)


def problems_in(text, patterns=None):
    """What the design forbids in one output text, after the sanitizer has masked what it covers."""
    found = []
    for token in NUMBER.findall(sanitize(text, patterns)):
        try:
            value = float(token)
        except ValueError:
            continue
        if token.startswith("-") and value == 0.0:
            found.append(f"{token}: a negative zero is the rounding residue of a 0; print it in scientific notation")
        elif 0.0 < abs(value) < 1e-4:
            found.append(f"{token}: a number below 1e-4 in fixed point escapes the sanitizer; print it as {value:.1e}")
        elif significant_digits(token) > 10:
            found.append(f"{token}: {significant_digits(token)} significant digits; the last ones depend on rounding")
    return found


def compared_outputs(cell):
    """The texts nbval compares for one code cell (it skips images and widget views)."""
    if "NBVAL_IGNORE_OUTPUT" in "".join(cell.get("source", "")):
        return []
    texts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            texts.append("".join(out["text"]))
        elif out["output_type"] in ("execute_result", "display_data"):
            data = out.get("data", {})
            texts += ["".join(data[k]) for k in ("text/plain", "text/html") if k in data]
    return texts


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_stored_numbers_are_covered_by_the_portability_design(path):
    patterns = sanitize_patterns()
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        for text in compared_outputs(cell):
            found += [f"cell {i}: {p}" for p in problems_in(text, patterns)]
    assert not found, f"{path.name}: stored numbers that may change on another machine:\n" + "\n".join(found)


@pytest.mark.parametrize("text, expected", [
    ("relative error 1.5e-10 (expect about 1e-9)", []),
    ("differ by < 1e-14", []),
    ("loss 0.0e+00 gradient 3.8e-16", []),
    ("loss 0.7096 -> 0.0094, accuracy 1.000 (6 of 450)", []),
    ("lr = 1.05 * 2/L_max: loss after 200 steps 1.644e+17", []),
    ("expanded product 0.0000099175", ["0.0000099175"]),
    ("sum of products: 1.083756396597", ["1.083756396597"]),
    ("every row sums to [ 0. -0.  0.]", ["-0."]),
    ("residual -0.000000", ["-0.000000"]),
    ("W1 of shape (64, 64), float64, seed 0", []),
])
def test_the_static_check_flags_what_the_sanitizer_does_not_cover(text, expected):
    flagged = [p.split(":")[0] for p in problems_in(text)]
    assert flagged == expected


def test_the_sanitizer_masks_rounding_level_numbers_and_nothing_else():
    assert sanitize("error 1.7e-10, before 1.5e-10") == sanitize("error 1.5e-10, before 1.7e-10")
    assert sanitize("< 1e-8 with h = 1e-4") == sanitize("< 1e-7 with h = 1e-4")
    assert sanitize("0.0e+00") == sanitize("3.8e-16")
    for kept in ("2.10e-04", "1.644e+17", "0.9778", "relative error 1.0e+00", "h = 1e-4"):
        assert sanitize(kept) == kept
        changed = kept[:-1] + ("3" if kept[-1] != "3" else "4")  # another last digit is still seen
        assert sanitize(changed) != sanitize(kept)


def test_the_chapters_are_validated_a_second_time_with_one_blas_thread():
    """Another summation order in every matrix product: a stored digit that depends on rounding
    fails here even on the machine that stored it."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider",
           "--nbval", "--nbval-current-env", "--nbval-cell-timeout=600",
           f"--nbval-sanitize-with={SANITIZER}",
           *[str(p) for p in CHAPTERS]]
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    tail = "\n".join(run.stdout.splitlines()[-40:])
    assert run.returncode == 0, f"nbval with OPENBLAS_NUM_THREADS=1 failed:\n{tail}\n{run.stderr[-2000:]}"
    assert re.search(r"\b\d+ passed\b", run.stdout), f"no notebook cell was validated:\n{tail}"


# The chapters that train helpers.MLP networks: their stored outputs must survive a change in the
# last digit of every initial weight, the kind of difference another machine's rounding makes
# after a few steps of training.
MLP_CHAPTERS = [p for p in CHAPTERS if any("MLP(" in s for s in code_cells(p))]

NUDGE_CELL = """\
# added by tests/test_portable_outputs.py: every MLP starts from its weights scaled by 1 + ({nudge}), once (a notebook
# that runs another nudged notebook first, as the companion of chapter 8 does, nudges no weight twice)
import helpers.mlp


def _nudged_init(self, *args, _init=helpers.mlp.MLP.__init__, **kwargs):
    _init(self, *args, **kwargs)
    for W, _ in self.params:
        W *= 1 + ({nudge})


if not getattr(helpers.mlp.MLP.__init__, "nudged", False):
    _nudged_init.nudged = True
    helpers.mlp.MLP.__init__ = _nudged_init
"""


def nudged_copy(path, nudge, folder):
    """A copy of the notebook at path whose first cell scales every MLP's initial weights by 1 + nudge."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = {"cell_type": "code", "execution_count": None, "id": "nudge", "metadata": {}, "outputs": [],
            "source": NUDGE_CELL.format(nudge=repr(nudge))}
    nb["cells"].insert(0, cell)
    copy = pathlib.Path(folder) / path.name
    copy.write_text(json.dumps(nb), encoding="utf-8")
    return copy


def test_the_nudge_cell_changes_the_weights_and_nothing_else(tmp_path):
    import helpers.mlp
    from helpers import MLP

    copy = nudged_copy(CHAPTERS[0], 1e-15, tmp_path)
    before = MLP.__init__
    try:
        for _ in range(2):  # run twice, as when a nudged notebook runs another nudged one: one nudge
            exec(json.loads(copy.read_text())["cells"][0]["source"], {})
        nudged = MLP([64, 8, 10], seed=3)
    finally:
        helpers.mlp.MLP.__init__ = before
    plain = MLP([64, 8, 10], seed=3)
    for (W, b), (W0, b0) in zip(nudged.params, plain.params):
        assert not np.array_equal(W, W0) and np.array_equal(W, W0 * (1 + 1e-15))
        assert np.array_equal(b, b0)
    assert MLP_CHAPTERS and all(p.name.startswith(("06_", "07_", "08")) for p in MLP_CHAPTERS)


@pytest.mark.parametrize("nudge", [1e-15, -1e-15])
def test_the_outputs_hold_when_every_initial_weight_moves_in_its_last_digit(nudge, tmp_path):
    """Each chapter that trains MLPs, re-run with every MLP's initial weights scaled by 1 + nudge:
    every stored output nbval compares must come out the same, and every assert in the chapter
    must hold on the new trajectories."""
    copies = [str(nudged_copy(p, nudge, tmp_path)) for p in MLP_CHAPTERS]
    cmd = [sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider",
           "--nbval", "--nbval-current-env", "--nbval-cell-timeout=600",
           f"--nbval-sanitize-with={SANITIZER}", f"--rootdir={tmp_path}", *copies]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    run = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True)
    tail = "\n".join(run.stdout.splitlines()[-60:])
    assert run.returncode == 0, f"nbval, initial weights scaled by 1 + ({nudge}), failed:\n{tail}\n{run.stderr[-2000:]}"
    assert re.search(r"\b\d+ passed\b", run.stdout), f"no notebook cell was validated:\n{tail}"
