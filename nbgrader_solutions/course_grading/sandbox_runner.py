"""Runs inside the sandbox: the student's code cells, then calls to the student's functions.

Started by `checker.py` through bubblewrap with `python -I -S`, this file and `wire.py` mounted
read-only, NumPy mounted read-only, and nothing else of the machine's Python packages: no
course directory, no gradebook, no `helpers`. It reads requests and answers on the two pipe ends
named by GRADER_FDS. Nothing here is trusted by the grader: every answer is decoded as plain data on the other side,
so code that rewrites this file's functions at run time can only change the numbers it sends.

The `helpers` module the student's code sees is a stand-in: the functions the assignment allows
(those its locked setup cell imports from `helpers`) are computed by the grader and sent back;
every other name of the reference library raises `ReferenceImplementationNotAllowed`.
"""

import builtins
import io
import linecache
import os
import sys
import traceback
import types
import warnings

sys.path[:0] = ["/sandbox", "/sandbox/site"]

import wire  # noqa: E402

IN, OUT = (int(fd) for fd in os.environ["GRADER_FDS"].split(","))
_callbacks = {}  # handle number -> student callable passed to the grader


class ReferenceImplementationNotAllowed(Exception):
    """Graded code called the book's reference implementation of what the task asks for."""


class Capture(io.TextIOBase):
    """A text stream that keeps the first `limit` characters and counts the rest."""

    def __init__(self, limit):
        self.limit, self.parts, self.kept, self.total = limit, [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        self.total += len(text)
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        return len(text)

    def text(self):
        out = "".join(self.parts)
        if self.total > self.kept:
            out += f"\n[... {self.total - self.kept} more characters of output not kept]\n"
        return out


def _register(fn):
    number = len(_callbacks) + 1
    _callbacks[number] = fn
    return number


def _resolve(number):
    def call_grader(*args, **kwargs):
        return _request({"op": "callback", "id": number, "args": wire.encode(list(args), _register),
                         "kwargs": wire.encode(kwargs, _register)})

    return call_grader


def _request(message):
    """Ask the grader for something and serve its nested calls until it answers."""
    wire.send(OUT, message)
    while True:
        reply = wire.receive(IN)
        if reply["op"] == "call":
            _serve_call(reply)
        elif reply["op"] == "return":
            return wire.decode(reply["value"], _resolve)
        elif reply["op"] == "raise":
            cls = getattr(builtins, str(reply.get("type", "")), None)
            if not (isinstance(cls, type) and issubclass(cls, Exception)):
                cls = RuntimeError
            raise cls(reply.get("message", ""))
        else:
            raise wire.WireError(f"unexpected {reply['op']!r} while waiting for the grader")


def _student_traceback(exc):
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith("<cell")]
    lines = traceback.format_list(frames)
    return "".join(lines[-8:])


def _error(exc):
    return {"type": type(exc).__name__, "message": str(exc)[:2000], "traceback": _student_traceback(exc)[:4000]}


def _run(fn, quiet, limit):
    out, err = Capture(limit), Capture(limit)
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                value, error = fn(), None
            except BaseException as exc:  # the student's exception, reported, never re-raised here
                value, error = None, _error(exc)
    finally:
        sys.stdout, sys.stderr = old
    warned = [[w.category.__name__, issubclass(w.category, RuntimeWarning), str(w.message)[:500]] for w in caught[:20]]
    return value, error, {"stdout": "" if quiet else out.text(), "stderr": "" if quiet else err.text(),
                          "warnings": warned}


def _serve_call(message):
    name = message.get("name")
    fn = _callbacks.get(message["handle"]) if "handle" in message else USER.get(name)
    args = wire.decode(message.get("args"), _resolve)
    kwargs = wire.decode(message.get("kwargs"), _resolve)
    if not callable(fn):
        wire.send(OUT, {"op": "raise", "type": "NameError", "message": f"name {name!r} is not defined",
                        "traceback": "", "io": {}})
        return
    value, error, io_ = _run(lambda: fn(*args, **kwargs), message.get("quiet", False), LIMIT)
    if error is not None:
        wire.send(OUT, {"op": "raise", **error, "io": io_})
        return
    try:
        reply = {"op": "return", "value": wire.encode(value, _register), "args": wire.encode(args, _register),
                 "kwargs": wire.encode(kwargs, _register), "io": io_}
    except TypeError as exc:
        reply = {"op": "raise", "type": "TypeError", "message": f"{name} returned something the grader cannot read: {exc}",
                 "traceback": "", "io": io_}
    wire.send(OUT, reply)


def _helpers_module(allowed, reference_names):
    module = types.ModuleType("helpers", "The book's library, as graded code sees it.")

    def allowed_fn(name):
        def call(*args, **kwargs):
            return _request({"op": "helper", "name": name, "args": wire.encode(list(args), _register),
                             "kwargs": wire.encode(kwargs, _register)})
        call.__name__ = name
        return call

    def refused(name):
        def call(*args, **kwargs):
            raise ReferenceImplementationNotAllowed(
                f"helpers.{name} is the book's reference implementation. Graded code has to compute "
                f"this itself, so calling helpers.{name} scores nothing"
                + (f" (allowed in this assignment: {', '.join(allowed)})." if allowed else "."))
        call.__name__ = name
        return call

    for name in allowed:
        setattr(module, name, allowed_fn(name))
    for name in reference_names:
        if name not in allowed:
            setattr(module, name, refused(name))
    module.__all__ = sorted(set(allowed) | set(reference_names))
    return module


def main():
    global USER, LIMIT
    start = wire.receive(IN)
    LIMIT = int(start["output_limit"])
    sys.modules["helpers"] = _helpers_module(start["allowed"], start["reference_names"])
    USER = {"__name__": "__main__", "__builtins__": __builtins__}
    for cell in start["cells"]:
        label = f"<cell {cell['index']}>"
        linecache.cache[label] = (len(cell["source"]), None, cell["source"].splitlines(True), label)
        try:
            code = compile(cell["source"], f"<cell {cell['index']}>", "exec")
        except SyntaxError as exc:
            wire.send(OUT, {"op": "cell", "index": cell["index"], "error": _error(exc),
                            "io": {"stdout": "", "stderr": "", "warnings": []}})
            continue
        _, error, io_ = _run(lambda: exec(code, USER), False, LIMIT)
        wire.send(OUT, {"op": "cell", "index": cell["index"], "error": error, "io": io_})
    wire.send(OUT, {"op": "ready"})
    while True:
        message = wire.receive(IN)
        if message["op"] == "call":
            _serve_call(message)
        elif message["op"] == "stop":
            return
        else:
            raise wire.WireError(f"unexpected {message['op']!r}")


if __name__ == "__main__":
    main()
