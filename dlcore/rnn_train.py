"""Sequence tasks for a vanilla RNN, and training it with :mod:`dlcore.optim`.

Three tasks, each a generator of seeded batches (time first, as
:func:`dlcore.rnn.rnn_forward` takes them):

* **Sine wave**: predict the next value of ``sin(2 pi t / 20 + phase)``. One
  value does not say whether the wave is rising or falling, so the network
  must remember the previous step.
* **Parity bits**: after each bit, is the count of ones so far odd? The
  answer depends on every bit seen, the longest memory of the three.
* **Characters**: predict the next letter of "hello world ", one-hot coded.
  After "l" comes "l", "o" or "d": only the letters before tell which.

Training draws a fresh batch at every step from ``default_rng([seed, step])``,
so 200 steps at once equal two presses of 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from dlcore import optim
from dlcore._validation import RngLike, as_rng, check_choice, check_int, check_range
from dlcore.rnn import (
    RNNWeights,
    clip_by_norm,
    flatten_weights,
    init_rnn,
    rnn_forward,
    rnn_loss_and_grads,
    unflatten_weights,
)

SINE_PERIOD = 20
#: The batch seed of the held-out sequence (training steps never reach it).
HELD_OUT = 10**9
TEXT = "hello world "
VOCAB = tuple(sorted(set(TEXT)))


@dataclass(frozen=True)
class SequenceTask:
    """One sequence task.

    Attributes
    ----------
    name : str
    loss : {"mse", "xent"}
    n_in, n_out : int
        Input and output sizes per step.
    latex : str
        The target, for ``st.latex``.
    """

    name: str
    loss: str
    n_in: int
    n_out: int
    latex: str


SEQUENCE_TASKS: dict[str, SequenceTask] = {
    "Sine wave": SequenceTask(
        "Sine wave", "mse", 1, 1, r"x_t = \sin(2\pi t/20 + \varphi),\quad \text{target } x_{t+1}"
    ),
    "Parity bits": SequenceTask(
        "Parity bits", "xent", 1, 2, r"\text{target}_t = (b_1 + \dots + b_t) \bmod 2"
    ),
    "Characters": SequenceTask(
        "Characters",
        "xent",
        len(VOCAB),
        len(VOCAB),
        r"\text{next letter of ``hello world''}",
    ),
}


def make_sequences(task: str, n: int, length: int, *, rng: RngLike = None):
    """A batch of ``n`` sequences of ``length`` steps for ``task``.

    Returns
    -------
    X : ndarray of shape (length, n, n_in)
    targets : ndarray of shape (length, n, 1) (sine wave) or of int, shape (length, n)
    """
    spec = SEQUENCE_TASKS[check_choice("task", task, SEQUENCE_TASKS)]
    n, length = check_int("n", n, 1, 4096), check_int("length", length, 1, 500)
    gen = as_rng(rng)
    t = np.arange(length + 1)[:, None]
    if spec.name == "Sine wave":
        wave = np.sin(2 * np.pi * t / SINE_PERIOD + gen.uniform(0, 2 * np.pi, n))
        return wave[:-1, :, None], wave[1:, :, None]
    if spec.name == "Parity bits":
        bits = gen.integers(0, 2, (length, n))
        return bits[..., None].astype(float), np.cumsum(bits, axis=0) % 2
    codes = np.array([VOCAB.index(c) for c in TEXT])
    where = (gen.integers(0, len(TEXT), n)[None, :] + t) % len(TEXT)
    return np.eye(len(VOCAB))[codes[where[:-1]]], codes[where[1:]]


@dataclass(frozen=True)
class RNNTrainConfig:
    """Everything that fixes a training run (hashable, for ``st.cache_data``).

    Attributes
    ----------
    task : str
        A key of :data:`SEQUENCE_TASKS`.
    hidden : int
        Hidden units H.
    length : int
        Steps per training sequence.
    batch : int
        Sequences per step.
    optimizer : str
        A key of :data:`dlcore.optim.OPTIMIZERS`.
    lr : float
    radius : float
        Spectral radius of the initial ``W_hh``.
    clip : float or None
        Global gradient-norm clipping threshold; None for none.
    seed : int
    """

    task: str = "Sine wave"
    hidden: int = 16
    length: int = 20
    batch: int = 16
    optimizer: str = "Adam"
    lr: float = 0.01
    radius: float = 0.9
    clip: float | None = 1.0
    seed: int = 0

    def make_optimizer(self) -> Any:
        """The configured :mod:`dlcore.optim` optimizer."""
        return optim.OPTIMIZERS[check_choice("optimizer", self.optimizer, optim.OPTIMIZERS)](
            lr=self.lr
        )

    def initial_weights(self) -> RNNWeights:
        """The seeded starting weights."""
        spec = SEQUENCE_TASKS[check_choice("task", self.task, SEQUENCE_TASKS)]
        return init_rnn(spec.n_in, self.hidden, spec.n_out, radius=self.radius, rng=self.seed)


class RNNRun(NamedTuple):
    """A training run that continues press by press.

    Attributes
    ----------
    theta : ndarray of shape (n_params,)
        The flat parameters now (:func:`dlcore.rnn.flatten_weights`).
    state : optimizer state or None before the first step
    step : int
        Steps done.
    loss : ndarray of shape (step,)
        The training loss of each step's batch (before its update).
    grad_norm : ndarray of shape (step,)
        The global gradient norm of each step, before clipping.
    diverged_at : int
        The step whose loss or gradient was not finite, or -1.
    """

    theta: np.ndarray
    state: Any
    step: int
    loss: np.ndarray
    grad_norm: np.ndarray
    diverged_at: int


def start_run(config: RNNTrainConfig) -> RNNRun:
    """A run at step 0 from the configuration's seeded weights."""
    theta = flatten_weights(config.initial_weights())
    return RNNRun(theta, None, 0, np.zeros(0), np.zeros(0), -1)


