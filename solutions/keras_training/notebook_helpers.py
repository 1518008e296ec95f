"""Helpers for the course's notebooks: a quiet Keras import and the pictures."""

import contextlib
import logging
import os
import warnings

import matplotlib.pyplot as plt
import numpy as np


@contextlib.contextmanager
def _stderr_to_devnull():
    """Send what C code prints on stderr (TensorFlow's start-up notes) to /dev/null."""
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def quiet_import_keras():
    """Import keras without TensorFlow's log lines; return the module.

    It also switches off TensorFlow's graph optimizer (Grappler). Every epoch of ``model.fit``
    builds fresh input pipelines, and Grappler rewrites each one before it runs: on networks as
    small as these that rewriting is much of the work. Without it the blog's 150 epochs take
    about a third less time, and every number comes out the same.
    """
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    with _stderr_to_devnull(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import keras
        import tensorflow as tf
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    return keras


def plot_data(ax, X, y, threshold, title):
    """Scatter the two features of X coloured by label, with the true boundary."""
    for label, colour in ((1, "tab:blue"), (-1, "tab:orange")):
        pts = X[np.asarray(y).ravel() == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=12, c=colour, label=f"y = {label:+d} ({len(pts)})")
    ax.plot([0, threshold], [threshold, 0], "k--", lw=1, label=f"x1 + x2 = {threshold}")
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="x1", ylabel="x2", title=title, aspect="equal")
    ax.legend(loc="upper right", fontsize=8)


def plot_decision(ax, predict, X, y, threshold, title):
    """Shade where ``predict`` answers +1 or -1 over [0, 1)^2 and overlay the data."""
    grid = np.linspace(0, 1, 201)
    g1, g2 = np.meshgrid(grid, grid)
    out = predict(np.c_[g1.ravel(), g2.ravel()].astype("float32")).reshape(g1.shape)
    ax.contourf(g1, g2, np.sign(out), levels=[-2, 0, 2], colors=["#fde0c5", "#cfe3f5"])
    plot_data(ax, X, y, threshold, title)


def show(fig):
    """Lay out and show a figure."""
    fig.tight_layout()
    plt.show()
