"""The sandbox channel's messages: what round-trips, and what hostile bytes the grader refuses."""

import base64
import io
import json
import os
import socket
import struct
import threading
import time

import numpy as np
import pytest

from autograder.sandbox.inside import protocol

ROUND_TRIPS = {
    "plain values": [1, 2.5, "text", None, True],
    "nested lists and tuples": [[1, (2, 3)], ([4], 5)],
    "a dict of str keys": {"a": 1, "b": [2, 3]},
    "a float32 matrix": np.arange(6, dtype=np.float32).reshape(2, 3),
    "an int64 vector": np.array([1, -2, 3]),
    "a NumPy scalar": np.float64(0.25),
    "weights in get_weights order": [np.ones((2, 5)), np.zeros(5), np.ones((5, 1)), np.zeros(1)],
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
def test_plain_data_round_trips(name):
    """Does plain data come back equal after encode, JSON and decode?"""
    value = ROUND_TRIPS[name]
    back = protocol.decode(json.loads(json.dumps(protocol.encode(value))))
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and np.array_equal(back, value)
    elif isinstance(value, np.generic):
        assert back == value.item()
    else:
        assert repr(back) == repr(value)


class Rigged(np.ndarray):
    def __eq__(self, other):
        return True


REFUSED_VALUES = {
    "a student's own object": object(),
    "a generator": (i for i in range(3)),
    "an object array": np.array([object()], dtype=object),
    "a dict with non-str keys": {1: 2},
    "nesting deeper than allowed": json.loads("[" * 30 + "1" + "]" * 30),
}


@pytest.mark.parametrize("name", sorted(REFUSED_VALUES))
def test_what_is_not_plain_data_is_refused(name):
    """Is anything but plain values and arrays refused before it leaves the sandbox?"""
    with pytest.raises(protocol.Unsupported):
        protocol.encode(REFUSED_VALUES[name])


def test_array_subclasses_arrive_as_plain_arrays():
    """Does an ndarray subclass with a rigged == arrive as a plain ndarray?"""
    back = protocol.decode(protocol.encode(np.zeros(3).view(Rigged)))
    assert type(back) is np.ndarray


def _pickled_array() -> dict:
    buffer = io.BytesIO()
    np.save(buffer, np.array([1, "a"], dtype=object), allow_pickle=True)
    return {"__ndarray__": base64.b64encode(buffer.getvalue()).decode()}


def _nested(depth: int) -> dict:
    value: object = 1
    for _ in range(depth):
        value = {"__list__": [value]}
    return value


HOSTILE_DATA = {
    "an untagged dict": {"a": 1},
    "two tags": {"__list__": [], "__dict__": {}},
    "an unknown tag": {"__model__": {}},
    "a list tag holding a string": {"__list__": "abc"},
    "an array that is not base64": {"__ndarray__": "%%%"},
    "an array that is not .npy": {"__ndarray__": "aGVsbG8="},
    "an array of pickled objects": _pickled_array(),
    "nesting deeper than allowed": _nested(protocol.MAX_DEPTH + 5),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_DATA))
def test_hostile_data_is_a_protocol_error(name):
    """Does data the sandbox could not have made raise ProtocolError, never something else?"""
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(HOSTILE_DATA[name])


def _pipe_with(data: bytes, close: bool = True) -> int:
    read, write = os.pipe()
    os.write(write, data)
    if close:
        os.close(write)
    return read


HOSTILE_FRAMES = {
    "a JSON array, not an object": struct.pack("!Q", 2) + b"[]",
    "bytes that are not JSON": struct.pack("!Q", 3) + b"\xff\xfe\x00",
    "200,000 levels of nesting": struct.pack("!Q", 400_000) + b"[" * 200_000 + b"]" * 200_000,
    "a length beyond the limit": struct.pack("!Q", protocol.MAX_MESSAGE + 1),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FRAMES))
def test_hostile_frames_are_refused(name):
    """Does a malformed, oversized or absurdly deep message raise ProtocolError (and nothing else)?"""
    data = HOSTILE_FRAMES[name]
    read, write = os.pipe()
    writer = threading.Thread(target=lambda: (os.write(write, data), os.close(write)))
    writer.start()
    try:
        with pytest.raises(protocol.ProtocolError):
            protocol.receive(read, time.monotonic() + 10)
    finally:
        writer.join()
        os.close(read)


def test_a_header_without_its_body_times_out():
    """Does a length header whose body never comes end at the deadline, not hang?"""
    read = _pipe_with(struct.pack("!Q", 100) + b"{", close=False)
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        protocol.receive(read, start + 0.3)
    assert time.monotonic() - start < 2


def test_a_closed_channel_is_eof():
    """Does a channel closed mid-message say EOF?"""
    with pytest.raises(EOFError):
        protocol.receive(_pipe_with(struct.pack("!Q", 10) + b"{}"), time.monotonic() + 5)


def test_a_channel_closed_with_a_message_unread_is_eof():
    """Does a session that ends before reading the grader's last message (the kernel then
    resets the channel) read as an ended session, not as one that broke the channel's rules?"""
    grader, session = socket.socketpair()
    with grader:
        protocol.send(grader.fileno(), {"op": "call"})
        session.close()
        with pytest.raises(EOFError):
            protocol.receive(grader.fileno(), time.monotonic() + 5)


def test_a_result_too_large_to_send_becomes_an_error_reply(monkeypatch):
    """Is a reply over the limit replaced by an error that keeps its nonce?"""
    monkeypatch.setattr(protocol, "MAX_MESSAGE", 1000)
    read, write = os.pipe()
    protocol.send(write, {"nonce": "n1", "result": "x" * 5000})
    os.close(write)
    reply = protocol.receive(read, time.monotonic() + 5)
    assert reply == {"nonce": "n1", "error": {"type": "TooLarge", "message": "the result is too large"}}
