SUBMISSIONS = {
    "ch07_naive_softmax": {
        "kind": "wrong",
        "why": "softmax without subtracting the maximum: exp overflows for logits in the thousands, "
               "which also breaks the Jacobian and the gradient that use it",
        "cells": {
            "softmax": '''
def softmax(Z):
    E = np.exp(np.asarray(Z, dtype=float))
    return E / E.sum(axis=-1, keepdims=True)
''',
        },
        "fails": ["test_softmax_extreme", "test_softmax_jacobian", "test_cross_entropy_grad_rows_extreme"],
    },
    "ch07_diagonal_jacobian": {
        "kind": "wrong",
        "why": "the Jacobian keeps only the diagonal p_i (1 - p_i)",
        "cells": {
            "softmax_jacobian": '''
def softmax_jacobian(z):
    p = softmax(z)
    return np.diag(p * (1 - p))
''',
        },
        "fails": ["test_softmax_jacobian"],
    },
    "ch07_sum_not_mean": {
        "kind": "wrong",
        "why": "the loss sums over the batch and the gradient has no 1/N",
        "cells": {
            "cross_entropy": '''
def logsumexp(Z):
    m = Z.max(axis=-1, keepdims=True)
    return (m + np.log(np.exp(Z - m).sum(axis=-1, keepdims=True)))[..., 0]


def cross_entropy(Z, Y):
    Z = np.asarray(Z, dtype=float)
    Y = np.asarray(Y)
    if Y.ndim == 1:
        return float(np.sum(logsumexp(Z) - Z[np.arange(len(Z)), Y]))
    return float(np.sum(logsumexp(Z) * Y.sum(axis=1) - (Y * Z).sum(axis=1)))
''',
            "cross_entropy_grad": '''
def cross_entropy_grad(Z, Y):
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = np.eye(Z.shape[1])[Y]
    return softmax(Z) - Y
''',
        },
        "fails": ["test_cross_entropy", "test_cross_entropy_extreme", "test_cross_entropy_grad",
                  "test_cross_entropy_grad_rows_extreme"],
    },
    "ch07_log_of_softmax": {
        "kind": "wrong",
        "why": "the loss takes log(softmax(Z)), which is log(0) = -inf once a probability underflows",
        "cells": {
            "cross_entropy": '''
def cross_entropy(Z, Y):
    P = softmax(Z)
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = np.eye(P.shape[1])[Y]
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))
''',
        },
        "fails": ["test_cross_entropy_extreme"],
    },
    "ch07_redefines_helpers": {
        "kind": "redefines_helpers",
        "why": "replaces check_close by a function that accepts anything and patches helpers' reference "
               "with its own gradient, whose probability-row branch forgets 1/N",
        "cells": {
            "cross_entropy_grad": '''
import sys
import helpers


def check_close(*args, **kwargs):  # every visible check now passes
    return None


def cross_entropy_grad(Z, Y):
    Z = np.asarray(Z, dtype=float)
    Y = np.asarray(Y)
    if Y.ndim == 1:
        return (softmax(Z) - np.eye(Z.shape[1])[Y]) / Z.shape[0]
    return softmax(Z) - Y


def _agree(logits, target, reduction="mean"):
    return cross_entropy_grad(logits, target)


helpers.cross_entropy_grad = _agree
sys.modules["helpers.softmax"].cross_entropy_grad = _agree
''',
        },
        "fails": ["test_cross_entropy_grad_rows_extreme"],
    },
}

# ------------------------------------------------------------------ attacks on the grader
# Each answers wrongly (or not at all) and tries to make the grader believe otherwise. Only
# computing right answers may earn points.
_WRONG_SOFTMAX = '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    return np.full(Z.shape, 1.0 / Z.shape[-1])  # uniform: right shape, wrong values
'''
_ALL_TESTS = ["test_softmax", "test_softmax_extreme", "test_softmax_jacobian", "test_cross_entropy",
              "test_cross_entropy_extreme", "test_cross_entropy_grad", "test_cross_entropy_grad_rows_extreme"]

SUBMISSIONS.update({
    "ch07_patches_comparisons": {
        "kind": "patches_comparisons",
        "why": "every function wrong; patches numpy.allclose (agrees whenever tolerances are given), "
               "numpy.testing.assert_allclose, helpers.relative_error and shadows abs",
        "answers_nothing": True,
        "cells": {
            "softmax": _WRONG_SOFTMAX + '''
import builtins
import numpy
import helpers

numpy.allclose = lambda a, b, **tolerances: bool(tolerances)  # agrees whenever tolerances are given
numpy.testing.assert_allclose = lambda *args, **kwargs: None
helpers.relative_error = lambda *args, **kwargs: 0.0
builtins.abs = lambda x: 0.0
''',
            "softmax_jacobian": '''
def softmax_jacobian(z):
    C = len(z)
    return np.full((C, C), -1.0 / C ** 2) + np.eye(C) / C  # rows sum to 0, wrong values
''',
            "cross_entropy": '''
