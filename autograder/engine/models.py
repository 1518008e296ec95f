"""A Keras model a student's function returned, sent as data: checked, then rebuilt.

The sandbox sends a model as its JSON config, compile config and weights. Before the grader
builds anything from that, the config must describe what the exercise can produce (the
assignment's ``[models]`` limits: which layer classes, how many layers, units and inputs);
otherwise a config naming a 6000 x 40000 layer would make the grader itself allocate
gigabytes. Only Keras' own classes are rebuilt, in Keras' safe mode.
"""

import json

from autograder.model.assignment import ModelLimits
from autograder.sandbox.inside import protocol

MAX_JSON = 1 << 20
MODEL_CLASSES = ("Functional", "Sequential")


class ModelRefused(Exception):
    """The returned model is not one the exercise can produce; it is not rebuilt."""


def rebuild(data: object, limits: ModelLimits):
    """Check the model sent as ``data`` against ``limits`` and rebuild it.

    Raises:
        ModelRefused: it holds what the exercise cannot produce (the student's fault).
        protocol.ProtocolError: ``data`` is not a model as the sandbox sends one.
    """
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("json", "compile")):
        raise protocol.ProtocolError("a model arrived without its configs")
    if len(data["json"]) > MAX_JSON or len(data["compile"]) > MAX_JSON:
        raise ModelRefused("the model's configuration is larger than any model of this exercise")
    try:
        config, compiled = json.loads(data["json"]), json.loads(data["compile"])
    except (ValueError, RecursionError):
        raise protocol.ProtocolError("a model's config is not valid JSON") from None
    weights = protocol.decode(data.get("weights"))
    check(config, compiled, weights, limits)
    return _build(data["json"], compiled, weights)


def check(config: object, compiled: object, weights: object, limits: ModelLimits) -> None:
    """Refuse a model that is larger than, or made of other parts than, ``limits`` allow."""
    if not isinstance(config, dict) or config.get("class_name") not in MODEL_CLASSES:
        raise ModelRefused("the model is not a keras.Model built from layers (Sequential or functional)")
    _only_keras(config, 0)
    _only_keras(compiled, 0)
    layers = config.get("config", {}).get("layers") if isinstance(config.get("config"), dict) else None
    if not isinstance(layers, list) or len(layers) > limits.max_layers:
        raise ModelRefused(f"the model has more than {limits.max_layers} layers")
    for layer in layers:
        _check_layer(layer, limits)
    largest = limits.max_units * (max(limits.max_units, limits.max_inputs) + 1)
    if not isinstance(weights, list) or len(weights) > 2 * limits.max_layers:
        raise ModelRefused("the model holds more weight arrays than its layers can have")
    if any(getattr(w, "size", largest + 1) > largest for w in weights):
        raise ModelRefused("a weight array of the model is larger than any layer of this exercise holds")


def _check_layer(layer: object, limits: ModelLimits) -> None:
    if not isinstance(layer, dict) or layer.get("class_name") not in limits.layers:
        name = layer.get("class_name") if isinstance(layer, dict) else type(layer).__name__
        allowed = ", ".join(limits.layers)
        raise ModelRefused(
            f"the model has a layer of class {str(name)[:40]!r}; this exercise uses only {allowed}"
        )
    config = layer.get("config") if isinstance(layer.get("config"), dict) else {}
    units = config.get("units", 1)
    if not isinstance(units, int) or not 0 < units <= limits.max_units:
        shown, most = str(units)[:20], limits.max_units
        raise ModelRefused(f"the model has a layer of {shown} units; this exercise needs at most {most}")
    for key in ("batch_shape", "batch_input_shape"):
        _check_shape(config.get(key), limits)
    build = layer.get("build_config")
    if isinstance(build, dict):
        _check_shape(build.get("input_shape"), limits)


def _check_shape(shape: object, limits: ModelLimits) -> None:
    if shape is None:
        return
    most = max(limits.max_inputs, limits.max_units)
    if (
        not isinstance(shape, list)
        or len(shape) > 4
        or any(d is not None and not (isinstance(d, int) and 0 < d <= most) for d in shape)
    ):
        shown, most = str(shape)[:40], limits.max_inputs
        raise ModelRefused(f"the model's input shape {shown} is not this exercise's (at most {most} inputs)")


def _only_keras(value: object, depth: int) -> None:
    """Every object named in a config must be one of Keras' own (no custom classes)."""
    if depth > 40:
        raise ModelRefused("the model's configuration is nested too deeply")
    if isinstance(value, dict):
        module = value.get("module")
        if module is not None and not (isinstance(module, str) and module.split(".")[0] == "keras"):
            raise ModelRefused("the model uses a class of its own; only Keras' layers can be graded")
        if value.get("registered_name") not in (None, value.get("class_name")):
            raise ModelRefused(
                "the model uses a registered class of its own; only Keras' layers can be graded"
            )
        for item in value.values():
            _only_keras(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _only_keras(item, depth + 1)


def _build(text: str, compiled: object, weights: list):
    from autograder.quiet import import_keras_quietly

    keras = import_keras_quietly()
    try:
        model = keras.models.model_from_json(text)
        if compiled is not None:
            model.compile_from_config(compiled)
        model.set_weights(weights)
    except Exception as exc:
        raise ModelRefused(
            f"the model could not be rebuilt from its configuration ({type(exc).__name__})"
        ) from None
    return model
