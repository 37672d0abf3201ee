"""The grader's side: a fresh interpreter in which no student code ever runs.

    python checker.py job.json result.json

`job.json` (written by the nbgrader preprocessor in `preprocessors.py`) holds the submission's
code cells, and, taken from the gradebook rather than from the submission, the locked setup
cells and test cells of the assignment. This process

1. starts the student's code cells in a bubblewrap sandbox (`sandbox_runner.py`) and records
   what each cell printed;
2. runs the setup cells itself, then every test cell, visible part then hidden part, with each
   function the student defined replaced by a proxy: calling it sends the arguments to the
   sandbox as plain data, the student's function runs there, and its result comes back as
   plain data (`wire.py`). Comparisons, `np.allclose`, `helpers` and the test's own variables
   all live here, out of the student's reach;
3. writes per cell what to show and whether the test passed.

A sandbox that dies, hangs or floods its output costs the test cell that was running; the next
test cell starts a new sandbox (without the code cell that stopped it, if one did).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import resource
import select
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import wire

HERE = Path(__file__).resolve().parent
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
BUILTIN_ERRORS = {name: cls for name, cls in vars(builtins).items()
                  if isinstance(cls, type) and issubclass(cls, Exception)}


class SandboxStopped(Exception):
    """The sandbox was stopped or died; a human should look at the task."""


class StudentError(Exception):
    """Raised for an exception of the student's code whose type is not a built-in one."""


class Capture(io.StringIO):
    def __init__(self, limit):
        super().__init__()
        self.limit, self.dropped = limit, 0

    def write(self, text):
        room = self.limit - self.tell()
        if room < len(text):
            self.dropped += len(text) - max(room, 0)
            text = text[:max(room, 0)]
        return super().write(text)

    def text(self):
        tail = f"\n[... {self.dropped} more characters of output not kept]\n" if self.dropped else ""
        return self.getvalue() + tail


def split_test(source: str):
    """(visible part, hidden part) of a test cell."""
    if BEGIN_HIDDEN not in source:
        return source, ""
    visible, rest = source.split(BEGIN_HIDDEN, 1)
    hidden, _, after = rest.partition(END_HIDDEN)
    return visible + after, hidden


def _signal_name(code):
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