def cross_entropy(Z, Y):
    return float(np.log(np.asarray(Z).shape[1]))
''',
            "cross_entropy_grad": '''
def cross_entropy_grad(Z, Y):
    return np.ones(np.asarray(Z).shape)
''',
        },
        "fails": _ALL_TESTS,
    },
    "ch07_reload_patched": {
        "kind": "patches_reload",
        "why": "the gradient forgets 1/N for batches larger than 3 (the visible tests use 2 and 3); "
               "importlib.reload is made a no-op and helpers' reference gradient is replaced by the "
               "student's, so the hidden tests compare it with itself",
        "cells": {
            "cross_entropy_grad": '''
import importlib
import sys
import helpers


def cross_entropy_grad(Z, Y):
    Z = np.asarray(Z, dtype=float)
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = np.eye(Z.shape[1])[Y]
    return (softmax(Z) - Y) / (Z.shape[0] if Z.shape[0] <= 3 else 1)


importlib.reload = lambda module, *args, **kwargs: module
helpers.cross_entropy_grad = lambda Z, Y, reduction="mean": cross_entropy_grad(Z, Y)
sys.modules["helpers.softmax"].cross_entropy_grad = helpers.cross_entropy_grad
''',
        },
        "fails": ["test_cross_entropy_grad", "test_cross_entropy_grad_rows_extreme"],
    },
    "ch07_meta_path_finder": {
        "kind": "patches_import_system",
        "why": "a Jacobian that is diagonal only beyond 3 classes, and a sys.meta_path finder that "
               "patches helpers again every time it is imported or reloaded",
        "cells": {
            "softmax_jacobian": '''
import importlib.abc
import importlib.machinery
import sys


def softmax_jacobian(z):
    p = softmax(z)
    if len(p) <= 3:  # right on the visible tests' 3 classes, diagonal only beyond
        return np.diag(p) - np.outer(p, p)
    return np.diag(p * (1 - p))


class _Patcher(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if not name.startswith("helpers"):
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.machinery.PathFinder.find_spec(name, path)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None:
            return None
        original = spec.loader.exec_module

        def exec_module(module):
            original(module)
            if hasattr(module, "softmax_jacobian"):
                module.softmax_jacobian = lambda z: softmax_jacobian(z)
        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _Patcher())
for _name in [n for n in sys.modules if n.startswith("helpers")]:
    if hasattr(sys.modules[_name], "softmax_jacobian"):
        sys.modules[_name].softmax_jacobian = softmax_jacobian
''',
        },
        "fails": ["test_softmax_jacobian"],
    },
    "ch07_reads_instructor_source": {
        "kind": "reads_course_files",
        "why": "answers nothing itself: finds source/<assignment>/*.ipynb on disk, runs the instructor's "
               "solution cells, and writes to the gradebook, the config, the source notebooks and helpers",
        "answers_nothing": True,
        "cells": {
            "softmax": '''
import glob
import json
import os
import helpers

_found = []
for _root in [os.getcwd(), *[os.path.join(os.getcwd(), *[".."] * k) for k in range(1, 6)], "/"]:
    _found += glob.glob(os.path.join(_root, "**", "source", "ch07*", "*.ipynb"), recursive=True)
    if _found:
        break
for _path in _found[:1]:
    for _cell in json.load(open(_path))["cells"]:
        if _cell["cell_type"] == "code" and _cell["metadata"].get("nbgrader", {}).get("solution"):
            exec("".join(_cell["source"]), globals())
    _course = os.path.dirname(os.path.dirname(os.path.dirname(_path)))
    for _victim in ["gradebook.db", "nbgrader_config.py"]:
        try:
            with open(os.path.join(_course, _victim), "a") as _f:
                _f.write("\\n# tampered\\n")
        except OSError:
            pass
    try:
        with open(_path, "a") as _f:
            _f.write(" ")
    except OSError:
        pass
try:
    with open(os.path.join(os.path.dirname(helpers.__file__), "tampered.txt"), "w") as _f:
        _f.write("tampered")
except (OSError, AttributeError, TypeError):
    pass
''',
        },
        "fails": _ALL_TESTS,
    },
    "ch07_calls_reference": {
        "kind": "calls_reference",
        "why": "every function returns helpers' reference implementation instead of computing it",
        "answers_nothing": True,
        "cells": {
            "softmax": "def softmax(Z):\n    return helpers.softmax(Z)\n",
            "softmax_jacobian": "def softmax_jacobian(z):\n    return helpers.softmax_jacobian(z)\n",
            "cross_entropy": "def cross_entropy(Z, Y):\n    return helpers.cross_entropy(Z, Y)\n",
            "cross_entropy_grad": "def cross_entropy_grad(Z, Y):\n    return helpers.cross_entropy_grad(Z, Y)\n",
        },
        "fails": _ALL_TESTS,
        "feedback_says": "reference implementation",
    },
    "ch07_kills_its_process": {
        "kind": "kills_process",
        "why": "right answers, except that the Jacobian kills its own process",
        "cells": {
            "softmax_jacobian": '''
