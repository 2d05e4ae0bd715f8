"""First-order optimizers as pure functions, and a vectorised race driver.

Every optimizer is a frozen dataclass with the optax-style contract::

    state = opt.init(params)
    updates, state = opt.update(grads, state, params)
    params = params + updates

``init`` and ``update`` never mutate their arguments and work on arrays of
any shape, so a batch of start points of shape ``(n, 2)`` races as one array.
Update rules, keyword names and defaults follow ``torch.optim`` (version 2.x),
so a number on screen can be checked against PyTorch.

``lr`` may be a number or a schedule, any callable ``step -> value`` (see
:mod:`dlcore.schedules`). The step passed to it is the number of updates
already made (0 on the first update), which is what a ``torch.optim``
scheduler stepped once per iteration after ``optimizer.step()`` gives.

Where frameworks disagree
-------------------------
* Momentum. PyTorch keeps a buffer of summed gradients and steps by it,
  ``b = mu b + g; theta -= lr b``. Sutskever et al. (2013) and many textbooks
  keep a velocity in parameter units, ``v = mu v - lr g; theta += v``. With a
  constant learning rate the two give identical points (``v = -lr b``); with a
  schedule they differ, because PyTorch rescales the whole buffer by today's
  lr while the velocity keeps the old rates baked in.
* Nesterov. PyTorch uses the "look-ahead on the gradient" form
  ``theta -= lr (g + mu b)`` (Bengio et al. 2012 reformulation) rather than
  evaluating the gradient at ``theta + mu v``; the points differ only by
  where the look-ahead is stored.
* eps. PyTorch's Adam, AdamW, RMSprop and Adagrad add ``eps`` *outside* the
  square root, ``g / (sqrt(v) + eps)``; TensorFlow's RMSprop and some papers
  add it inside, ``g / sqrt(v + eps)``. Adam's ``eps`` is added after the
  bias correction of ``v``. These only matter when ``v`` is tiny.
* Weight decay. ``AdamW`` shrinks the parameters directly
  (``theta *= 1 - lr * wd``, decoupled, Loshchilov & Hutter 2019); ``Adam``
  with ``weight_decay`` adds ``wd * theta`` to the gradient (L2), which the
  adaptive denominator then rescales.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple, Protocol

import numpy as np

from dlcore._validation import RngLike, as_rng, check_array, check_int, check_range
from dlcore.schedules import tex_number as _tex_num

Schedule = Callable[[int], float]


class Objective(Protocol):
    """Anything with ``f(p)`` and ``grad(p)`` vectorised over ``p[..., d]``."""

    def f(self, p: np.ndarray) -> np.ndarray: ...

    def grad(self, p: np.ndarray) -> np.ndarray: ...


# --------------------------------------------------------------------------
# States
# --------------------------------------------------------------------------


class SGDState(NamedTuple):
    step: int


class MomentumState(NamedTuple):
    step: int
    momentum_buffer: np.ndarray


class AdagradState(NamedTuple):
    step: int
    sum: np.ndarray


class RMSPropState(NamedTuple):
    step: int
    square_avg: np.ndarray


class AdamState(NamedTuple):
    step: int
    exp_avg: np.ndarray
    exp_avg_sq: np.ndarray


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _check_lr(lr: Any) -> None:
    if callable(lr):
        return
    check_range("lr", lr, 0, None)


def _lr_at(lr: float | Schedule, step: int) -> Any:
    if not callable(lr):
        return lr
    value = lr(step)
    # A rate per start (RatePerStart) comes back as an array that broadcasts
    # against the parameters; every schedule returns a plain number.
    return value if isinstance(value, np.ndarray) and value.ndim else float(value)


def _tex_lr(lr: float | Schedule) -> str:
    return r"\eta_t" if callable(lr) else _tex_num(lr)


# --------------------------------------------------------------------------
# Optimizers
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SGD:
    """Plain gradient descent, ``torch.optim.SGD(lr)``.

    ``theta_{t+1} = theta_t - lr * g_t``.

    Parameters
    ----------
    lr : float or callable
        Learning rate (>= 0) or a schedule ``step -> lr``.
    """

    lr: float | Schedule = 1e-2

    name: ClassVar[str] = "SGD"
    latex: ClassVar[str] = r"\theta_{t+1} = \theta_t - \eta\, g_t"

    def __post_init__(self) -> None:
        _check_lr(self.lr)

    def init(self, params: np.ndarray) -> SGDState:
        """State for ``params`` of any shape (SGD keeps only the step count)."""
        return SGDState(0)

    def update(self, grads: np.ndarray, state: SGDState, params: np.ndarray | None = None):
        """Return ``(updates, new_state)``; ``updates`` has the shape of ``grads``."""
        lr = _lr_at(self.lr, state.step)
        grads = np.asarray(grads, dtype=float)
        return -lr * grads, SGDState(state.step + 1)

    def to_latex(self) -> str:
        """The update rule with this optimizer's numbers plugged in."""
        return rf"\theta_{{t+1}} = \theta_t - {_tex_lr(self.lr)}\, g_t"


@dataclass(frozen=True)
class Momentum:
    """Heavy-ball momentum, ``torch.optim.SGD(lr, momentum=0.9)`` (dampening 0).

    PyTorch's form: ``b_t = momentum * b_{t-1} + g_t`` (``b_1 = g_1``),
    ``theta_{t+1} = theta_t - lr * b_t``. Sutskever's velocity form
    ``v_t = momentum * v_{t-1} - lr * g_t`` gives the same points for a constant
    lr (``v = -lr * b``) but not under a schedule; see the module docstring.

    Parameters
    ----------
    lr : float or callable
        Learning rate (>= 0) or a schedule.
    momentum : float
        Momentum factor in [0, 1]; 0 is plain SGD.
    """

    lr: float | Schedule = 1e-2
    momentum: float = 0.9

    name: ClassVar[str] = "Momentum"
    latex: ClassVar[str] = r"b_t = \mu\, b_{t-1} + g_t,\quad \theta_{t+1} = \theta_t - \eta\, b_t"

    def __post_init__(self) -> None:
        _check_lr(self.lr)
        check_range("momentum", self.momentum, 0, 1)

    def init(self, params: np.ndarray) -> MomentumState:
        """Zero momentum buffer shaped like ``params``."""
        return MomentumState(0, np.zeros_like(params, dtype=float))

    def update(self, grads: np.ndarray, state: MomentumState, params: np.ndarray | None = None):
        """Return ``(updates, new_state)``."""
        lr = _lr_at(self.lr, state.step)
        grads = np.asarray(grads, dtype=float)
        buf = self.momentum * state.momentum_buffer
        buf += grads
        return -lr * buf, MomentumState(state.step + 1, buf)

    def to_latex(self) -> str:
        mu = _tex_num(self.momentum)
        return rf"b_t = {mu}\, b_{{t-1}} + g_t,\quad \theta_{{t+1}} = \theta_t - {_tex_lr(self.lr)}\, b_t"


