"""What the Recurrent networks lab's panels show, one call per panel."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore import lstm, rnn
from dlcore._validation import check_int, check_range
from dlcore.rnn_train import (
    SEQUENCE_TASKS,
    VOCAB,
    RNNPrediction,
    RNNRun,
    RNNTrainConfig,
    SequenceTask,
    make_sequences,
    predict_sequence,
    train_rnn,
)
from dlcore.tex import tex_matrix, tex_number

#: Hidden units of the written-out network: few enough to read every number.
SMALL_HIDDEN = 3
#: A gradient check passes below this relative error (float64, eps = 1e-6).
RNN_CHECK_THRESHOLD = 1e-6


def _row(v: np.ndarray) -> str:
    return tex_matrix(np.asarray(v).reshape(1, -1), digits=3)


def token_labels(task: str, X: np.ndarray) -> list[str]:
    """What each step's input is, as text: the value, the bit or the letter.

    Parameters
    ----------
    X : ndarray of shape (T, n_in)
    """
    if task == "Characters":
        return [repr(VOCAB[int(i)]) for i in X.argmax(axis=1)]
    if task == "Parity bits":
        return [str(int(round(v))) for v in X[:, 0]]
    return [f"{v:.2f}" for v in X[:, 0]]


def target_labels(task: str, targets: np.ndarray) -> list[str]:
    """Each step's target as text."""
    if task == "Characters":
        return [repr(VOCAB[int(i)]) for i in targets]
    if task == "Parity bits":
        return [str(int(v)) for v in targets]
    return [f"{v:.2f}" for v in targets]


class UnrolledView(NamedTuple):
    """The written-out network of the Unrolled graph panel.

    Attributes
    ----------
    spec : SequenceTask
    inputs : list of str, one per step
    targets : list of str, one per step
    outputs : list of str, one per step
        The output y_t: the value (sine wave) or the most likely class.
    h : ndarray of shape (T + 1, H)
        Hidden states (``h[0] = 0``).
    dh : ndarray of shape (T + 1, H)
        ``dL/dh_t`` after BPTT.
    dh_norm : ndarray of shape (T + 1,)
        ``||dL/dh_t||``.
    loss : float
    forward_tex, backward_tex : list of str
        The chosen step's equations with the current numbers.
    check : dlcore.rnn.RNNCheck
    passed : bool
        Every parameter's relative error below :data:`RNN_CHECK_THRESHOLD`.
    """

    spec: SequenceTask
    inputs: list[str]
    targets: list[str]
    outputs: list[str]
    h: np.ndarray
    dh: np.ndarray
    dh_norm: np.ndarray
    loss: float
    forward_tex: list[str]
    backward_tex: list[str]
    check: rnn.RNNCheck
    passed: bool


def _forward_tex(w: rnn.RNNWeights, X: np.ndarray, fwd: rnn.RNNForward, t: int) -> list[str]:
    """Step t (1-based) forward: the three parts of a_t, then h_t and y_t, with numbers."""
    x, hp = X[t - 1, 0], fwd.h[t - 1, 0]
    return [
        rf"a_{{{t}}} = x_{{{t}}} W_{{xh}} + h_{{{t - 1}}} W_{{hh}} + b_h = "
        rf"{_row(x @ w.W_xh)} + {_row(hp @ w.W_hh)} + {_row(w.b_h)}",
        rf"a_{{{t}}} = {_row(fwd.a[t - 1, 0])} \;\Rightarrow\; "
        rf"h_{{{t}}} = \tanh(a_{{{t}}}) = {_row(fwd.h[t, 0])}",
        rf"y_{{{t}}} = h_{{{t}}} W_{{hy}} + b_y = {_row(fwd.y[t - 1, 0])}",
    ]


