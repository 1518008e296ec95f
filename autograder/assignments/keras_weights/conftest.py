"""The exercise fixtures of keras_weights, and the causes its exceptions usually have."""

from autograder.engine.fixtures import exercise_fixtures


def explain(name: str, exc: BaseException, args: tuple) -> str:
    """Name the cause of an exception where the evidence shows it: the error's own text and the
    inputs the function was given (never a guess from the exception's type alone)."""
    text = str(exc)
    if name == "build_model":
        if "units" in text and "units=0" in text:
            return "leave the hidden layer out when hidden_units is 0: Dense(0) is no layer"
        if "to a shape" in text:
            return "`shape` takes a tuple: keras.Input(shape=(n_features,))"
    if name == "manual_forward" and args:
        unpacked = "values to unpack" in text or isinstance(exc, IndexError)
        if unpacked and len(args[0]) == 2:
            return "without a hidden layer the weights are [W, b]: two arrays, one layer"
        if any(word in text for word in ("mismatch", "not aligned", "shapes")):
            return (
                "each kernel has shape (inputs, units) and x holds one sample per row; "
                "multiply them in the order their shapes allow"
            )
    return ""


globals().update(exercise_fixtures(__file__, explain))