@dataclass(frozen=True)
class Nesterov(Momentum):
    """Nesterov momentum, ``torch.optim.SGD(lr, momentum=0.9, nesterov=True)``.

    ``b_t = momentum * b_{t-1} + g_t``, ``theta_{t+1} = theta_t - lr (g_t +
    momentum * b_t)``: the step looks ahead along the buffer it is about to
    take (PyTorch's form; Sutskever's evaluates the gradient at the
    looked-ahead point instead, which is the same sequence shifted).
    Same state and hyper-parameters as :class:`Momentum`; only the step differs.

    Parameters
    ----------
    lr : float or callable
        Learning rate (>= 0) or a schedule.
    momentum : float
        Momentum factor in [0, 1].
    """

    name: ClassVar[str] = "Nesterov"
    latex: ClassVar[str] = (
        r"b_t = \mu\, b_{t-1} + g_t,\quad \theta_{t+1} = \theta_t - \eta\,(g_t + \mu\, b_t)"
    )

    def update(self, grads: np.ndarray, state: MomentumState, params: np.ndarray | None = None):
        """Return ``(updates, new_state)``."""
        lr = _lr_at(self.lr, state.step)
        grads = np.asarray(grads, dtype=float)
        buf = self.momentum * state.momentum_buffer
        buf += grads
        step = self.momentum * buf
        step += grads
        step *= -lr
        return step, MomentumState(state.step + 1, buf)

    def to_latex(self) -> str:
        mu = _tex_num(self.momentum)
        return (
            rf"b_t = {mu}\, b_{{t-1}} + g_t,\quad "
            rf"\theta_{{t+1}} = \theta_t - {_tex_lr(self.lr)}\,(g_t + {mu}\, b_t)"
        )


@dataclass(frozen=True)
class Adagrad:
    """Adagrad (Duchi et al. 2011), ``torch.optim.Adagrad`` without lr_decay.

    ``s_t = s_{t-1} + g_t^2``, ``theta_{t+1} = theta_t - lr g_t / (sqrt(s_t) + eps)``
    (eps outside the root, as PyTorch). The per-coordinate step only shrinks.

    Parameters
    ----------
    lr : float or callable
        Learning rate (>= 0) or a schedule.
    eps : float
        Added to the denominator, >= 0.
    """

    lr: float | Schedule = 1e-2
    eps: float = 1e-10

    name: ClassVar[str] = "Adagrad"
    latex: ClassVar[str] = (
        r"s_t = s_{t-1} + g_t^2,\quad \theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{s_t} + \epsilon}\, g_t"
    )

    def __post_init__(self) -> None:
        _check_lr(self.lr)
        check_range("eps", self.eps, 0, None)

    def init(self, params: np.ndarray) -> AdagradState:
        """Zero sum of squared gradients shaped like ``params``."""
        return AdagradState(0, np.zeros_like(params, dtype=float))

    def update(self, grads: np.ndarray, state: AdagradState, params: np.ndarray | None = None):
        """Return ``(updates, new_state)``."""
        lr = _lr_at(self.lr, state.step)
        grads = np.asarray(grads, dtype=float)
        total = state.sum + np.square(grads)
        denom = np.sqrt(total)
        denom += self.eps
        step = np.divide(grads, denom, out=denom)
        step *= -lr
        return step, AdagradState(state.step + 1, total)

    def to_latex(self) -> str:
        return (
            r"s_t = s_{t-1} + g_t^2,\quad \theta_{t+1} = \theta_t - "
            rf"\frac{{{_tex_lr(self.lr)}}}{{\sqrt{{s_t}} + {_tex_num(self.eps)}}}\, g_t"
        )


@dataclass(frozen=True)
class RMSProp:
    """RMSProp (Hinton 2012), ``torch.optim.RMSprop`` (not centred, no momentum).

    ``v_t = alpha v_{t-1} + (1 - alpha) g_t^2``,
    ``theta_{t+1} = theta_t - lr g_t / (sqrt(v_t) + eps)``. PyTorch puts eps
    outside the root and starts ``v`` at 0 without bias correction, so the
    first steps are large (``lr / sqrt(1 - alpha)`` per coordinate).

    Parameters
    ----------
    lr : float or callable
        Learning rate (>= 0) or a schedule.
    alpha : float
        Smoothing constant in [0, 1].
    eps : float
        Added to the denominator, >= 0.
    """

    lr: float | Schedule = 1e-2
    alpha: float = 0.99
    eps: float = 1e-8

    name: ClassVar[str] = "RMSProp"
    latex: ClassVar[str] = (
        r"v_t = \alpha\, v_{t-1} + (1 - \alpha)\, g_t^2,\quad "
        r"\theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{v_t} + \epsilon}\, g_t"
    )

    def __post_init__(self) -> None:
        _check_lr(self.lr)
        check_range("alpha", self.alpha, 0, 1)
        check_range("eps", self.eps, 0, None)

    def init(self, params: np.ndarray) -> RMSPropState:
        """Zero running average of squared gradients shaped like ``params``."""
        return RMSPropState(0, np.zeros_like(params, dtype=float))

    def update(self, grads: np.ndarray, state: RMSPropState, params: np.ndarray | None = None):
        """Return ``(updates, new_state)``."""
        lr = _lr_at(self.lr, state.step)
        grads = np.asarray(grads, dtype=float)
        avg = np.square(grads)
        avg *= 1.0 - self.alpha
        avg += self.alpha * state.square_avg
        denom = np.sqrt(avg)
        denom += self.eps
        step = np.divide(grads, denom, out=denom)
        step *= -lr
        return step, RMSPropState(state.step + 1, avg)

    def to_latex(self) -> str:
        a = _tex_num(self.alpha)
        return (
            rf"v_t = {a}\, v_{{t-1}} + {_tex_num(1 - self.alpha)}\, g_t^2,\quad "
            rf"\theta_{{t+1}} = \theta_t - \frac{{{_tex_lr(self.lr)}}}{{\sqrt{{v_t}} + {_tex_num(self.eps)}}}\, g_t"
        )


def _adam_step(lr: float, beta1: float, beta2: float, eps: float, grads, state: AdamState):
    """Adam's moments and step as ``torch.optim.Adam`` computes them."""
    t = state.step + 1
    m = beta1 * state.exp_avg
    m += (1.0 - beta1) * grads
    v = np.square(grads)
    v *= 1.0 - beta2
    v += beta2 * state.exp_avg_sq
    bias1 = 1.0 - beta1**t
    bias2 = 1.0 - beta2**t
    # PyTorch: denom = sqrt(v) / sqrt(bias2) + eps, step = lr / bias1 * m / denom.
    denom = np.sqrt(v)
    denom *= 1.0 / math.sqrt(bias2)
    denom += eps
    step = np.divide(m, denom, out=denom)
    step *= -lr / bias1
    return step, AdamState(t, m, v)