class Sandbox:
    """One bubblewrap sandbox running sandbox_runner.py, restarted when it stops."""

    def __init__(self, job):
        self.job = job
        self.limits = job["limits"]
        self.cells = job["cells"]
        self.skip = {}          # cell index -> why it is left out of later sandboxes
        self.cell_results = {}  # cell index -> first run's output
        self.proc = None
        self.trusted = {}       # number -> grader-side callable handed to the sandbox
        self.deadline = None
        self.restarts = 0

    # ---------------------------------------------------------------- process
    def command(self):
        py = Path(sys.executable).resolve()
        prefix = Path(sys.base_prefix).resolve()
        site = Path(np.__file__).resolve().parent.parent
        cmd = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
               "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
               "--size", str(self.limits["tmp_bytes"]), "--tmpfs", "/tmp"]
        for name in ("bin", "lib", "lib64", "sbin"):
            path = Path("/") / name
            if path.is_symlink():
                cmd += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                cmd += ["--ro-bind", str(path), str(path)]
        if not str(prefix).startswith("/usr/"):
            cmd += ["--ro-bind", str(prefix), str(prefix)]
        # no third-party package is visible except NumPy, mounted on its own
        for masked in sorted({str(Path(p).resolve()) for p in sys.path if "-packages" in p and Path(p).is_dir()}):
            if masked.startswith(str(prefix)) or masked.startswith("/usr/"):
                cmd += ["--tmpfs", masked]
        for extra in self.job.get("mask", []):
            if Path(extra).exists():
                cmd += ["--tmpfs", extra]
        cmd += ["--ro-bind", str(site / "numpy"), "/sandbox/site/numpy"]
        if (site / "numpy.libs").is_dir():
            cmd += ["--ro-bind", str(site / "numpy.libs"), "/sandbox/site/numpy.libs"]
        cmd += ["--ro-bind", str(HERE / "wire.py"), "/sandbox/wire.py",
                "--ro-bind", str(HERE / "sandbox_runner.py"), "/sandbox/runner.py",
                "--chdir", "/tmp", "--clearenv",
                "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp", "--setenv", "LANG", "C.UTF-8",
                "--setenv", "OPENBLAS_NUM_THREADS", "1", "--setenv", "OMP_NUM_THREADS", "1",
                "--setenv", "MKL_NUM_THREADS", "1", "--setenv", "PYTHONHASHSEED", "0",
                "--", str(py), "-I", "-S", "-B", "/sandbox/runner.py"]
        return cmd

    def _limits(self):
        mem = self.limits["memory_bytes"]
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        cpu = self.limits["cpu_seconds"]
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.limits["tmp_bytes"],) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
        if self.nproc is not None:
            resource.setrlimit(resource.RLIMIT_NPROC, (self.nproc, self.nproc))

    def _process_budget(self):
        """RLIMIT_NPROC counts every process of the user; the kernel does not apply it to root."""
        if os.geteuid() == 0:
            return None
        mine = 0  # threads count too
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    if entry.stat().st_uid == os.getuid():
                        mine += len(os.listdir(Path(entry.path, "task")))
        return mine + self.limits["processes"]

    def start(self):
        """Run the code cells (all but the skipped ones) in a new sandbox, until it is ready."""
        self.stop()
        self.nproc = self._process_budget()
        to_child, self.wfd = os.pipe()
        self.rfd, from_child = os.pipe()
        command = self.command()
        command[command.index("--clearenv") + 1:command.index("--clearenv") + 1] = [
            "--setenv", "GRADER_FDS", f"{to_child},{from_child}"]
        self.proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(to_child, from_child), preexec_fn=self._limits, start_new_session=True)
        os.close(to_child)
        os.close(from_child)
        os.set_blocking(self.wfd, False)
        os.set_blocking(self.rfd, False)
        cells = [c for c in self.cells if c["index"] not in self.skip]
        self.deadline = time.monotonic() + self.limits["timeout"]
        self.send({"op": "start", "cells": cells, "allowed": self.job["allowed"],
                   "reference_names": self.job["reference_names"], "output_limit": self.limits["output_chars"]})
        pending = [c["index"] for c in cells]
        while True:
            try:
                message = self.receive()
            except SandboxStopped as exc:
                if not pending:
                    raise
                index = pending[0]
                self.skip[index] = str(exc)
                self.cell_results.setdefault(index, {"error": None, "io": {}, "stopped": str(exc)})
                self.restarts += 1
                if self.restarts > len(self.cells) + 2:
                    raise
                return self.start()
            if message["op"] == "cell":
                index = pending.pop(0)
                self.cell_results.setdefault(index, {"error": message.get("error"), "io": message.get("io") or {},
                                                     "stopped": None})
                self.deadline = time.monotonic() + self.limits["timeout"]
            elif message["op"] == "ready":
                return
            else:
                self.serve(message)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            os.close(self.rfd)
            os.close(self.wfd)
            self.proc = None

    def _stopped(self, why):
        code = self.proc.poll() if self.proc else None
        if code is None and self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            code = self.proc.returncode
        if why == "timeout":
            reason = f"stopped after {self.limits['timeout']} s without answering"
        elif code is not None and code < 0:
            name = _signal_name(code)
            hint = {"SIGKILL": " (out of memory, or killed)", "SIGXCPU": " (CPU-time limit)",
                    "SIGXFSZ": " (file-size limit)"}.get(name, "")
            reason = f"the student's process died: {name}{hint}"
        else:
            reason = f"the student's process ended (exit status {code})"
        self.stop()
        return SandboxStopped(reason)

    # --------------------------------------------------------------- messages
    def _wait(self, fd, writable):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise self._stopped("timeout")
        ready = select.select([] if writable else [fd], [fd] if writable else [], [], remaining)
        if not any(ready):
            raise self._stopped("timeout")

    def send(self, message):
        view = memoryview(wire.frame(message))
        while view:
            self._wait(self.wfd, True)
            try:
                view = view[os.write(self.wfd, view):]
            except BrokenPipeError:
                raise self._stopped("died") from None
            except BlockingIOError:
                continue

    def _read_exactly(self, fd, size):
        chunks = []
        while size:
            self._wait(fd, False)
            try:
                chunk = os.read(fd, min(size, 1 << 20))
            except BlockingIOError:
                continue
            if not chunk:
                raise self._stopped("died")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def receive(self):
        try:
            return wire.receive(self.rfd, self._read_exactly)
        except wire.WireError as exc:
            self.stop()
            raise SandboxStopped(f"the student's process sent something unreadable: {exc}") from None

    def _register(self, fn):
        number = len(self.trusted) + 1
        self.trusted[number] = fn
        return number

    def _resolve(self, number):
        return SandboxCallable(self, number)

    def serve(self, message):
        """Answer a request of the sandbox: a grader callable it was given, or an allowed helper."""
        op = message["op"]
        if op == "callback":
            fn = self.trusted.get(message.get("id"))
        elif op == "helper" and message.get("name") in self.job["allowed"]:
            import helpers
            fn = getattr(helpers, message["name"])
        else:
            fn = None
        if fn is None:
            self.send({"op": "raise", "type": "PermissionError", "message": f"the grader refused {op!r}"})
            return
        try:
            args = wire.decode(message.get("args"), self._resolve)
            kwargs = wire.decode(message.get("kwargs"), self._resolve)
            if type(args) is not list or type(kwargs) is not dict or not all(type(k) is str for k in kwargs):
                raise wire.WireError("bad arguments")
            value = fn(*args, **kwargs)
            reply = {"op": "return", "value": wire.encode(value, self._register)}
        except SandboxStopped:
            raise
        except wire.WireError as exc:
            self.stop()
            raise SandboxStopped(f"the student's process sent something unreadable: {exc}") from None
        except Exception as exc:
            reply = {"op": "raise", "type": type(exc).__name__, "message": str(exc)[:2000]}
        self.send(reply)

    def call(self, target: dict, args, kwargs, quiet):
        """Call a student function in the sandbox; return its value, copy mutated arguments back."""
        if not self.alive():
            raise SandboxStopped("the student's process had stopped before this call")
        self.send({"op": "call", **target, "quiet": quiet,
                   "args": wire.encode(list(args), self._register), "kwargs": wire.encode(kwargs, self._register)})
        while True:
            message = self.receive()
            if message["op"] in ("return", "raise"):
                break
            self.serve(message)
        try:
            io_ = message.get("io") or {}
            report_io(io_, quiet)
            if message["op"] == "raise":
                cls = BUILTIN_ERRORS.get(message.get("type"), StudentError)
                text = str(message.get("message", ""))[:2000]
                if cls is StudentError:
                    text = f"{str(message.get('type'))[:80]}: {text}"
                exc = cls(text)
                exc.student_traceback = "" if quiet else str(message.get("traceback", ""))[:4000]
                raise exc
            value = wire.decode(message.get("value"), self._resolve)
            new_args = wire.decode(message.get("args"), self._resolve)
            new_kwargs = wire.decode(message.get("kwargs"), self._resolve)
        except wire.WireError as exc:
            self.stop()
            raise SandboxStopped(f"the student's process sent something unreadable: {exc}") from None
        if type(new_args) is list and len(new_args) == len(args):
            for old, new in zip(args, new_args):
                sync(old, new)
        if type(new_kwargs) is dict:
            for key, old in kwargs.items():
                if key in new_kwargs:
                    sync(old, new_kwargs[key])
        return value


