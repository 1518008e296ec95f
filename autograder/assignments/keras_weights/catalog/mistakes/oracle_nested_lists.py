"""Misconception: the weights as nested Python lists rather than NumPy arrays (set_weights refuses them)."""

EXPECTED_HINT = "return a list of NumPy arrays"


def make_oracle_weights(n_features=2, threshold=0.5, hidden_units=0):
    if hidden_units == 0:
        return [[[1.0]] * n_features, [-threshold]]
    kernel = [[1.0] + [0.0] * (hidden_units - 1) for _ in range(n_features)]
    bias = [-threshold] + [0.0] * (hidden_units - 1)
    out_kernel = [[1.0]] + [[0.0]] * (hidden_units - 1)
    return [kernel, bias, out_kernel, [0.0]]