def _check_betas(betas: Any) -> None:
    if not isinstance(betas, tuple) or len(betas) != 2:
        raise ValueError(f"betas must be a tuple of two numbers in [0, 1), got {betas!r}")
    check_range("betas[0]", betas[0], 0, 1, high_inclusive=False)
    check_range("betas[1]", betas[1], 0, 1, high_inclusive=False)


def _adam_tex(lr: float | Schedule, betas: tuple[float, float], eps: float, first: str = "") -> str:
    """Adam's rule on two lines (three with ``first``, the weight-decay line)."""
    b1, b2 = (_tex_num(b) for b in betas)
    return (
        r"\begin{gathered}"
        + (first + r" \\ " if first else "")
        + rf"m_t = {b1}\, m_{{t-1}} + {_tex_num(1 - betas[0])}\, g_t,\quad "
        rf"v_t = {b2}\, v_{{t-1}} + {_tex_num(1 - betas[1])}\, g_t^2 \\ "
        rf"\hat m_t = \frac{{m_t}}{{1 - {b1}^t}},\quad \hat v_t = \frac{{v_t}}{{1 - {b2}^t}},\quad "
        rf"\theta_{{t+1}} = \theta_t - {_tex_lr(lr)}\, \frac{{\hat m_t}}{{\sqrt{{\hat v_t}} + {_tex_num(eps)}}}"
        r"\end{gathered}"
    )


_ADAM_LATEX = (
    r"\begin{gathered}m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\ "
    r"\hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v_t}{1-\beta_2^t},\quad "
    r"\theta_{t+1} = \theta_t - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}\end{gathered}"
)


@dataclass(frozen=True)
class Adam:
    """Adam (Kingma & Ba 2015), ``torch.optim.Adam`` (amsgrad off).

    ``m_t = b1 m + (1 - b1) g``, ``v_t = b2 v + (1 - b2) g^2``,
    ``theta -= lr * (m_t / (1 - b1^t)) / (sqrt(v_t / (1 - b2^t)) + eps)``.
    eps is added after the bias correction and outside the root (PyTorch;
    the paper's Algorithm 1 is the same, its "efficient" variant is not).
    On the first step ``m_hat = g`` and ``v_hat = g^2``, so every coordinate
    moves by almost exactly ``lr`` whatever the gradient's size.

    Parameters
    ----------
    lr : float or callable
        Learning rate (>= 0) or a schedule.
    betas : tuple of two floats
        Decay rates of the first and second moments, each in [0, 1).
    eps : float
        Added to the denominator, >= 0.
    weight_decay : float
        L2 penalty added to the gradient (``g + wd * theta``), >= 0. Not
        decoupled: compare :class:`AdamW`.
    """

    lr: float | Schedule = 1e-3
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    weight_decay: float = 0.0

    name: ClassVar[str] = "Adam"
    latex: ClassVar[str] = _ADAM_LATEX

    def __post_init__(self) -> None:
        _check_lr(self.lr)
        _check_betas(self.betas)
        check_range("eps", self.eps, 0, None)
        check_range("weight_decay", self.weight_decay, 0, None)

    def init(self, params: np.ndarray) -> AdamState:
        """Zero first and second moments shaped like ``params``."""
        return AdamState(0, np.zeros_like(params, dtype=float), np.zeros_like(params, dtype=float))

    def update(self, grads: np.ndarray, state: AdamState, params: np.ndarray | None = None):
        """Return ``(updates, new_state)``; ``params`` is needed only with weight_decay."""
        lr = _lr_at(self.lr, state.step)
        grads = np.asarray(grads, dtype=float)
        if self.weight_decay:
            if params is None:
                raise ValueError("params must be given to update when weight_decay > 0")
            grads = grads + self.weight_decay * np.asarray(params, dtype=float)
        return _adam_step(lr, *self.betas, self.eps, grads, state)

    def to_latex(self) -> str:
        decay = (
            rf"g_t \leftarrow g_t + {_tex_num(self.weight_decay)}\,\theta_t"
            if self.weight_decay
            else ""
        )
        return _adam_tex(self.lr, self.betas, self.eps, decay)


@dataclass(frozen=True)
class AdamW(Adam):
    """AdamW (Loshchilov & Hutter 2019), ``torch.optim.AdamW``.

    First ``theta <- theta (1 - lr * weight_decay)`` (decoupled decay, with
    the current lr, as PyTorch), then the Adam step on the raw gradient.
    Same state and hyper-parameters as :class:`Adam`; only the decay differs.

    Parameters
    ----------
    lr : float or callable
        Learning rate (>= 0) or a schedule.
    betas : tuple of two floats
        Each in [0, 1).
    eps : float
        Added to the denominator, >= 0.
    weight_decay : float
        Decoupled weight decay, >= 0.
    """

    weight_decay: float = 1e-2

    name: ClassVar[str] = "AdamW"
    latex: ClassVar[str] = _ADAM_LATEX.replace(
        r"\begin{gathered}", r"\begin{gathered}\theta_t \leftarrow (1 - \eta\lambda)\,\theta_t \\ "
    )

    def update(self, grads: np.ndarray, state: AdamState, params: np.ndarray | None = None):
        """Return ``(updates, new_state)``; ``params`` is needed when weight_decay > 0."""
        lr = _lr_at(self.lr, state.step)
        grads = np.asarray(grads, dtype=float)
        step, new_state = _adam_step(lr, *self.betas, self.eps, grads, state)
        if self.weight_decay:
            if params is None:
                raise ValueError("params must be given to update when weight_decay > 0")
            # theta (1 - lr wd) + adam_step, written as an update to add to theta.
            step -= (lr * self.weight_decay) * np.asarray(params, dtype=float)
        return step, new_state

    def to_latex(self) -> str:
        decay = rf"\theta_t \leftarrow (1 - {_tex_lr(self.lr)} \cdot {_tex_num(self.weight_decay)})\,\theta_t"
        return _adam_tex(self.lr, self.betas, self.eps, decay)


Optimizer = SGD | Momentum | Nesterov | Adagrad | RMSProp | Adam | AdamW

OPTIMIZERS: dict[str, type] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, Adagrad, RMSProp, Adam, AdamW)
}


# --------------------------------------------------------------------------
# Racing many starts
# --------------------------------------------------------------------------


