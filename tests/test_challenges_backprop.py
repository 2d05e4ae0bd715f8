"""dlcore.challenges.backprop: trained networks, dead units, silent inputs."""

import math

import numpy as np

from dlcore.challenges import backprop as bc
from dlcore.views import backprop as views


def test_classifies_spirals_on_a_real_run():
    cfg = views.TrainConfig(data="spirals", layers=2, width=16, activation="tanh")
    run = views.train_run(cfg, views.load_split(cfg), None, 300)
    assert bc.classifies(cfg.data, cfg.layers, run.test_accuracy, run.diverged_at).passed


def test_classifies_refuses_other_states():
    assert not bc.classifies("moons", 2, [0.99], -1).passed  # the default data set
    assert not bc.classifies("spirals", 3, [0.99], -1).passed  # too deep
    assert not bc.classifies("spirals", 2, [0.99], 4).passed  # diverged
    assert not bc.classifies("spirals", 2, [], -1).passed  # untrained
    assert not bc.classifies("spirals", 2, [0.95], -1).passed  # exactly 95% is not above
    assert not bc.classifies("spirals", 2, [math.nan], -1).passed


def test_linear_stack_fails_on_a_real_run():
    cfg = views.TrainConfig(data="circles", layers=3, activation="identity")
    run = views.train_run(cfg, views.load_split(cfg), None, 60)
    assert bc.linear_stack_fails("circles", "identity", 3, run.epoch, run.test_accuracy).passed
    assert not bc.linear_stack_fails("circles", "relu", 3, 60, [0.5]).passed
    assert not bc.linear_stack_fails("circles", "identity", 1, 60, [0.5]).passed
    assert not bc.linear_stack_fails("circles", "identity", 3, 10, [0.5]).passed  # barely trained
    assert not bc.linear_stack_fails("moons", "identity", 3, 60, [0.5]).passed
    assert not bc.linear_stack_fails("circles", "identity", 3, 60, [math.nan]).passed


def test_no_gradient_to_weights_on_the_graph_view():
    dead = views.graph_view("relu", (1.0, -0.5), (-0.8, 0.4), 0.1, 1.0, 0)
    grads = [dead.trace.grads[dead.trace.labels.index(n)] for n in ("w1", "w2", "b")]
    assert bc.no_gradient_to_weights(grads, dead.loss, dead.z, "relu").passed
    alive = views.graph_view("sigmoid", (1.0, -0.5), (0.8, 0.4), 0.1, 1.0, 0)  # the default
    grads = [alive.trace.grads[alive.trace.labels.index(n)] for n in ("w1", "w2", "b")]
    assert not bc.no_gradient_to_weights(grads, alive.loss, alive.z, "sigmoid").passed
    assert not bc.no_gradient_to_weights([0.0, 0.0, 0.0], 0.0, 1.0, "relu").passed  # no loss
    assert not bc.no_gradient_to_weights([math.nan, 0.0], 1.0, 1.0, "relu").passed


def test_input_silences_row_on_the_step_view():
    step = views.step_view((0.0, -1.0), 1, 0.5, 1)
    assert bc.input_silences_row(step.x, step.trace.dW1).passed
    default = views.step_view((0.5, -1.0), 1, 0.5, 1)
    assert not bc.input_silences_row(default.x, default.trace.dW1).passed
    both = views.step_view((0.0, 0.0), 1, 0.5, 1)
    assert not bc.input_silences_row(both.x, both.trace.dW1).passed  # sees nothing at all
    assert not bc.input_silences_row([0.0, 1.0], np.ones((2, 2))).passed  # inconsistent
    assert not bc.input_silences_row([math.nan, 1.0], np.zeros((2, 2))).passed
