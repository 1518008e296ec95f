"""keras_training's reference against Keras itself: the tolerances its checks state hold, with
room to spare, and its drawn checks keep away from the hinge's kink."""

import numpy as np
import pytest

from autograder.assignments.keras_training import support
from autograder.course.layout import KIT_ROOT, Course
from autograder.dev.scratch import reference_functions
from autograder.model.draws import Draws, Identity

KIT = Course(KIT_ROOT)
ASSIGNMENT = KIT.assignment("keras_training")


@pytest.fixture(scope="module")
def reference():
    """The reference solutions of the source notebook, as functions."""
    return reference_functions(KIT, ASSIGNMENT)


def fit(case: dict) -> list[np.ndarray]:
    """The weights after a plain ``model.fit`` (compiled as Keras compiles it by default)."""
    keras = support.keras_module()
    model = support.keras_model(case["weights"])
    optimizer = keras.optimizers.SGD(learning_rate=case["learning_rate"], momentum=case["momentum"])
    model.compile(optimizer=optimizer, loss="hinge")
    model.fit(
        case["X"], case["y"], epochs=case["epochs"], batch_size=case["batch_size"], shuffle=False, verbose=0
    )
    return model.get_weights()


# (momentum, samples, batch size): with and without momentum, each with a smaller last batch.
RUNS = [(0.0, 45, 8), (0.9, 45, 8), (0.5, 30, 7)]


@pytest.mark.parametrize(("momentum", "n", "batch_size"), RUNS)
def test_reference_training_equals_model_fit(reference, momentum, n, batch_size):
    """After 4 epochs (the most the checks draw) of a 2-5-1 network whose last batch is
    smaller, do the reference train_by_hand's weights equal model.fit's within a tenth of the
    checks' tolerance?"""
    assert n % batch_size
    case = support.training_case(np.random.default_rng(n), 2, 5, n, batch_size, 4, momentum)
    mine = reference["train_by_hand"](
        case["weights"], case["X"], case["y"], 4, batch_size, case["learning_rate"], momentum
    )
    gap = support.max_gap(mine, fit(case))
    print(f"\nmomentum {momentum}, {n} samples in batches of {batch_size}: largest difference {gap:.1e}")
    assert gap < support.TRAIN_ATOL / 10


def test_eager_fit_is_fit(reference):
    """Do the checks' model.fit (run eagerly, for speed) and the compiled one agree within
    float32 round-off?"""
    case = support.training_case(np.random.default_rng(1), 3, 4, 37, 6, 3, 0.7)
    assert support.max_gap(support.keras_fit(case), fit(case)) < 1e-6


@pytest.mark.parametrize("seed", range(4))
def test_reference_gradients_equal_the_tape(reference, seed):
    """Do the reference gradients and the checks' float64 chain rule equal tf.GradientTape's
    within a tenth of the tolerance, with and without the hidden layer?"""
    gen = np.random.default_rng(seed)
    hidden = [0, 1, 5, 9][seed]
    weights = support.random_weights(gen, 3, hidden)
    x, y = support.labelled_points(gen, 50, 3)
    tape = support.keras_gradients(weights, x, y)
    for grads in (reference["manual_gradients"](weights, x, y), support.gradients(weights, x, y)):
        assert support.close(grads, tape, support.GRAD_ATOL / 10, support.RTOL / 10)


def test_hint_reference_is_model_fit():
    """Does the float64 training the hints start from equal model.fit (with momentum)?"""
    case = support.training_case(np.random.default_rng(7), 2, 3, 29, 5, 4, 0.6)
    assert support.max_gap(support.train(case), fit(case)) < support.TRAIN_ATOL / 10


def test_drawn_runs_keep_away_from_the_kink():
    """Does every drawn training run keep every output at least KINK_GAP inside (-1, 1) at
    every step, for 30 students?"""
    for i in range(30):
        gen = Draws(Identity("kink", f"student-{i}")).rng("train_by_hand", "plain")
        case = support.training_case(gen, 3, 8, 40, 7, 4, 0.9)
        largest: list[float] = []

        def watch(weights, x, largest=largest):
            largest.append(np.abs(support.activations(weights, x)[-1]).max())

        support.train(case, watch=watch)
        assert max(largest) <= 1 - support.KINK_GAP


def test_checks_differ_between_students():
    """Do two students get different drawn training runs, and one student the same?"""

    def draw(student):
        gen = Draws(Identity("course-secret", student)).rng("train_by_hand", "plain")
        case = support.training_case(gen, 2, 5, 30, 7, 2, 0.0)
        return case["X"].tobytes(), case["weights"][0].tobytes()

    assert draw("alice") == draw("alice")
    assert draw("alice") != draw("bob")


def test_step_tolerance_holds_float32_for_40_students():
    """Does a float32 SGD with momentum stay within half the step check's tolerance of
    keras.optimizers.SGD on 40 students' drawn runs (weights that grow to ten and more)?"""
    from autograder.assignments.keras_training.test_sgd_step import problem, scale

    for i in range(40):
        gen = Draws(Identity("step", f"student-{i}")).rng("sgd_step", "momentum")
        weights, steps = problem(gen, int(gen.integers(3, 6)))
        lr, m = np.float32(gen.uniform(0.01, 1.0)), np.float32(gen.uniform(0.5, 0.95))
        w, v = [np.float32(a) for a in weights], [np.zeros_like(a) for a in weights]
        for grads, want in zip(steps, support.keras_sgd(weights, steps, float(lr), float(m))):
            v = [m * b - lr * g for b, g in zip(v, grads)]
            w = [a + b for a, b in zip(w, v)]
            assert support.close(w, want, support.STEP_ATOL * scale(want) / 2), f"student-{i}"