class Trajectory(NamedTuple):
    """A race of one optimizer from one or many starts.

    points : ndarray of shape (steps + 1, *x0.shape)
        ``points[0]`` is ``x0``. After a start diverges its points stay at
        its last finite value (so plots stay readable).
    losses : ndarray of shape (steps + 1, *x0.shape[:-1])
        The objective at each point (frozen likewise after divergence).
    diverged_at : int or ndarray of int of shape x0.shape[:-1]
        First step whose point is not finite, has a coordinate beyond
        ``limit`` in absolute value, or has a non-finite loss; -1 where never.
    """

    points: np.ndarray
    losses: np.ndarray
    diverged_at: Any


def _point_text(p: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.3g}" for v in np.ravel(p)) + ")"


def check_starts(objective: Objective, x0: Any, *, limit: float = 1e6) -> np.ndarray:
    """``x0`` as a float array, or ``ValueError`` saying which start is wrong and why.

    Parameters
    ----------
    objective : object with ``f``
    x0 : array_like of shape (d,) or (n, d)
        One start or many; each must be finite, have every coordinate in
        ``[-limit, limit]`` (beyond it a start would count as diverged before
        its first step), and be a point where ``f`` is finite.
    limit : float
        The divergence limit of :func:`minimize`.

    Examples
    --------
    >>> from dlcore.objectives import OBJECTIVES
    >>> check_starts(OBJECTIVES["Saddle"], [2e6, 0.0])
    Traceback (most recent call last):
    ...
    ValueError: x0 must have every coordinate in [-1e+06, 1e+06]; the start (2e+06, 0) is outside
    """
    x0 = check_array("x0", x0, ndim=(1, 2))
    flat = x0.reshape(-1, x0.shape[-1])
    beyond = np.flatnonzero(np.any(np.abs(flat) > limit, axis=-1))
    if beyond.size:
        raise ValueError(
            f"x0 must have every coordinate in [{-limit:g}, {limit:g}]; "
            f"the start {_point_text(flat[beyond[0]])} is outside"
        )
    with np.errstate(all="ignore"):
        undefined = np.flatnonzero(~np.isfinite(np.asarray(objective.f(flat), dtype=float)))
    if undefined.size:
        raise ValueError(
            "x0 must be a point where the objective is finite, but f is NaN or inf at the start "
            + _point_text(flat[undefined[0]])
        )
    return x0


def minimize(
    objective: Objective,
    optimizer: Optimizer,
    x0: Any,
    steps: int,
    *,
    limit: float = 1e6,
) -> Trajectory:
    """Run ``optimizer`` on ``objective`` from every start in ``x0`` at once.

    Parameters
    ----------
    objective : object with ``f(p)`` and ``grad(p)``
        Both vectorised over ``p`` of shape ``(..., d)``; ``f`` returns shape
        ``p.shape[:-1]``, ``grad`` returns ``p.shape``.
    optimizer : optimizer dataclass
        Any entry of :data:`OPTIMIZERS`, configured.
    x0 : array_like of shape (d,) or (n, d)
        Start point(s): finite, every coordinate within ``limit``, where the
        objective is finite (d is 2 for the surfaces of the lab); see
        :func:`check_starts` for the messages.
    steps : int
        Number of updates, in [0, 100000].
    limit : float
        A start counts as diverged once a coordinate exceeds ``limit`` in
        absolute value (a geometric blow-up takes hundreds of steps to reach
        overflow; this flags it when it is already meaningless).

    Returns
    -------
    Trajectory
        ``points`` of shape ``(steps + 1, *x0.shape)``, ``losses`` of shape
        ``(steps + 1, *x0.shape[:-1])``, ``diverged_at`` (int for one start).

    Notes
    -----
    All starts are stepped as one array, so the Python loop runs ``steps``
    times whatever the number of starts. Every rule here is elementwise, so a
    diverged start's NaNs stay in its own rows; every 16 steps such starts
    are parked (held at x0 with zero updates) so they stop costing NaN
    arithmetic. After the loop one scan finds each start's first bad step and
    its later points are replaced by its last finite one.
    :func:`minimize_loop` is the one-start-at-a-time reference.
    """
    return race(objective, optimizer, x0, steps, limit=limit).trajectory


class Race(NamedTuple):
    """:func:`minimize`'s trajectory and, per start, why it diverged ('' if it did not)."""

    trajectory: Trajectory
    reasons: list[str]


def race(
    objective: Objective, optimizer: Optimizer, x0: Any, steps: int, *, limit: float = 1e6
) -> Race:
    """:func:`minimize` plus a sentence per diverged start saying what went wrong.

    Same parameters as :func:`minimize`. The reason distinguishes a blow-up
    (a coordinate passed ``limit`` or overflowed: the step is too large for
    the curvature) from a step into a region where the formula or its
    gradient is undefined (NaN), which no learning rate makes safe.
    """
    steps = check_int("steps", steps, 0, 100_000)
    limit = check_range("limit", limit, 0, None, low_inclusive=False)
    x0 = check_starts(objective, x0, limit=limit)
    points = np.empty((steps + 1, *x0.shape))
    points[0] = x0
    p = points[0]
    state = optimizer.init(p)
    alive = None  # after a divergence: False for the starts parked at x0
    with np.errstate(all="ignore"):
        for t in range(steps):
            updates, state = optimizer.update(objective.grad(p), state, p)
            if alive is not None:
                updates = np.where(alive, updates, 0.0)
            # Written straight into the history: p is a view of row t + 1.
            p = np.add(p, updates, out=points[t + 1])
            if t % _CHECK_EVERY == _CHECK_EVERY - 1:
                p, state, alive = _park_diverged(p, state, x0, limit, alive)
        losses = np.asarray(objective.f(points), dtype=float)
    first = _first_bad(points, losses, limit)
    return Race(
        _freeze_diverged(points, losses, first, single=x0.ndim == 1),
        _reasons(objective, points, losses, first, limit),
    )


