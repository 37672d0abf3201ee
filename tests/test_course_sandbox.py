"""The course's grading sandbox and its wire protocol, without nbgrader (fast).

The round trip (test_nbgrader_roundtrip.py) grades whole submissions; these tests look at the
pieces: what crosses the wall between the checker and the sandbox, and what the student's code
can see and do inside.
"""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "nbgrader_solutions" / "course_grading"))
import checker  # noqa: E402
import wire  # noqa: E402

pytestmark = pytest.mark.course

LIMITS = {"timeout": 10, "memory_bytes": 1024 * 2**20, "cpu_seconds": 60, "tmp_bytes": 2**20, "processes": 64,
          "output_chars": 2000}


def test_wire_round_trips_numbers_and_containers():
    value = {"W": np.arange(6.0).reshape(2, 3).T, "b": np.float32(1.5), "n": 3, "ok": True, "x": float("nan"),
             "pairs": [(np.zeros(2, dtype=np.int64), 2.0 + 1.0j)], "s": "text", "none": None}
    back = wire.decode(wire.encode(value))
    assert back.keys() == value.keys()
    assert np.array_equal(back["W"], value["W"]) and back["W"].flags.writeable
    assert type(back["b"]) is np.float32 and back["b"] == 1.5
    assert back["n"] == 3 and back["ok"] is True and np.isnan(back["x"]) and back["s"] == "text"
    assert back["pairs"][0][0].dtype == np.int64 and back["pairs"][0][1] == 2.0 + 1.0j and back["none"] is None
    assert wire.decode(wire.encode(np.float64(2.5))).shape == ()


@pytest.mark.parametrize("value", [object(), np.array([object()]), np.zeros(2).view([("a", "<f8")]), {1, 2}, b"bytes"])
def test_wire_refuses_anything_but_plain_data(value):
    with pytest.raises(TypeError):
        wire.encode(value)


@pytest.mark.parametrize("message", [
    {"t": "nd", "dtype": "|O8", "shape": [1], "data": "AAAAAAAAAAA="},        # object array
    {"t": "nd", "dtype": "<f8", "shape": [2], "data": "AAAAAAAAAAA="},        # 8 bytes for 2 floats
    {"t": "nd", "dtype": "<f8", "shape": [-1], "data": ""},                   # negative shape
    {"t": "pickle", "v": "gASVAAAAAAAAAAA="},                                 # unknown tag
    {"t": "d", "v": [[{"t": "l", "v": []}, 1]]},                              # unhashable key
    [1, 2],                                                                   # bare JSON list
])
def test_wire_refuses_forged_messages(message):
    with pytest.raises(wire.WireError):
        wire.decode(message)


needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap (bwrap) is not installed")


def grade(student_code: str, test_code: str, setup: str = "import numpy as np"):
    job = {"cells": [{"index": 0, "source": setup}, {"index": 1, "source": student_code}], "setup": [setup],
           "tests": [{"grade_id": "test_probe", "source": test_code}], "allowed": [],
           "reference_names": ["softmax"], "mask": [str(ROOT)], "limits": LIMITS}
    return checker.grade(job)["tests"]["test_probe"]


@needs_bwrap
def test_student_code_sees_no_course_no_reference_and_no_network(tmp_path):
    import helpers
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    paths = [str(ROOT), str(Path(helpers.__file__).parent), str(tmp_path), "/home"]
    student = f'''
import os, resource, socket
def probe():
    seen = [os.path.exists(p) and bool(os.listdir(p)) for p in {paths!r}]
    try:
        socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
        net = True
    except OSError:
        net = False
    try:
        import helpers
        helpers.softmax([1.0])
        ref = True
    except Exception as exc:
        ref = type(exc).__name__
    return seen, net, ref, resource.getrlimit(resource.RLIMIT_AS)[0], os.getcwd()
'''
    got = grade(student, "result = probe()\nprint(result)")
    listener.close()
    assert got["error"] is None, got
    assert got["stdout"].startswith("([False, False, False, False], False, 'ReferenceImplementationNotAllowed', "
                                    f"{LIMITS['memory_bytes']}, '/tmp')")


@needs_bwrap
def test_only_what_the_student_returns_reaches_the_test():
    student = '''
import numpy, builtins
numpy.allclose = lambda *a, **k: True
builtins.abs = lambda x: 0.0
def answer(x):
    return x + 1
'''
    got = grade(student, "assert not np.allclose(answer(np.zeros(2)), 5.0)\nassert abs(-2.0) == 2.0\nprint('ok')")
    assert got["error"] is None and got["stdout"] == "ok\n", got


@needs_bwrap
def test_a_function_that_hangs_is_stopped_and_marked_for_review():
    limits = dict(LIMITS, timeout=2)
    job = {"cells": [{"index": 0, "source": "import time\ndef f():\n    time.sleep(100)\n"}], "setup": [],
           "tests": [{"grade_id": "t1", "source": "f()"}, {"grade_id": "t2", "source": "print(f.__name__)"}],
           "allowed": [], "reference_names": [], "mask": [], "limits": limits}
    tests = checker.grade(job)["tests"]
    assert "stopped after 2 s" in tests["t1"]["error"]["review"]
    assert tests["t2"]["error"] is None and tests["t2"]["stdout"] == "f\n"  # a new sandbox served the next test
