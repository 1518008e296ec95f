"""The messages between the grader and a sandbox: length-prefixed JSON carrying plain data only.

Arrays travel as ``.npy`` bytes read back with ``allow_pickle=False``; nothing a student's code
returns reaches the grader as a live object. The grader reads whatever arrives as hostile:
every message is bounded in size and nesting, must arrive whole before its deadline, and
anything else is a ``ProtocolError`` that costs the sender, never the grader. This module is
also loaded inside the sandbox as a plain file, so it imports nothing from the kit.
"""

import base64
import io
import json
import os
import select
import struct
import time

import numpy as np

#: The largest message either side accepts (honest results are a few MB at most).
MAX_MESSAGE = 64 * 1024 * 1024
#: The deepest nesting of values a message may carry.
MAX_DEPTH = 24
_HEADER = struct.Struct("!Q")
_PLAIN = (bool, int, float, str, type(None))

#: The frameworks a NumPy-only function must do without.
FRAMEWORKS = ("tensorflow", "keras", "tf_keras", "jax", "jaxlib", "torch")
#: What using a framework in a NumPy-only function says (formatted with the function's name).
NO_FRAMEWORK = "Keras and TensorFlow are not available to {name}: compute each layer with NumPy"


class ProtocolError(Exception):
    """What arrived is not a valid message (too large, too deep, malformed, out of turn)."""


class Unsupported(TypeError):
    """A value that is not plain data (a student's own class, a generator, ...)."""


def encode(value, depth: int = 0):
    """Turn ``value`` into JSON-able data, refusing anything but plain values and arrays."""
    if depth > MAX_DEPTH - 4:
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


def decode(data, depth: int = 0):
    """Inverse of ``encode``; arrays are read without pickle.

    Raises:
        ProtocolError: ``data`` is not what ``encode`` makes.
    """
    if depth > MAX_DEPTH:
        raise ProtocolError("a value is nested too deeply")
    if type(data) in _PLAIN:
        return data
    if type(data) is not dict or len(data) != 1:
        raise ProtocolError("a value is neither plain nor tagged")
    ((key, inner),) = data.items()
    if key == "__ndarray__" and type(inner) is str:
        return _array(inner)
    if key in ("__list__", "__tuple__") and type(inner) is list:
        items = [decode(v, depth + 1) for v in inner]
        return items if key == "__list__" else tuple(items)
    if key == "__dict__" and type(inner) is dict:
        return {str(k): decode(v, depth + 1) for k, v in inner.items()}
    raise ProtocolError(f"unknown value kind {key[:40]!r}")


def _array(text: str) -> np.ndarray:
    try:
        array = np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)
    except Exception as exc:  # any malformed .npy is the sender's fault
        raise ProtocolError(f"an array is malformed ({type(exc).__name__})") from None
    if not isinstance(array, np.ndarray) or array.dtype.hasobject:
        raise ProtocolError("an array is not an array of numbers")
    return array


def send(fd: int, message: dict) -> None:
    """Write one message to ``fd`` (a result too large to send becomes an error reply)."""
    body = json.dumps(message).encode()
    if len(body) > MAX_MESSAGE:
        reply = {k: message[k] for k in ("nonce",) if k in message}
        body = json.dumps(
            {**reply, "error": {"type": "TooLarge", "message": "the result is too large"}}
        ).encode()
    data = _HEADER.pack(len(body)) + body
    while data:
        data = data[os.write(fd, data) :]


def receive(fd: int, deadline: float | None = None) -> dict:
    """Read one whole message from ``fd`` before ``deadline`` (``time.monotonic``; None: wait).

    Raises:
        TimeoutError: the message was not complete by the deadline.
        EOFError: the other side closed the channel (or ended, leaving a message unread).
        ProtocolError: the message is too large, not JSON, too deep or not an object.
    """
    (size,) = _HEADER.unpack(_read(fd, _HEADER.size, deadline))
    if size > MAX_MESSAGE:
        raise ProtocolError(f"a message of {size} bytes is larger than the {MAX_MESSAGE} allowed")
    body = _read(fd, size, deadline)
    try:
        message = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"a message is not valid JSON ({type(exc).__name__})") from None
    if type(message) is not dict:
        raise ProtocolError("a message is not a JSON object")
    return message


def _read(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, left = [], n
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        try:
            chunk = os.read(fd, min(left, 1 << 20))
        except ConnectionResetError:  # it closed with our last message unread: a close too
            chunk = b""
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