def _reasons(
    objective: Objective, points: np.ndarray, losses: np.ndarray, first: np.ndarray, limit: float
) -> list[str]:
    """One sentence per start ('' if it never diverged) from the raw, not yet frozen, history.

    A blow-up is blamed on the rate unless the surface may fall without limit
    (``bounded_below`` False or None) and the loss was still below its start
    value when the coordinate ran off: that racer slid downhill to -inf.
    """
    flat_p = points.reshape(points.shape[0], -1, points.shape[-1])
    flat_l = losses.reshape(losses.shape[0], -1)
    flat_first = np.atleast_1d(first).ravel()
    bounded = getattr(objective, "bounded_below", True)
    reasons = [""] * len(flat_first)
    for i in np.flatnonzero(flat_first >= 0):
        t = int(flat_first[i])  # >= 1: check_starts refused a bad start
        last, here = flat_p[t - 1, i], flat_p[t, i]
        where = _point_text(last)
        slid = bounded is not True and flat_l[t - 1, i] < flat_l[0, i]
        with np.errstate(all="ignore"):
            grad_ok = np.all(np.isfinite(objective.grad(last)))
        if not grad_ok:
            reasons[i] = (
                f"diverged at step {t}: the gradient is not defined (NaN or inf) at {where}"
            )
        elif np.all(np.isfinite(here)) and np.all(np.abs(here) <= limit):
            reasons[i] = (
                f"diverged at step {t}: stepped from {where} to where f is not defined (NaN or inf)"
            )
        elif slid:
            certain = "has" if bounded is False else "seems to have"
            reasons[i] = (
                f"ran off at step {t}: a coordinate passed {limit:g} in size with the loss still "
                f"falling, because the surface {certain} no minimum that way (f → −∞), "
                "not because the rate is too large"
            )
        else:
            reasons[i] = (
                f"diverged at step {t}: a coordinate passed {limit:g} in size, "
                "the learning rate is too large for the curvature"
            )
    return reasons


# Diverged starts carry inf and NaN, and every ufunc that raises a
# floating-point flag pays for it; parking them keeps a race with a few
# blown-up starts about as fast as a clean one.
_CHECK_EVERY = 16


def _park_diverged(p: np.ndarray, state: Any, x0: np.ndarray, limit: float, alive: Any):
    """Put starts that left ``|x| <= limit`` back at x0, zero their state and stop them.

    Their recorded history already holds the bad value (the parking works on
    a copy), so :func:`_first_bad` still finds the step they diverged at and
    :func:`_freeze_diverged` discards everything after it.
    """
    bad = ~np.all(np.abs(p) <= limit, axis=-1)
    if not bad.any():
        return p, state, alive
    mask = bad[..., None]
    fields = (
        np.where(mask, 0.0, f) if isinstance(f, np.ndarray) and f.shape == p.shape else f
        for f in state
    )
    still = ~mask if alive is None else alive & ~mask
    return np.where(mask, x0, p), type(state)(*fields), still


def _first_bad(points: np.ndarray, losses: np.ndarray, limit: float) -> np.ndarray:
    """Per start, the first step whose point is non-finite or beyond ``limit``, or whose loss is not finite; -1 if none."""
    bad = ~np.isfinite(losses)
    # One coordinate at a time: np.all over a last axis of length 2 is ~10x slower.
    for k in range(points.shape[-1]):
        with np.errstate(invalid="ignore"):
            bad |= ~(np.abs(points[..., k]) <= limit)
    return np.where(bad.any(axis=0), bad.argmax(axis=0), -1)


def _freeze_diverged(
    points: np.ndarray, losses: np.ndarray, first: np.ndarray, *, single: bool
) -> Trajectory:
    """Replace every point and loss from a start's first bad step on by its last good ones."""
    ever = first >= 0
    if ever.any():
        steps_axis = np.arange(points.shape[0]).reshape(-1, *([1] * (losses.ndim - 1)))
        frozen = ever & (steps_axis >= first)
        last = np.maximum(first - 1, 0)
        if losses.ndim == 1:
            last_point, last_loss = points[last], losses[last]
        else:
            cols = np.arange(losses.shape[1])
            last_point, last_loss = points[last, cols], losses[last, cols]
        points = np.where(frozen[..., None], last_point, points)
        losses = np.where(frozen, last_loss, losses)
    diverged_at = int(first) if single else first.astype(int)
    return Trajectory(points, losses, diverged_at)


def minimize_loop(
    objective: Objective, optimizer: Optimizer, x0: Any, steps: int, *, limit: float = 1e6
) -> Trajectory:
    """The readable reference for :func:`minimize`: one start at a time, stopping at divergence.

    Same arguments and result; a test checks that the two agree. It is
    about ``n`` times slower than :func:`minimize` for ``n`` starts, because
    it runs the Python loop ``n * steps`` times.
    """
    steps = check_int("steps", steps, 0, 100_000)
    x0 = check_starts(objective, x0, limit=limit)
    starts = x0.reshape(-1, x0.shape[-1])
    points = np.empty((steps + 1, *starts.shape))
    losses = np.empty((steps + 1, len(starts)))
    diverged = np.full(len(starts), -1)
    for i, start in enumerate(starts):
        p = start.copy()
        loss = float(objective.f(p))
        state = optimizer.init(p)
        points[0, i], losses[0, i] = p, loss
        for t in range(1, steps + 1):
            if diverged[i] < 0:
                with np.errstate(all="ignore"):
                    updates, state = optimizer.update(objective.grad(p), state, p)
                    candidate = p + updates
                    new_loss = float(objective.f(candidate))
                if np.isfinite(new_loss) and np.all(np.abs(candidate) <= limit):
                    p, loss = candidate, new_loss
                else:
                    diverged[i] = t
            points[t, i], losses[t, i] = p, loss
    if x0.ndim == 1:
        return Trajectory(points[:, 0], losses[:, 0], int(diverged[0]))
    return Trajectory(points, losses, diverged)


# --------------------------------------------------------------------------
# Internals of one optimizer along its path
# --------------------------------------------------------------------------


class Internals(NamedTuple):
    """What one optimizer carries along its path, one row per update.

    grads : ndarray of shape (steps, d)
        Gradient at the point the update started from.
    updates : ndarray of shape (steps, d)
        The step taken, ``points[t + 1] - points[t]``.
    lr : ndarray of shape (steps,)
        The learning rate used (differs from step to step under a schedule).
    first_moment : ndarray of shape (steps, d)
        Momentum buffer or Adam's ``m`` after the update; NaN for optimizers
        without one.
    second_moment : ndarray of shape (steps, d)
        Adagrad's sum, RMSProp's or Adam's ``v`` after the update; NaN where
        there is none.
    effective_lr : ndarray of shape (steps, d)
        The per-coordinate factor multiplying the direction (``g``, ``b`` or
        Adam's ``m_hat``): ``lr`` for SGD and momentum,
        ``lr / (sqrt(s) + eps)`` for the adaptive methods (Adam's with the
        bias-corrected ``v_hat``).
    bias_correction1, bias_correction2 : ndarray of shape (steps,)
        Adam's ``1 - beta1^t`` and ``1 - beta2^t``; 1 for the others.
    """

    grads: np.ndarray
    updates: np.ndarray
    lr: np.ndarray
    first_moment: np.ndarray
    second_moment: np.ndarray
    effective_lr: np.ndarray
    bias_correction1: np.ndarray
    bias_correction2: np.ndarray