def report_io(io_, quiet):
    """Show what the student's code printed during a visible test; replay its numeric warnings."""
    if not isinstance(io_, dict):
        return
    for item in (io_.get("warnings") or [])[:20]:
        if isinstance(item, list) and len(item) == 3 and item[1] is True:
            warnings.warn(str(item[2])[:500], RuntimeWarning, stacklevel=3)
    if quiet:
        return
    out, err = str(io_.get("stdout", "")), str(io_.get("stderr", ""))
    if out:
        sys.stdout.write(out)
    if err:
        sys.stdout.write(f"[your code wrote to stderr; this costs no points]\n{err}")


def sync(old, new):
    """Make `old` (the grader's argument) hold what the student's function left in its copy."""
    if isinstance(old, np.ndarray) and isinstance(new, np.ndarray):
        if old.shape == new.shape and old.flags.writeable:
            with contextlib.suppress(TypeError, ValueError):
                np.copyto(old, new, casting="unsafe")
    elif type(old) is dict and type(new) is dict:
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            if key in old and type(old[key]) is type(value) and not np.isscalar(value):
                sync(old[key], value)
            else:
                old[key] = value
    elif type(old) is list and type(new) is list:
        for i, value in enumerate(new[:len(old)]):
            if type(old[i]) is type(value) and not np.isscalar(value):
                sync(old[i], value)
            else:
                old[i] = value
        del old[len(new):]
        old.extend(new[len(old):])
    elif type(old) is tuple and type(new) is tuple and len(old) == len(new):
        for a, b in zip(old, new):
            sync(a, b)


