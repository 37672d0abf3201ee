"""The chapters' checks bite: break a derivative the way real mistakes do, and an assert fails.

Each mutant is one textual change, either to a copy of ``helpers`` (which the chapter's kernel then
imports instead of the installed one) or to one code cell of a chapter. The chapter is executed
with the mutant and must stop at an ``AssertionError``: a shape error raised by NumPy, or a chapter
that runs to the end, means no check in the book would have noticed the mistake.

The mistakes are the ones the book teaches: the diagonal-only softmax Jacobian, sigma' left out,
a sum where the mean was meant, a naive log-softmax, a transposed weight gradient, a wrong Huber
branch, and their relatives.
"""

from __future__ import annotations

import dataclasses
import pathlib
import shutil

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers._book import BOOK

pytestmark = pytest.mark.book

ROOT = pathlib.Path(__file__).resolve().parents[1]


@dataclasses.dataclass(frozen=True)
class Mutant:
    name: str
    chapter: str  # the chapter expected to catch it, by number
    where: str  # a file below helpers/, or "cell" for a code cell of the chapter
    old: str
    new: str

    def __str__(self):
        return self.name


HELPERS_MUTANTS = [
    Mutant("softmax_jacobian keeps only the diagonal p_i (1 - p_i)", "07", "softmax.py",
           "        return np.diag(p) - np.outer(p, p)  # (C, C)\n", "        return np.diag(p * (1 - p))  # (C, C)\n"),
    Mutant("softmax_jacobian forgets the -p_i p_j term", "07", "softmax.py",
           "        return np.diag(p) - np.outer(p, p)  # (C, C)\n", "        return np.diag(p)  # (C, C)\n"),
    Mutant("cross_entropy_grad sums where the mean was meant", "07", "softmax.py",
           "    if reduction == \"mean\":\n        grad /= z.shape[0]\n    return grad[0] if squeeze else grad",
           "    return grad[0] if squeeze else grad"),
    Mutant("log_softmax as the log of the softmax (naive)", "07", "softmax.py",
           "    return shifted - np.log(np.exp(shifted).sum(axis=ax, keepdims=True))",
           "    e = np.exp(z)\n    return np.log(e / e.sum(axis=ax, keepdims=True))"),
    Mutant("logsumexp without the max shift", "07", "softmax.py",
           "    out = m + np.log(np.exp(z - m).sum(axis=ax, keepdims=True))",
           "    out = np.log(np.exp(z).sum(axis=ax, keepdims=True))"),
    Mutant("dense_backward: dW averaged over the batch", "05", "layers.py",
           "    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)",
           "    return dZ @ W.T, A_prev.T @ dZ / len(dZ), dZ.sum(axis=0)"),
    Mutant("dense_backward: db as the mean of the rows", "05", "layers.py",
           "    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)",
           "    return dZ @ W.T, A_prev.T @ dZ, dZ.mean(axis=0)"),
    Mutant("sigmoid_grad as sigma(z) alone", "04", "activations.py",
           "    return e / ((1.0 + e) * (1.0 + e))", "    return 1.0 / (1.0 + e)"),
    Mutant("tanh_grad as 1 - tanh(z)", "04", "activations.py",
           "    return 4.0 * sigmoid_grad(2.0 * z)", "    return 1.0 - np.tanh(z)"),
    Mutant("relu_grad switched on the wrong side", "04", "activations.py",
           "    return (z > 0).astype(z.dtype)", "    return (z < 0).astype(z.dtype)"),
    Mutant("huber_grad: the linear branch's slope is not clipped at delta", "04", "losses.py",
           "    return _scale(np.clip(pred - target, -delta, delta), reduction)",
           "    return _scale(np.clip(pred - target, -2 * delta, 2 * delta), reduction)"),
    Mutant("squared_error_grad without the factor 2", "04", "losses.py",
           "    return _scale(2.0 * (pred - target), reduction)", "    return _scale(pred - target, reduction)"),
    Mutant("numerical_gradient: a forward difference", "03", "gradcheck.py",
           "        gflat[i] = (f_plus - f_minus) / (2 * eps)",
           "        flat[i] = old\n        gflat[i] = (f_plus - float(f(x))) / eps"),
]