def internals(objective: Objective, optimizer: Optimizer, points: Any) -> Internals:
    """Replay ``optimizer`` along a path from :func:`minimize` and record its state.

    Parameters
    ----------
    objective : object with ``f`` and ``grad``
    optimizer : optimizer dataclass
    points : array_like of shape (steps + 1, d)
        One start's path (``Trajectory.points`` for x0 of shape ``(d,)``).
        The replay stops being meaningful after a divergence, where the
        path was frozen; rows there repeat the last state.
    """
    points = check_array("points", points, ndim=2, finite=True)
    steps, d = points.shape[0] - 1, points.shape[1]
    out = {
        name: np.full((steps, d), np.nan) for name in ("grads", "updates", "first", "second", "eff")
    }
    lrs, bc1, bc2 = np.ones(steps), np.ones(steps), np.ones(steps)
    state = optimizer.init(points[0])
    with np.errstate(all="ignore"):
        for t in range(steps):
            lr = _lr_at(optimizer.lr, state.step)
            g = np.asarray(objective.grad(points[t]), dtype=float)
            if (
                type(optimizer) is Adam and optimizer.weight_decay
            ):  # L2 enters the gradient, AdamW's decay does not
                g_seen = g + optimizer.weight_decay * points[t]
            else:
                g_seen = g
            updates, state = optimizer.update(g, state, points[t])
            out["grads"][t], out["updates"][t], lrs[t] = g_seen, updates, lr
            out["eff"][t] = lr
            if isinstance(state, MomentumState):
                out["first"][t] = state.momentum_buffer
            elif isinstance(state, AdagradState):
                out["second"][t] = state.sum
                out["eff"][t] = lr / (np.sqrt(state.sum) + optimizer.eps)
            elif isinstance(state, RMSPropState):
                out["second"][t] = state.square_avg
                out["eff"][t] = lr / (np.sqrt(state.square_avg) + optimizer.eps)
            elif isinstance(state, AdamState):
                b1, b2 = optimizer.betas
                bc1[t], bc2[t] = 1 - b1**state.step, 1 - b2**state.step
                out["first"][t], out["second"][t] = state.exp_avg, state.exp_avg_sq
                out["eff"][t] = lr / (np.sqrt(state.exp_avg_sq / bc2[t]) + optimizer.eps)
    return Internals(
        out["grads"], out["updates"], lrs, out["first"], out["second"], out["eff"], bc1, bc2
    )


# --------------------------------------------------------------------------
# Scoring a race
# --------------------------------------------------------------------------