def _backward_tex(
    w: rnn.RNNWeights, fwd: rnn.RNNForward, dy: np.ndarray, g: rnn.RNNGrads, t: int
) -> list[str]:
    """Step t backward: the two sources of dL/dh_t, then through tanh."""
    T = dy.shape[0]
    own = dy[t - 1, 0] @ w.W_hy.T
    later = g.dh[t, 0] - own
    da = g.dh[t, 0] * (1 - fwd.h[t, 0] ** 2)
    if t < T:
        head = [
            rf"\frac{{\partial L}}{{\partial h_{{{t}}}}} = "
            rf"\frac{{\partial L}}{{\partial y_{{{t}}}}} W_{{hy}}^\top + "
            rf"\frac{{\partial L}}{{\partial a_{{{t + 1}}}}} W_{{hh}}^\top = "
            rf"{_row(own)} + {_row(later)}"
        ]
    else:
        head = [
            rf"\frac{{\partial L}}{{\partial h_{{{t}}}}} = "
            rf"\frac{{\partial L}}{{\partial y_{{{t}}}}} W_{{hy}}^\top = {_row(own)}"
            r"\quad\text{(the last step: nothing comes back from later)}"
        ]
    return head + [
        rf"\frac{{\partial L}}{{\partial h_{{{t}}}}} = {_row(g.dh[t, 0])} \;\Rightarrow\; "
        rf"\frac{{\partial L}}{{\partial a_{{{t}}}}} = \frac{{\partial L}}{{\partial h_{{{t}}}}}"
        rf" \odot (1 - h_{{{t}}}^2) = {_row(da)}",
        rf"\frac{{\partial L}}{{\partial W_{{hh}}}} \mathrel{{+}}= h_{{{t - 1}}}^\top "
        rf"\frac{{\partial L}}{{\partial a_{{{t}}}}},\quad "
        rf"\frac{{\partial L}}{{\partial W_{{xh}}}} \mathrel{{+}}= x_{{{t}}}^\top "
        rf"\frac{{\partial L}}{{\partial a_{{{t}}}}},\quad "
        rf"\frac{{\partial L}}{{\partial b_h}} \mathrel{{+}}= "
        rf"\frac{{\partial L}}{{\partial a_{{{t}}}}}"
        r"\qquad\text{(one term per step: the weights are shared)}",
    ]


def unrolled_view(task: str, length: int, step: int, seed: int) -> UnrolledView:
    """A 3-unit tanh RNN on one sequence of ``task``: forward, BPTT and the gradient check.

    Parameters
    ----------
    task : str
        A key of :data:`dlcore.rnn_train.SEQUENCE_TASKS`.
    length : int
        T, 2..10.
    step : int
        The step t (1..T) whose equations are written out.
    seed : int
    """
    spec = SEQUENCE_TASKS.get(task)
    if spec is None:
        raise ValueError(f"task must be one of {', '.join(SEQUENCE_TASKS)}, got {task!r}")
    T = check_int("length", length, 2, 10)
    t = check_int("step", step, 1, T)
    X, y = make_sequences(task, 1, T, rng=seed)
    w = rnn.init_rnn(spec.n_in, SMALL_HIDDEN, spec.n_out, radius=0.9, rng=seed)
    loss, g, fwd = rnn.rnn_loss_and_grads(w, X, y, loss=spec.loss)
    _, dy = rnn.output_loss(fwd.y, y, spec.loss)
    check = rnn.rnn_gradient_check(w, X, y, loss=spec.loss)
    flat_targets = y[:, 0, 0] if spec.loss == "mse" else y[:, 0]
    flat_outputs = fwd.y[:, 0, 0] if spec.loss == "mse" else fwd.y[:, 0].argmax(axis=1)
    return UnrolledView(
        spec=spec,
        inputs=token_labels(task, X[:, 0]),
        targets=target_labels(task, flat_targets),
        outputs=target_labels(task, flat_outputs),
        h=fwd.h[:, 0],
        dh=g.dh[:, 0],
        dh_norm=np.linalg.norm(g.dh[:, 0], axis=1),
        loss=loss,
        forward_tex=_forward_tex(w, X, fwd, t),
        backward_tex=_backward_tex(w, fwd, dy, g, t),
        check=check,
        passed=bool(np.all(check.errors < RNN_CHECK_THRESHOLD)),
    )


def time_verdict(ratio: float, *, low: float = 1e-2, high: float = 1e2) -> str:
    """``"vanishing"``, ``"exploding"`` or ``"stable"`` from the end-to-end gradient ratio.

    ``ratio`` is ``||dL/dh_0|| / ||dL/dh_T||``; not finite counts as exploding.

    Examples
    --------
    >>> time_verdict(1e-5), time_verdict(3.0), time_verdict(float("inf"))
    ('vanishing', 'stable', 'exploding')
    """
    if not np.isfinite(ratio) or ratio > high:
        return "exploding"
    return "vanishing" if ratio < low else "stable"


