"""Misconception: velocity=None not handled: the first step fails."""

EXPECTED_HINT = "velocity=None means the first step"


def sgd_step(weights, grads, learning_rate, velocity=None, momentum=0.0):
    new_velocity = [momentum * v - learning_rate * g for v, g in zip(velocity, grads)]
    return [w + v for w, v in zip(weights, new_velocity)], new_velocity