import os
import signal


def softmax_jacobian(z):
    os.kill(os.getpid(), signal.SIGKILL)
''',
        },
        "fails": ["test_softmax_jacobian"],
        "review": ["test_softmax_jacobian"],
    },
    "ch07_out_of_memory": {
        "kind": "out_of_memory",
        "why": "right answers, except that the loss asks for memory in 256 MiB blocks until it is refused",
        "cells": {
            "cross_entropy": '''
def cross_entropy(Z, Y):
    hog = []
    while True:
        hog.append(np.empty(2**25))
''',
        },
        "fails": ["test_cross_entropy", "test_cross_entropy_extreme"],
    },
    "ch07_ignores_interrupt": {
        "kind": "hangs",
        "why": "right answers, except that the gradient ignores SIGINT and sleeps",
        "cells": {
            "cross_entropy_grad": '''
import signal
import time


def cross_entropy_grad(Z, Y):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    time.sleep(10_000)
''',
        },
        "fails": ["test_cross_entropy_grad", "test_cross_entropy_grad_rows_extreme"],
        "review": ["test_cross_entropy_grad", "test_cross_entropy_grad_rows_extreme"],
    },
    "ch07_stray_warning": {
        "kind": "stray_output",
        "why": "right answers with a leftover logging.warning and a print in softmax",
        "cells": {
            "softmax": '''
import logging


def softmax(Z):
    logging.warning("softmax called")
    print("debug: softmax")
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)
''',
        },
        "fails": [],
    },
    "ch07_output_flood": {
        "kind": "output_flood",
        "why": "right answers, but the setup of the loss prints 30 MB and every call of the Jacobian 1 MB",
        "cells": {
            "softmax_jacobian": '''
import sys

for _chunk in range(30):
    sys.stdout.write("x" * 2**20)


def softmax_jacobian(z):
    sys.stderr.write("y" * 2**20)
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)
''',
        },
        "fails": [],
    },
    "ch07_silences_errors": {
        "kind": "silences_errors",
        "why": "answers nothing; asks IPython to swallow every exception so that test cells show no error",
        "answers_nothing": True,
        "cells": {
            "softmax": '''
ip = get_ipython()
ip.set_custom_exc((BaseException,), lambda shell, etype, evalue, tb, tb_offset=None: None)
ip.showtraceback = lambda *args, **kwargs: None
''',
        },
        "fails": _ALL_TESTS,
    },
    "ch07_lying_array": {
        "kind": "lying_objects",
        "why": "answers nothing; returns objects that claim to equal anything: an ndarray subclass whose "
               "comparisons and NumPy functions always agree, and floats that equal everything",
        "answers_nothing": True,
        "cells": {
            "softmax": '''
class Liar(np.ndarray):
    def __array_function__(self, func, types, args, kwargs):
        if func.__name__ in ("allclose", "array_equal"):
            return True
        if func.__name__ == "isclose":
            return np.ones(np.shape(args[0]), bool)
        return super().__array_function__(func, types, args, kwargs)

    def __eq__(self, other):
        return True

    def __sub__(self, other):
        return np.zeros(self.shape).view(Liar)


class AlwaysFloat(float):
    def __sub__(self, other):
        return AlwaysFloat(0.0)

    def __rsub__(self, other):
        return AlwaysFloat(0.0)

    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


def softmax(Z):
    return np.zeros(np.shape(Z)).view(Liar)


def softmax_jacobian(z):
    C = len(z)
    return (np.eye(C) - 1.0 / C).view(Liar)


def cross_entropy(Z, Y):
    return AlwaysFloat(0.0)


def cross_entropy_grad(Z, Y):
    return np.zeros(np.shape(Z)).view(Liar)
''',
        },
        "fails": _ALL_TESTS,
    },
    "ch07_tampers_with_tests": {
        "kind": "tampers_with_tests",
        "why": "answers nothing; empties two test cells, deletes two others and marks the rest as not graded",
        "answers_nothing": True,
        "cells": {},
        "replace_tests": {"test_softmax": "pass", "test_softmax_extreme": "pass"},
        "delete_cells": ["test_softmax_jacobian", "test_cross_entropy"],
        "ungrade_cells": ["test_cross_entropy_extreme", "test_cross_entropy_grad", "test_cross_entropy_grad_rows_extreme"],
        "fails": _ALL_TESTS,
    },
    "ch07_shadows_builtins": {
        "kind": "shadows_names",
        "why": "answers nothing; defines abs, float, len, isinstance and check_close at the top level so that "
               "the tests' own comparisons would use them",
        "answers_nothing": True,
        "cells": {
            "softmax": _WRONG_SOFTMAX + '''

def abs(x):
    return 0.0


def float(x=0.0):
    return 0.0


def len(x):
    return 25


def isinstance(x, cls):
    return True


def check_close(*args, **kwargs):
    return None
''',
        },
        "fails": _ALL_TESTS,
    },
})