class TimeView(NamedTuple):
    """The Vanishing and exploding panel.

    Attributes
    ----------
    result : dlcore.rnn.ThroughTime
    verdict : str
        :func:`time_verdict` of the end-to-end ratio.
    rate : float
        The measured factor per step, ``ratio_T^(1/T)`` (rho for a linear normal cell).
    norm, clipped_norm : float
        ``||dL/dW_hh||`` before and after clipping.
    scale : float
        The clipping factor.
    ratio_tex : str
        ``ratio_T`` against ``rho^T`` with the numbers.
    lstm_ratio : ndarray of shape (T + 1,) or None
        The same ratio through an LSTM cell of the same size and inputs, when asked for.
    """

    result: rnn.ThroughTime
    verdict: str
    rate: float
    norm: float
    clipped_norm: float
    scale: float
    ratio_tex: str
    lstm_ratio: np.ndarray | None = None


def through_time_view(
    radius: float,
    kind: str,
    activation: str,
    length: int,
    hidden: int,
    clip: float | None,
    seed: int,
    forget_bias: float | None = None,
) -> TimeView:
    """The gradient carried back ``length`` steps through ``W_hh`` of spectral radius ``radius``.

    With ``forget_bias`` set, also through an LSTM cell of the same size with that
    forget-gate bias (:func:`dlcore.lstm.lstm_gradient_through_time`).
    """
    hidden = check_int("hidden", hidden, 2, 256)
    radius = check_range("radius", radius, 0.0, 10.0)
    W = rnn.recurrent_matrix(hidden, radius, kind=kind, rng=seed)
    r = rnn.gradient_through_time(W, length, activation=activation, rng=seed)
    T = len(r.ratio) - 1
    end = float(r.ratio[-1])
    _, norm, scale = rnn.clip_by_norm(r.grad_W_hh, clip)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        rate = float(end ** (1.0 / T)) if np.isfinite(end) else float("inf")
    ratio_tex = (
        rf"\frac{{\lVert \partial L/\partial h_0 \rVert}}{{\lVert \partial L/\partial h_{{{T}}}"
        rf"\rVert}} = {tex_number(end)},\qquad \rho^{{{T}}} = {tex_number(radius)}^{{{T}}} = "
        rf"{tex_number(float(r.reference[-1]))},\qquad \text{{measured factor per step}} = "
        rf"{tex_number(rate)}"
    )
    lstm_ratio = (
        None
        if forget_bias is None
        else lstm.lstm_gradient_through_time(hidden, T, forget_bias=forget_bias, rng=seed)
    )
    return TimeView(r, time_verdict(end), rate, norm, norm * scale, scale, ratio_tex, lstm_ratio)


class TrainView(NamedTuple):
    """The Train an RNN panel after a run.

    Attributes
    ----------
    status : {"fresh", "trained", "diverged"}
    message : str
    metrics : dict of str to str
    prediction : RNNPrediction
        On a held-out sequence.
    inputs, targets, outputs : list of str
        The prediction as text, one per step.
    optimizer_tex : str
    """

    status: str
    message: str
    metrics: dict[str, str]
    prediction: RNNPrediction
    inputs: list[str]
    targets: list[str]
    outputs: list[str]
    optimizer_tex: str


def train_run_rnn(config: RNNTrainConfig, run: RNNRun | None, steps: int) -> RNNRun:
    """:func:`dlcore.rnn_train.train_rnn`, named for the panel's cache."""
    return train_rnn(config, run, steps)


def rnn_train_view(config: RNNTrainConfig, run: RNNRun) -> TrainView:
    """Metrics, the verdict and a held-out prediction of the run so far."""
    spec = SEQUENCE_TASKS[config.task]
    p = predict_sequence(config, run, 2 * config.length)
    recent = float(np.mean(run.loss[-20:])) if run.step else float("nan")
    metrics = {"steps": str(run.step), "loss (last 20 steps)": f"{recent:.4g}"}
    if spec.loss == "xent":
        metrics["held-out accuracy"] = f"{np.mean(p.outputs == p.targets):.0%}"
    else:
        metrics["held-out RMSE"] = f"{np.sqrt(np.mean(p.confidence**2)):.3g}"
    if run.step:
        metrics["largest gradient norm"] = f"{run.grad_norm.max():.3g}"
    if run.diverged_at >= 0:
        status, message = (
            "diverged",
            (
                f"Training diverged at step {run.diverged_at}: the loss or the gradient left the "
                "finite range. Lower the learning rate or turn gradient clipping on."
            ),
        )
    elif run.step == 0:
        status, message = "fresh", "Untrained: press Train or Step."
    else:
        status, message = "trained", ""
    return TrainView(
        status,
        message,
        metrics,
        p,
        token_labels(config.task, p.inputs),
        target_labels(config.task, p.targets),
        target_labels(config.task, p.outputs),
        config.make_optimizer().to_latex(),
    )