CELL_MUTANTS = [
    Mutant("ch4: '=' in place of '+=' in the tape's backward pass", "04", "cell",
           "grads[name] = (grads.get(name, 0.0) + contribution) if accumulate else contribution",
           "grads[name] = contribution"),
    Mutant("ch4: sigma' left out of the chain's delta recursion", "04", "cell",
           "delta = delta * w[l] * df(zs[l - 1])", "delta = delta * w[l]"),
    Mutant("ch5: sigma' left out of the Hadamard form", "05", "cell",
           "hadamard = g * sigmoid_grad(z1)", "hadamard = g"),
    Mutant("ch5: sigma' left out of the one-example backward pass", "05", "cell",
           "dz1 = da1 * sigmoid_grad(z1)", "dz1 = da1"),
    Mutant("ch5: a transposed dW", "05", "cell",
           "dW = A_prev.T @ dZ\n", "dW = dZ.T @ A_prev\n"),
    Mutant("ch5: db as the mean of the rows", "05", "cell",
           "db = dZ.sum(axis=0)\n", "db = dZ.mean(axis=0)\n"),
    Mutant("ch5: dA_prev = dZ W instead of dZ W^T", "05", "cell",
           "right = dZ_sq @ W_sq.T", "right = dZ_sq @ W_sq"),
    Mutant("ch5: the batch gradient summed where the loss is a mean", "05", "cell",
           "dZ2 = (Z2 - Y) / N", "dZ2 = (Z2 - Y)"),
    Mutant("ch6: sigma' left out of the hidden layer", "06", "cell",
           "dZ1 = dA1 * A1 * (1 - A1)", "dZ1 = dA1"),
    Mutant("ch6: dW2 transposed", "06", "cell",
           "dW2 = A1.T @ dZ2", "dW2 = dZ2.T @ A1"),
    Mutant("ch7: the softmax Jacobian's diagonal only", "07", "cell",
           "return np.diag(p) - np.outer(p, p)", "return np.diag(p - p * p)"),
    Mutant("ch7: p - y for targets that do not sum to 1", "07", "cell",
           "general = p * y_any.sum() - y_any", "general = p - y_any"),
    Mutant("ch7: the last layer's gradient without 1/N", "07", "cell",
           "dZ = (P - Y) / N ", "dZ = (P - Y) "),
    Mutant("ch7: sigma' left out of the inner layer", "07", "cell",
           "dZ1_complete = dA1 * sigmoid_grad(Z1)", "dZ1_complete = dA1"),
    Mutant("ch7: dA = dZ W instead of dZ W^T", "07", "cell",
           "dA1_sq = dZ2_sq @ W2_sq.T", "dA1_sq = dZ2_sq @ W2_sq"),
    Mutant("ch7: sigma' left out of the delta recursion", "07", "cell",
           "dZ = (dZ @ W.T) * f_grad(Zs[l - 1])", "dZ = dZ @ W.T"),
    Mutant("ch7: the bias gradient averaged in the network", "07", "cell",
           "grads[l] = (A_prev.T @ dZ, dZ.sum(axis=0))", "grads[l] = (A_prev.T @ dZ, dZ.mean(axis=0))"),
]


def _apply(text, mutant, what):
    count = text.count(mutant.old)
    assert count == 1, f"mutant {mutant.name!r}: expected its text once in {what}, found it {count} times"
    return text.replace(mutant.old, mutant.new)


def _chapter(number):
    return BOOK.chapter(number).path()


def _run_expecting_an_assert(nb, chapter_path, env_path=None, monkeypatch=None):
    if env_path is not None:
        monkeypatch.setenv("PYTHONPATH", str(env_path))
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(chapter_path.parent)}})
    with pytest.raises(CellExecutionError) as caught:
        client.execute()
    return caught.value


@pytest.mark.parametrize("mutant", HELPERS_MUTANTS, ids=str)
def test_a_broken_helpers_derivative_fails_an_assert_in_its_chapter(mutant, tmp_path, monkeypatch):
    copy = tmp_path / "helpers"
    shutil.copytree(ROOT / "helpers", copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / mutant.where
    target.write_text(_apply(target.read_text(encoding="utf-8"), mutant, f"helpers/{mutant.where}"), encoding="utf-8")
    path = _chapter(mutant.chapter)
    nb = nbformat.read(path, as_version=4)
    error = _run_expecting_an_assert(nb, path, tmp_path, monkeypatch)
    assert error.ename == "AssertionError", f"{mutant.name}: chapter {mutant.chapter} stopped at {error.ename}, not at an assert"


@pytest.mark.parametrize("mutant", CELL_MUTANTS, ids=str)
def test_a_broken_formula_in_a_chapter_cell_fails_an_assert(mutant):
    path = _chapter(mutant.chapter)
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and mutant.old in c.source]
    assert len(cells) == 1, f"mutant {mutant.name!r}: expected its text in one cell of {path.name}, found {len(cells)}"
    cells[0].source = _apply(cells[0].source, mutant, path.name)
    error = _run_expecting_an_assert(nb, path)
    assert error.ename == "AssertionError", f"{mutant.name}: chapter {mutant.chapter} stopped at {error.ename}, not at an assert"


def test_every_mutant_changes_the_code():
    for mutant in HELPERS_MUTANTS + CELL_MUTANTS:
        assert mutant.old != mutant.new, mutant.name
