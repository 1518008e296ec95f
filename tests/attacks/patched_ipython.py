"""Attack: patch IPython so later cells do nothing and numbers display as full marks."""

import numpy as np

EXERCISE = "manual_forward"
HONEST = "manual_forward_no_bias"

try:
    shell = get_ipython()  # noqa: F821
    shell.run_cell = lambda *args, **kwargs: None
    shell.display_formatter.formatters["text/plain"].for_type(float, lambda *args: "6.0")
except Exception:
    pass


def manual_forward(weights, x):
    out = np.asarray(x, dtype=np.float32)
    for kernel in weights[0::2]:
        out = np.tanh(out @ kernel)
    return out
