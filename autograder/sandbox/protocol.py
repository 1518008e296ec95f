"""The messages between grader and sandbox: JSON lines carrying plain data only.

Arrays travel as ``.npy`` bytes read back with ``allow_pickle=False``; nothing a student's
code returns can reach the grader as a live object. This module is also loaded, as a plain
file, inside the sandbox, so it imports nothing from the kit.
"""

import base64
import io
import json
import os
import struct

import numpy as np

#: The largest message either side accepts (a generous bound on honest results).
MAX_MESSAGE = 256 * 1024 * 1024
_PLAIN = (bool, int, float, str, type(None))


FRAMEWORKS = ("tensorflow", "keras", "tf_keras", "jax", "torch")
#: What using a framework in a NumPy-only function says (formatted with the function's name).
NO_FRAMEWORK = "Keras and TensorFlow are not available to {name}: compute each layer with NumPy"


class Blocked:
    """What ``keras`` means while the NumPy-only function ``name`` runs: any use says NumPy only."""

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_message", NO_FRAMEWORK.format(name=name))

    def __getattr__(self, attr):
        raise RuntimeError(self._message)

    def __call__(self, *args, **kwargs):
        raise RuntimeError(self._message)


class Unsupported(TypeError):
    """A value that is not plain data (a student's own class, a generator, ...)."""


def encode(value, depth: int = 0):
    """Turn ``value`` into JSON-able data, refusing anything but plain values and arrays."""
    if depth > 20:
        raise Unsupported("the value is nested too deeply")
    kind = type(value)
    if kind in _PLAIN:
        return value
    if isinstance(value, np.generic) and kind.__module__ == "numpy":
        return encode(value.item(), depth + 1)
    if isinstance(value, np.ndarray):
        array = np.asarray(value).view(np.ndarray)  # drops subclasses and their operators
        if array.dtype.hasobject:
            raise Unsupported("an array of Python objects is not an array of numbers")
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
        return {"__ndarray__": base64.b64encode(buffer.getvalue()).decode()}
    if kind in (list, tuple):
        return {"__" + kind.__name__ + "__": [encode(v, depth + 1) for v in value]}
    if kind is dict and all(type(k) is str for k in value):
        return {"__dict__": {k: encode(v, depth + 1) for k, v in value.items()}}
    raise Unsupported(f"a {kind.__module__}.{kind.__qualname__} object is not plain data")


def decode(data):
    """Inverse of ``encode``; arrays are read without pickle."""
    if type(data) in _PLAIN:
        return data
    if type(data) is not dict or len(data) != 1:
        raise ValueError("malformed message")
    ((key, inner),) = data.items()
    if key == "__ndarray__":
        return np.load(io.BytesIO(base64.b64decode(inner)), allow_pickle=False)
    if key == "__list__":
        return [decode(v) for v in inner]
    if key == "__tuple__":
        return tuple(decode(v) for v in inner)
    if key == "__dict__":
        return {str(k): decode(v) for k, v in inner.items()}
    if key == "__model__":
        return {"__model__": {k: decode(v) for k, v in inner.items()}}
    raise ValueError(f"unknown value kind {key!r}")


def send(fd: int, message: dict) -> None:
    """Write one length-prefixed JSON message to ``fd``."""
    body = json.dumps(message).encode()
    if len(body) > MAX_MESSAGE:
        body = json.dumps({"error": {"type": "TooLarge", "message": "the result is too large"}})
        body = body.encode()
    data = struct.pack("!Q", len(body)) + body
    while data:
        data = data[os.write(fd, data) :]


def _read_exactly(fd: int, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(fd: int) -> dict:
    """Read one message from ``fd`` (raises EOFError when the writer is gone)."""
    (size,) = struct.unpack("!Q", _read_exactly(fd, 8))
    if size > MAX_MESSAGE:
        raise ValueError("message too large")
    message = json.loads(_read_exactly(fd, size))
    if type(message) is not dict:
        raise ValueError("malformed message")
    return message