def warmup_steps(beta: float, level: float = 0.95) -> int:
    """Steps ``t`` until ``1 - beta**t`` reaches ``level``: how long an exponential average starting from zero
    (Adam's moments, whose bias corrections are ``1 - beta**t``) takes to forget that start.

    ``ceil(log(1 - level) / log(beta))``; 1 for ``beta = 0`` (no memory). About ``3 / (1 - beta)`` at 0.95.
    """
    beta = check_range("beta", beta, 0.0, 1.0, high_inclusive=False)
    level = check_range("level", level, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    return 1 if beta == 0 else max(1, math.ceil(math.log(1 - level) / math.log(beta) - 1e-9))


def _inner_box(bounds: Any, margin: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper corners of ``bounds`` shrunk by ``margin`` of each side."""
    box = check_array("bounds", bounds, ndim=2)
    if box.shape != (2, 2) or np.any(box[:, 0] >= box[:, 1]):
        raise ValueError(
            f"bounds must be ((x_min, x_max), (y_min, y_max)) with min < max, got {bounds!r}"
        )
    margin = check_range("margin", margin, 0, 0.5, high_inclusive=False)
    width = box[:, 1] - box[:, 0]
    return box[:, 0] + margin * width, box[:, 1] - margin * width


def random_starts(bounds: Any, n: int, rng: RngLike = None, *, margin: float = 0.1) -> np.ndarray:
    """``n`` start points drawn uniformly inside ``bounds``, shape ``(n, 2)``.

    Parameters
    ----------
    bounds : ((x_min, x_max), (y_min, y_max))
    n : int
        Number of starts, in [1, 10000].
    rng : Generator, int or None
        Seed or generator; pages pass a seed so a link reproduces the starts.
    margin : float
        Fraction of each side kept free, in [0, 0.5), so starts are not on the edge.
    """
    low, high = _inner_box(bounds, margin)
    n = check_int("n", n, 1, 10_000)
    return as_rng(rng).uniform(low, high, size=(n, 2))


def grid_starts(bounds: Any, per_side: int, *, margin: float = 0.1) -> np.ndarray:
    """A ``per_side x per_side`` grid of start points inside ``bounds``, shape ``(per_side**2, 2)``.

    The deterministic counterpart of ``random_starts``: every racer meets the
    same evenly spread starts, row by row (y outer, x inner).

    Parameters
    ----------
    bounds : ((x_min, x_max), (y_min, y_max))
    per_side : int
        Points along each axis, in [1, 100]; one point is the box's centre.
    margin : float
        Fraction of each side kept free, in [0, 0.5).
    """
    low, high = _inner_box(bounds, margin)
    per_side = check_int("per_side", per_side, 1, 100)
    if per_side == 1:
        return ((low + high) / 2)[None, :]
    xs, ys = (np.linspace(low[i], high[i], per_side) for i in range(2))
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def distance_to_minima(points: Any, minima: Any) -> np.ndarray:
    """Euclidean distance from each point to the nearest of ``minima``.

    Parameters
    ----------
    points : array_like of shape (..., d)
    minima : array_like of shape (m, d), m >= 1

    Returns
    -------
    ndarray of shape points.shape[:-1]
    """
    points = np.asarray(points, dtype=float)
    minima = check_array("minima", minima, ndim=2)
    diff = points[..., None, :] - minima  # (..., m, d)
    return np.sqrt(np.min(np.sum(diff * diff, axis=-1), axis=-1))


class RaceSummary(NamedTuple):
    """One racer's scores, per start (arrays of shape ``(n,)``).

    final_loss : loss at the last step (at the last finite point if diverged)
    first_within : first step within ``eps`` of a known minimum, -1 if never
        (or if the objective lists no minima)
    diverged_at : step of divergence, -1 if never
    distance : ndarray of shape (steps + 1, n), or None without known minima
    """

    final_loss: np.ndarray
    first_within: np.ndarray
    diverged_at: np.ndarray
    distance: np.ndarray | None


def summarize(trajectory: Trajectory, minima: Any, *, eps: float = 1e-2) -> RaceSummary:
    """Leaderboard numbers of a :class:`Trajectory` (one or many starts).

    Parameters
    ----------
    trajectory : Trajectory
    minima : array_like of shape (m, 2), possibly empty
        Known minimisers of the objective.
    eps : float
        Radius around a minimum that counts as arrived, > 0.
    """
    eps = check_range("eps", eps, 0, None, low_inclusive=False)
    points = trajectory.points if trajectory.points.ndim == 3 else trajectory.points[:, None, :]
    losses = trajectory.losses if trajectory.losses.ndim == 2 else trajectory.losses[:, None]
    diverged = np.atleast_1d(np.asarray(trajectory.diverged_at, dtype=int))
    minima = np.asarray(minima, dtype=float).reshape(-1, points.shape[-1])
    if len(minima) == 0:
        return RaceSummary(losses[-1], np.full(len(diverged), -1), diverged, None)
    distance = distance_to_minima(points, minima)
    inside = distance < eps
    # A diverged start's frozen tail must not count as arriving.
    inside &= (diverged < 0) | (np.arange(len(points))[:, None] < diverged)
    first = np.where(inside.any(axis=0), inside.argmax(axis=0), -1)
    return RaceSummary(losses[-1], first, diverged, distance)


def falls_without_floor(trajectory: Trajectory, *, floor: float, span: float) -> float | None:
    """Evidence from a run alone that a surface has no minimum, or None.

    A start counts when its last finite loss lies more than ``span`` (the
    plotted region's whole height) below ``floor`` (the region's lowest
    value) and was still falling at that step. A surface with a minimum off
    the map rarely looks like this, and never once its racer has settled.

    Parameters
    ----------
    trajectory : Trajectory
        One start or many (``losses`` of shape ``(steps + 1,)`` or ``(steps + 1, n)``).
    floor : float
        Lowest value of f sampled on the plotted region.
    span : float
        Highest minus lowest value there, >= 0.

    Returns
    -------
    float or None
        The lowest such loss over the starts, None when no start shows it
        (or ``floor``/``span`` are not finite, as for a surface undefined
        everywhere on the map).
    """
    losses = np.asarray(trajectory.losses, dtype=float)
    losses = losses.reshape(losses.shape[0], -1)
    if not (np.isfinite(floor) and np.isfinite(span)) or len(losses) < 2:
        return None
    span = check_range("span", span, 0, None)
    diverged = np.atleast_1d(np.asarray(trajectory.diverged_at, dtype=int)).ravel()
    last = np.where(diverged >= 0, diverged - 1, len(losses) - 1)
    cols = np.arange(losses.shape[1])
    end, before = losses[last, cols], losses[np.maximum(last - 1, 0), cols]
    falling = (last >= 1) & (end < floor - span) & (end < before)
    return float(end[falling].min()) if falling.any() else None


class Leaderboard(NamedTuple):
    """A race's table and what may honestly be said about it.

    rows : list of dict
        One row per racer (racer, η, final loss (median), first step within
        eps of a minimum, starts arrived, diverged): best first when
        ``ranked``, else in the racers' own order.
    ranked : bool
        False on a surface with no minimum, where a lower loss only means a
        racer slid further, so no order of the rows is a ranking.
    winner : str or None
        The racer ranked first if it diverged on no start; None otherwise.
    unbounded : bool
        The surface is unbounded below, by its ``bounded_below`` metadata or,
        when that is unknown, from the run (:func:`falls_without_floor`).
    verdict : str
        The sentence to show with the table.
    """

    rows: list[dict[str, Any]]
    ranked: bool
    winner: str | None
    unbounded: bool
    verdict: str


def _board_row(name: str, s: RaceSummary, rate: Any, eps: float) -> dict[str, Any]:
    arrived = s.first_within[s.first_within >= 0]
    return {
        "racer": name,
        "η": "schedule" if callable(rate) else f"{rate:g}",
        "final loss (median)": float(np.median(s.final_loss)),
        f"first step within {eps:g} of a minimum": (
            "never" if arrived.size == 0 else f"{np.median(arrived):.0f}"
        ),
        "starts arrived": f"{arrived.size}/{len(s.first_within)}",
        "diverged": ", ".join(f"step {d}" for d in s.diverged_at[s.diverged_at >= 0][:3]) or "no",
    }


def leaderboard(
    objective: Any,
    races: dict[str, Trajectory],
    *,
    rates: dict[str, Any],
    eps: float = 1e-2,
    floor: float | None = None,
    span: float | None = None,
) -> Leaderboard:
    """Rank a race honestly: by loss where the surface has a minimum, not at all where it has none.

    Parameters
    ----------
    objective : Objective
        Its ``minima`` score arrival, ``name`` and ``bounded_below`` (True,
        False or None for unknown) decide whether a ranking means anything.
    races : dict of name -> Trajectory
        Every racer from the same starts.
    rates : dict of name -> float or schedule
        What the η column shows ("schedule" for a callable).
    eps : float
        Radius around a minimum that counts as arrived, > 0.
    floor, span : float, optional
        The plotted region's lowest value of f and its height; with them, a
        surface of unknown boundedness is judged from the run.

    Returns
    -------
    Leaderboard
        Ranked by (starts diverged, median final loss) on a bounded surface;
        in the racers' order, with no winner, on an unbounded one.
    """
    eps = check_range("eps", eps, 0, None, low_inclusive=False)
    minima = getattr(objective, "minima", ())
    summaries = {k: summarize(tr, minima, eps=eps) for k, tr in races.items()}
    rows = [_board_row(k, s, rates.get(k), eps) for k, s in summaries.items()]
    if not rows:
        return Leaderboard([], False, None, False, "No racer is in the race: pick at least one.")
    final = "final loss (median)"
    bounded = getattr(objective, "bounded_below", None)
    evidence = None
    if bounded is None and floor is not None and span is not None:
        lows = {k: falls_without_floor(tr, floor=floor, span=span) for k, tr in races.items()}
        lows = {k: v for k, v in lows.items() if v is not None}
        evidence = min(lows.items(), key=lambda kv: kv[1]) if lows else None
    if bounded is False or evidence is not None:
        deepest = min(rows, key=lambda row: row[final])
        why = (
            f"{getattr(objective, 'name', 'This surface')} is unbounded below: f falls without limit"
            if bounded is False
            else f"This surface looks unbounded below: {evidence[0]}'s loss fell to "
            f"{evidence[1]:.3g}, far below the lowest value on the map ({floor:.3g}), and was "
            "still falling"
        )
        verdict = (
            f"{why}, so there is no minimum to reach and no winner. A lower final loss only says "
            f"how far a racer slid: {deepest['racer']} slid furthest (median final loss "
            f"{deepest[final]:.3g})."
        )
        return Leaderboard(rows, False, None, True, verdict)
    diverged = {k: int(np.sum(s.diverged_at >= 0)) for k, s in summaries.items()}
    rows.sort(key=lambda row: (diverged[row["racer"]], row[final]))
    top = rows[0]
    if diverged[top["racer"]]:
        verdict = (
            "Every racer diverged on at least one start, so there is no winner: lower the "
            "learning rates of the racers that blew up."
        )
        return Leaderboard(rows, True, None, False, verdict)
    first = top[f"first step within {eps:g} of a minimum"]
    verdict = f"{top['racer']} ends lowest (median final loss {top[final]:.3g}"
    verdict += f", within {eps:g} of a minimum by step {first})." if first != "never" else ")."
    if len(minima) == 0:
        verdict += " This surface lists no known minimum, so lowest is all the ranking can say."
    return Leaderboard(rows, True, top["racer"], False, verdict)


@dataclass(frozen=True)
class RatePerStart:
    """A learning rate per start: ``rates[i]`` steps row ``i`` of ``x0`` (shape ``(n, d)``).

    Passed as ``lr`` it lets :func:`minimize` try several rates from one start
    in a single loop (``x0`` holds one copy of the start per rate), which is
    how :func:`fair_race` tunes. Called with a step it returns the rates as an
    array of shape ``(n, 1)``, which broadcasts against the ``(n, d)`` updates.

    Parameters
    ----------
    rates : tuple of float
        One non-negative rate per start.
    """

    rates: tuple[float, ...]

    def __post_init__(self) -> None:
        for i, rate in enumerate(self.rates):
            check_range(f"rates[{i}]", rate, 0, None)

    def __call__(self, step: Any) -> np.ndarray:
        return np.asarray(self.rates, dtype=float)[:, None]


class FairResult(NamedTuple):
    """A racer in fair-race mode.

    lr : the learning rate picked on the tuning start
    lr_grid : ndarray of the rates tried
    tune_losses : ndarray, final loss on the tuning start per rate (inf if diverged)
    median_final_loss : median over the evaluation starts
    median_first_within : median first step within eps (inf if most never arrive)
    diverged : number of evaluation starts that diverged
    """

    lr: float
    lr_grid: np.ndarray
    tune_losses: np.ndarray
    median_final_loss: float
    median_first_within: float
    diverged: int


def fair_race(
    objective: Objective,
    optimizer: Optimizer,
    *,
    starts: Any,
    tune_start: Any,
    steps: int,
    lr_grid: Any,
    minima: Any = (),
    eps: float = 1e-2,
) -> FairResult:
    """Tune ``optimizer``'s lr on one start, then score it on other starts.

    The single-start race flatters whichever optimizer's default rate happens
    to suit that start; here every optimizer gets its best rate from
    ``lr_grid`` on ``tune_start`` (lowest final loss, diverged runs last), and
    is then judged by medians over ``starts`` it was not tuned on.

    Parameters
    ----------
    objective : object with ``f`` and ``grad``
    optimizer : optimizer dataclass
        Its other hyper-parameters are kept; only ``lr`` is replaced.
    starts : array_like of shape (n, 2)
    tune_start : array_like of shape (2,)
    steps : int
    lr_grid : array_like of shape (k,), positive
    minima : array_like of shape (m, 2)
    eps : float
    """
    from dataclasses import replace

    grid = check_array("lr_grid", lr_grid, ndim=1)
    if np.any(grid <= 0):
        raise ValueError("lr_grid must hold positive learning rates")
    tune_start = check_array("tune_start", tune_start, ndim=1)
    # Every rate of the grid at once: one copy of the tuning start per rate,
    # each stepped with its own rate (the rules are elementwise, so this is
    # exactly len(grid) separate runs, in one loop over the steps).
    copies = np.tile(tune_start, (len(grid), 1))
    run = minimize(objective, replace(optimizer, lr=RatePerStart(tuple(grid))), copies, steps)
    tune_losses = np.where(run.diverged_at >= 0, np.inf, run.losses[-1])
    best = float(grid[np.argmin(tune_losses)])
    race = minimize(objective, replace(optimizer, lr=best), starts, steps)
    summary = summarize(race, minima, eps=eps)
    arrived = np.where(summary.first_within >= 0, summary.first_within, np.inf).astype(float)
    final = np.where(summary.diverged_at >= 0, np.inf, summary.final_loss)
    return FairResult(
        best,
        grid,
        tune_losses,
        float(np.median(final)),
        float(np.median(arrived)),
        int(np.sum(summary.diverged_at >= 0)),
    )


def race_table(trajectories: dict[str, Trajectory]) -> dict[str, np.ndarray]:
    """Trajectories as CSV columns: optimizer, start, step, x, y, loss, diverged.

    Parameters
    ----------
    trajectories : dict of name -> Trajectory with points of shape (steps + 1, n, 2)
    """
    columns: dict[str, list[np.ndarray]] = {
        k: [] for k in ("optimizer", "start", "step", "x", "y", "loss", "diverged")
    }
    for name, tr in trajectories.items():
        points = tr.points if tr.points.ndim == 3 else tr.points[:, None, :]
        losses = tr.losses if tr.losses.ndim == 2 else tr.losses[:, None]
        diverged = np.atleast_1d(tr.diverged_at)
        steps, n = losses.shape
        step = np.repeat(np.arange(steps), n)
        start = np.tile(np.arange(n), steps)
        columns["optimizer"].append(np.full(steps * n, name, dtype=object))
        columns["start"].append(start)
        columns["step"].append(step)
        columns["x"].append(points[..., 0].ravel())
        columns["y"].append(points[..., 1].ravel())
        columns["loss"].append(losses.ravel())
        columns["diverged"].append((diverged[start] >= 0) & (step >= diverged[start]))
    return {k: np.concatenate(v) if v else np.array([]) for k, v in columns.items()}


class Grid(NamedTuple):
    """A surface sampled for plotting: ``z[i, j] = f(x[j], y[i])`` (NaN where undefined)."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray


def surface_grid(objective: Objective, bounds: Any, n: int = 120) -> Grid:
    """Sample ``objective.f`` on an ``n`` x ``n`` grid over ``bounds``.

    Parameters
    ----------
    objective : object with ``f``
    bounds : ((x_min, x_max), (y_min, y_max))
    n : int
        Points per axis, in [2, 1000].

    Returns
    -------
    Grid
        ``x`` and ``y`` of shape (n,), ``z`` of shape (n, n), rows along y;
        non-finite values (a formula's log of a negative number) are NaN.
    """
    n = check_int("n", n, 2, 1000)
    box = check_array("bounds", bounds, ndim=2)
    x, y = np.linspace(*box[0], n), np.linspace(*box[1], n)
    xx, yy = np.meshgrid(x, y)
    with np.errstate(all="ignore"):
        z = np.asarray(objective.f(np.stack([xx, yy], axis=-1)), dtype=float)
    z[~np.isfinite(z)] = np.nan
    return Grid(x, y, z)