def train_rnn(config: RNNTrainConfig, run: RNNRun | None, steps: int) -> RNNRun:
    """Continue ``run`` (or start one) for ``steps`` optimizer steps on fresh seeded batches.

    Each step: a batch, the forward pass, BPTT, the gradient clipped to
    ``config.clip`` (global norm), one optimizer update. A loss or gradient
    that is not finite (or a loss above 1e6) stops the run and keeps the last
    finite parameters.
    """
    steps = check_int("steps", steps, 0, 100_000)
    check_range("lr", config.lr, 0.0, 100.0, low_inclusive=False)
    run = start_run(config) if run is None else run
    if run.diverged_at >= 0 or steps == 0:
        return run
    spec = SEQUENCE_TASKS[config.task]
    like, opt = config.initial_weights(), config.make_optimizer()
    theta, state = run.theta, run.state if run.state is not None else opt.init(run.theta)
    losses, norms, diverged = [], [], -1
    with np.errstate(over="ignore", invalid="ignore"):
        for s in range(run.step, run.step + steps):
            X, y = make_sequences(
                config.task,
                config.batch,
                config.length,
                rng=np.random.default_rng([config.seed, s]),
            )
            value, g, _ = rnn_loss_and_grads(unflatten_weights(theta, like), X, y, loss=spec.loss)
            grad, norm, _ = clip_by_norm(flatten_weights(RNNWeights(*g[:5])), config.clip)
            if not (value <= 1e6 and np.isfinite(norm)):
                diverged = s
                break
            losses.append(value)
            norms.append(norm)
            updates, state = opt.update(grad, state, theta)
            theta = theta + updates
    return RNNRun(
        theta,
        state,
        run.step + len(losses),
        np.concatenate([run.loss, losses]),
        np.concatenate([run.grad_norm, norms]),
        diverged,
    )


class RNNPrediction(NamedTuple):
    """The trained network on one held-out sequence.

    Attributes
    ----------
    inputs : ndarray of shape (T, n_in)
    targets : ndarray of shape (T,) (values, or class labels)
    outputs : ndarray of shape (T,)
        The prediction (sine), or the predicted class.
    confidence : ndarray of shape (T,)
        The probability given to the right class (cross-entropy tasks), or
        ``|error|`` (sine).
    """

    inputs: np.ndarray
    targets: np.ndarray
    outputs: np.ndarray
    confidence: np.ndarray


def predict_sequence(config: RNNTrainConfig, run: RNNRun, length: int) -> RNNPrediction:
    """Run the network on one seeded held-out sequence of ``length`` steps."""
    X, y = make_sequences(
        config.task, 1, length, rng=np.random.default_rng([config.seed, HELD_OUT])
    )
    w = unflatten_weights(run.theta, config.initial_weights())
    out = rnn_forward(w, X).y[:, 0]
    if SEQUENCE_TASKS[config.task].loss == "mse":
        return RNNPrediction(X[:, 0], y[:, 0, 0], out[:, 0], np.abs(out[:, 0] - y[:, 0, 0]))
    p = np.exp(out - out.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    labels = y[:, 0]
    return RNNPrediction(X[:, 0], labels, p.argmax(axis=1), p[np.arange(length), labels])
