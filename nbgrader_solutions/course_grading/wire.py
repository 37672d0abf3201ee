"""What crosses between the grader and the sandbox: plain data, never objects.

Both sides import this file (the sandbox gets a read-only copy of it and nothing else of the
course). A message is a JSON document in a length-prefixed frame. Values are encoded as JSON
primitives or tagged dicts: NumPy arrays of numbers as dtype + shape + bytes, tuples, lists,
dicts, and callables as numbered handles that the other side calls back. Decoding accepts only
these forms, so whatever code runs in the sandbox, the grader receives numbers, never objects
with methods of the student's choosing.
"""

from __future__ import annotations

import base64
import json
import os
import struct

import numpy as np

MAX_FRAME = 64 * 2**20  # bytes in one message
MAX_DEPTH = 40           # nesting of lists, tuples and dicts
NUMERIC_KINDS = "biufc"  # bool, int, unsigned, float, complex


class WireError(Exception):
    """A message that is not well-formed data."""


def frame(message: dict) -> bytes:
    data = json.dumps(message, allow_nan=True).encode()
    if len(data) > MAX_FRAME:
        raise WireError(f"message of {len(data)} bytes is larger than the limit of {MAX_FRAME}")
    return struct.pack("<Q", len(data)) + data


def send(fd: int, message: dict) -> None:
    view = memoryview(frame(message))
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exactly(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive(fd: int, read_exactly=_read_exactly) -> dict:
    (size,) = struct.unpack("<Q", read_exactly(fd, 8))
    if size > MAX_FRAME:
        raise WireError(f"message of {size} bytes is larger than the limit of {MAX_FRAME}")
    try:
        message = json.loads(read_exactly(fd, size))
    except (ValueError, RecursionError) as exc:
        raise WireError(f"unreadable message ({type(exc).__name__})") from None
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise WireError("a message must be an object with an 'op'")
    return message


def encode(value, register=None, depth: int = 0):
    """Plain-data form of `value`; callables are registered and sent as handles."""
    if depth > MAX_DEPTH:
        raise TypeError("value nested too deeply to be sent")
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return {"t": "f", "v": repr(value)}
    if type(value) is complex:
        return {"t": "c", "v": [repr(value.real), repr(value.imag)]}
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if type(array) is not np.ndarray or array.dtype.kind not in NUMERIC_KINDS or array.dtype.fields is not None:
            raise TypeError(f"cannot send an array of dtype {array.dtype}: only numbers cross to the grader")
        array = np.array(array, order="C", copy=True)  # (ascontiguousarray would make 0-d arrays 1-d)
        return {
            "t": "nd" if isinstance(value, np.ndarray) else "np",
            "dtype": array.dtype.str,
            "shape": list(array.shape),
            "data": base64.b64encode(array.tobytes()).decode(),
        }
    if type(value) in (list, tuple):
        return {"t": "l" if type(value) is list else "t", "v": [encode(v, register, depth + 1) for v in value]}
    if type(value) is dict:
        return {"t": "d", "v": [[encode(k, register, depth + 1), encode(v, register, depth + 1)] for k, v in value.items()]}
    if callable(value) and register is not None:
        return {"t": "fn", "v": register(value)}
    raise TypeError(
        f"cannot send a value of type {type(value).__name__}: return NumPy arrays, numbers, "
        "lists, tuples or dicts of them"
    )


def _number(text):
    if not isinstance(text, str) or len(text) > 40:
        raise WireError("bad float")
    return float(text)


def decode(obj, resolve=None, depth: int = 0):
    """The value encoded by `encode`; `resolve(number)` turns the sender's callables into proxies."""
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if obj is None or type(obj) in (bool, int, str):
        return obj
    if type(obj) is not dict:
        raise WireError(f"unexpected {type(obj).__name__} in a message")
    tag = obj.get("t")
    if tag == "f":
        return _number(obj.get("v"))
    if tag == "c":
        re_, im = obj.get("v", [None, None])
        return complex(_number(re_), _number(im))
    if tag in ("nd", "np"):
        try:
            dtype = np.dtype(obj["dtype"])
        except (TypeError, KeyError, ValueError):
            raise WireError("bad dtype") from None
        if dtype.kind not in NUMERIC_KINDS or dtype.fields is not None or dtype.subdtype is not None:
            raise WireError(f"dtype {dtype} is not a number")
        shape = obj.get("shape")
        if type(shape) is not list or len(shape) > 32 or not all(type(n) is int and n >= 0 for n in shape):
            raise WireError("bad shape")
        data = base64.b64decode(obj.get("data", ""), validate=True)
        if len(data) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
            raise WireError("array data does not match its shape")
        array = np.frombuffer(data, dtype=dtype).reshape(shape).copy()
        return array if tag == "nd" else array[()]
    if tag in ("l", "t"):
        items = obj.get("v")
        if type(items) is not list:
            raise WireError("bad sequence")
        values = [decode(v, resolve, depth + 1) for v in items]
        return values if tag == "l" else tuple(values)
    if tag == "d":
        items = obj.get("v")
        if type(items) is not list:
            raise WireError("bad dict")
        out = {}
        for pair in items:
            if type(pair) is not list or len(pair) != 2:
                raise WireError("bad dict item")
            key = decode(pair[0], resolve, depth + 1)
            if type(key) not in (str, int, float, bool, tuple) and key is not None:
                raise WireError("bad dict key")
            out[key] = decode(pair[1], resolve, depth + 1)
        return out
    if tag == "fn" and type(obj.get("v")) is int and resolve is not None:
        return resolve(obj["v"])
    raise WireError(f"unknown value tag {tag!r}")