class Proxy:
    """Stands for a function the student defined; every call runs in the sandbox."""

    sandbox: Sandbox = None
    quiet = False

    def __init__(self, name):
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        return Proxy.sandbox.call({"name": self.__name__}, args, kwargs, Proxy.quiet)

    def __repr__(self):
        return f"<your function {self.__name__}>"


class SandboxCallable:
    def __init__(self, sandbox, number):
        self.sandbox, self.number = sandbox, number

    def __call__(self, *args, **kwargs):
        return self.sandbox.call({"handle": self.number}, args, kwargs, Proxy.quiet)


def run_part(code: str, label: str, ns: dict, limit: int):
    """Execute trusted test code; return (printed text, error dict or None)."""
    out = Capture(limit)
    error = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), warnings.catch_warnings():
        warnings.simplefilter("default")
        try:
            exec(compile(code, label, "exec"), ns)
        except SandboxStopped as exc:
            error = {"ename": "GradingStopped", "evalue": str(exc), "review": str(exc)}
        except Exception as exc:
            error = {"ename": type(exc).__name__ if not isinstance(exc, StudentError) else "Error",
                     "evalue": str(exc)[:3000], "student_traceback": getattr(exc, "student_traceback", "")}
            if label.startswith("<visible"):
                import traceback
                lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == label]
                if lines:
                    error["line"] = lines[-1]
    return out.text(), error


def called_names(tests, ns):
    """The student's functions the test cells call: names the tests read but never bind, that are
    neither built-ins nor defined by the setup cells. Only these are looked up in the sandbox, so a
    submission that defines `abs`, `len` or `check_close` changes nothing in the checker."""
    loaded, stored = set(), set()
    for test in tests:
        for node in ast.walk(ast.parse(test["source"])):
            if isinstance(node, ast.Name):
                (loaded if isinstance(node.ctx, ast.Load) else stored).add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stored.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                stored |= {(a.asname or a.name).split(".")[0] for a in node.names}
            elif isinstance(node, ast.arg):
                stored.add(node.arg)
    return sorted(loaded - stored - set(dir(builtins)) - set(ns))


def grade(job):
    limits = job["limits"]
    sandbox = Sandbox(job)
    Proxy.sandbox = sandbox
    result = {"cells": {}, "tests": {}}
    try:
        sandbox.start()
    except SandboxStopped as exc:
        result["fatal"] = str(exc)
    ns = {"__name__": "__main__"}
    setup_out, setup_error = run_part("\n\n".join(job["setup"]), "<setup>", ns, limits["output_chars"])
    if setup_error:
        raise RuntimeError(f"the assignment's own setup cell fails in the grader: {setup_error}\n{setup_out}")
    student_functions = called_names(job["tests"], ns)
    for test in job["tests"]:
        if not sandbox.alive() and "fatal" not in result:
            try:
                sandbox.start()
            except SandboxStopped as exc:
                result["fatal"] = str(exc)
        for name in student_functions:
            ns[name] = Proxy(name)
        visible, hidden = split_test(test["source"])
        sandbox.deadline = time.monotonic() + limits["timeout"]
        Proxy.quiet = False
        printed, error = run_part(visible, f"<visible test {test['grade_id']}>", ns, limits["output_chars"])
        part = "visible"
        if error is None and hidden.strip():
            Proxy.quiet = True
            sandbox.deadline = time.monotonic() + limits["timeout"]
            _, error = run_part(hidden, f"<hidden test {test['grade_id']}>", ns, limits["output_chars"])
            part = "hidden"
        if error is not None:
            error["part"] = part
        result["tests"][test["grade_id"]] = {"stdout": printed, "error": error}
    sandbox.stop()
    result["cells"] = {str(k): v for k, v in sandbox.cell_results.items()}
    return result


def main(argv):
    job = json.loads(Path(argv[1]).read_text())
    result = grade(job)
    Path(argv[2]).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
