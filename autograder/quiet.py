"""Keep TensorFlow's start-up notes, log lines and warnings out of everything people read."""

import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator

#: Quiet TensorFlow, and grade on the CPU (see README: TF32 on GPUs is less precise).
_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "KERAS_BACKEND": "tensorflow",
    "PYTHONWARNINGS": "ignore",
    "CUDA_VISIBLE_DEVICES": "",
}


def quiet_environment() -> dict[str, str]:
    """Return the environment variables that make TensorFlow quiet (for child processes too)."""
    return dict(_ENV)


@contextlib.contextmanager
def silenced_fds(*fds: int) -> Iterator[None]:
    """Send what C code writes to ``fds`` (default: stdout and stderr) to /dev/null meanwhile."""
    fds = fds or (1, 2)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    saved = [os.dup(fd) for fd in fds]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for fd in fds:
            os.dup2(devnull, fd)
        yield
    finally:
        for fd, copy in zip(fds, saved):
            os.dup2(copy, fd)
            os.close(copy)
        os.close(devnull)


def import_keras_quietly():
    """Import and return keras with TensorFlow's log lines and Python warnings switched off."""
    for key, value in _ENV.items():
        os.environ.setdefault(key, value)
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    with silenced_fds(2), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import keras
    for name in ("tensorflow", "absl", "keras"):
        logging.getLogger(name).setLevel(logging.ERROR)
    full_precision_matmuls()
    return keras


def full_precision_matmuls() -> None:
    """Switch off TF32 matrix products (GPUs only), which would blur float32 comparisons."""
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        with contextlib.suppress(Exception):
            tf.config.experimental.enable_tensor_float_32_execution(False)
