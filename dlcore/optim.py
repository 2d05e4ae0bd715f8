"""First-order optimizers as pure functions, and :func:`minimize` to run them.

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

Each optimizer also says what it carries (:meth:`SGD.moments`) and which
gradient its rule sees (:meth:`SGD.gradient`), so a replay such as
:func:`dlcore.race.internals` needs no case per class. Racing many
optimizers, scoring and ranking them live in :mod:`dlcore.race`; the
vectorised stepping loop in :mod:`dlcore.driver`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import numpy as np

from dlcore import driver
from dlcore._validation import check_int, check_range
from dlcore.driver import ObjectiveLike
from dlcore.schedules import tex_number as _tex_num

Schedule = Callable[[int], float]


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


def lr_at(lr: float | Schedule, step: int) -> Any:
    """The learning rate used by the update after ``step`` updates: ``lr`` itself or ``lr(step)``.

    A number for a number or a schedule; an array of shape ``(n, 1)`` for a
    rate per start (:class:`dlcore.race.RatePerStart`).
    """
    if not callable(lr):
        return lr
    value = lr(step)
    # A rate per start (RatePerStart) comes back as an array that broadcasts
    # against the parameters; every schedule returns a plain number.
    return value if isinstance(value, np.ndarray) and value.ndim else float(value)


def _tex_lr(lr: float | Schedule) -> str:
    return r"\eta_t" if callable(lr) else _tex_num(lr)


class Moments(NamedTuple):
    """What an optimizer carries after an update (:meth:`SGD.moments`), to plot its insides.

    first : ndarray of the params' shape, or None
        Momentum buffer or Adam's ``m``; None for optimizers without one.
    second : ndarray of the params' shape, or None
        Adagrad's sum, RMSProp's or Adam's ``v``; None where there is none.
    effective_lr : float or ndarray of the params' shape
        The per-coordinate factor multiplying the direction (``g``, ``b`` or
        Adam's ``m_hat``): ``lr`` for SGD and momentum, ``lr / (sqrt(s) + eps)``
        for the adaptive methods (Adam's with the bias-corrected ``v_hat``).
    bias_correction1, bias_correction2 : float
        Adam's ``1 - beta1^t`` and ``1 - beta2^t``; 1 for the others.
    """

    first: np.ndarray | None
    second: np.ndarray | None
    effective_lr: Any
    bias_correction1: float = 1.0
    bias_correction2: float = 1.0


class _Rule:
    """The defaults every optimizer shares: SGD's :meth:`gradient` and :meth:`moments`."""

    def gradient(self, grads: np.ndarray, params: np.ndarray | None = None) -> np.ndarray:
        """The gradient the rule builds its step from: ``grads`` as floats (Adam adds L2)."""
        return np.asarray(grads, dtype=float)

    def moments(self, state: Any, lr: Any) -> Moments:
        """What ``state``, the state after an update made with rate ``lr``, carries."""
        return Moments(None, None, lr)


# --------------------------------------------------------------------------
# Optimizers
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SGD(_Rule):
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
        lr = lr_at(self.lr, state.step)
        grads = np.asarray(grads, dtype=float)
        return -lr * grads, SGDState(state.step + 1)

    def to_latex(self) -> str:
        """The update rule with this optimizer's numbers plugged in."""
        return rf"\theta_{{t+1}} = \theta_t - {_tex_lr(self.lr)}\, g_t"


@dataclass(frozen=True)
class Momentum(_Rule):
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
        lr = lr_at(self.lr, state.step)
        grads = np.asarray(grads, dtype=float)
        buf = self.momentum * state.momentum_buffer
        buf += grads
        return -lr * buf, MomentumState(state.step + 1, buf)

    def moments(self, state: MomentumState, lr: Any) -> Moments:
        """The momentum buffer; the step is ``lr`` times it (or times ``g + mu b``)."""
        return Moments(state.momentum_buffer, None, lr)

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
        lr = lr_at(self.lr, state.step)
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
class Adagrad(_Rule):
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
        lr = lr_at(self.lr, state.step)
        grads = np.asarray(grads, dtype=float)
        total = state.sum + np.square(grads)
        denom = np.sqrt(total)
        denom += self.eps
        step = np.divide(grads, denom, out=denom)
        step *= -lr
        return step, AdagradState(state.step + 1, total)

    def moments(self, state: AdagradState, lr: Any) -> Moments:
        """The sum of squared gradients and the per-coordinate rate it leaves."""
        return Moments(None, state.sum, lr / (np.sqrt(state.sum) + self.eps))

    def to_latex(self) -> str:
        return (
            r"s_t = s_{t-1} + g_t^2,\quad \theta_{t+1} = \theta_t - "
            rf"\frac{{{_tex_lr(self.lr)}}}{{\sqrt{{s_t}} + {_tex_num(self.eps)}}}\, g_t"
        )


@dataclass(frozen=True)
class RMSProp(_Rule):
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
        lr = lr_at(self.lr, state.step)
        grads = np.asarray(grads, dtype=float)
        avg = np.square(grads)
        avg *= 1.0 - self.alpha
        avg += self.alpha * state.square_avg
        denom = np.sqrt(avg)
        denom += self.eps
        step = np.divide(grads, denom, out=denom)
        step *= -lr
        return step, RMSPropState(state.step + 1, avg)

    def moments(self, state: RMSPropState, lr: Any) -> Moments:
        """The running average of squared gradients and the per-coordinate rate it leaves."""
        return Moments(None, state.square_avg, lr / (np.sqrt(state.square_avg) + self.eps))

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
class Adam(_Rule):
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
        lr = lr_at(self.lr, state.step)
        return _adam_step(lr, *self.betas, self.eps, self.gradient(grads, params), state)

    def gradient(self, grads: np.ndarray, params: np.ndarray | None = None) -> np.ndarray:
        """``grads + weight_decay * params``: the L2 penalty enters the gradient Adam sees."""
        grads = np.asarray(grads, dtype=float)
        if not self.weight_decay:
            return grads
        if params is None:
            raise ValueError("params must be given to update when weight_decay > 0")
        return grads + self.weight_decay * np.asarray(params, dtype=float)

    def moments(self, state: AdamState, lr: Any) -> Moments:
        """Both moments, their bias corrections and the rate that multiplies ``m_hat``."""
        bc1, bc2 = (1 - beta**state.step for beta in self.betas)
        effective = lr / (np.sqrt(state.exp_avg_sq / bc2) + self.eps)
        return Moments(state.exp_avg, state.exp_avg_sq, effective, bc1, bc2)

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
        lr = lr_at(self.lr, state.step)
        step, new_state = _adam_step(lr, *self.betas, self.eps, self.gradient(grads), state)
        if self.weight_decay:
            if params is None:
                raise ValueError("params must be given to update when weight_decay > 0")
            # theta (1 - lr wd) + adam_step, written as an update to add to theta.
            step -= (lr * self.weight_decay) * np.asarray(params, dtype=float)
        return step, new_state

    def gradient(self, grads: np.ndarray, params: np.ndarray | None = None) -> np.ndarray:
        """``grads`` itself: AdamW's decay shrinks the parameters, not the gradient."""
        return np.asarray(grads, dtype=float)

    def to_latex(self) -> str:
        decay = rf"\theta_t \leftarrow (1 - {_tex_lr(self.lr)} \cdot {_tex_num(self.weight_decay)})\,\theta_t"
        return _adam_tex(self.lr, self.betas, self.eps, decay)


Optimizer = SGD | Momentum | Nesterov | Adagrad | RMSProp | Adam | AdamW

OPTIMIZERS: dict[str, type] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, Adagrad, RMSProp, Adam, AdamW)
}


# --------------------------------------------------------------------------
# Running one optimizer from many starts
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


def minimize(
    objective: ObjectiveLike,
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
        :func:`dlcore.driver.check_starts` for the messages.
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
    times whatever the number of starts (:func:`dlcore.driver.run`). Every
    rule here is elementwise, so a diverged start's NaNs stay in its own
    rows; every 16 steps such starts are parked (held at x0 with zero
    updates) so they stop costing NaN arithmetic. After the loop one scan
    finds each start's first bad step and its later points are replaced by
    its last finite one. :func:`minimize_loop` is the one-start-at-a-time
    reference.
    """
    return Trajectory(*driver.frozen(driver.run(objective, optimizer, x0, steps, limit=limit)))


def minimize_loop(
    objective: ObjectiveLike, optimizer: Optimizer, x0: Any, steps: int, *, limit: float = 1e6
) -> Trajectory:
    """The readable reference for :func:`minimize`: one start at a time, stopping at divergence.

    Same arguments and result; a test checks that the two agree. It is
    about ``n`` times slower than :func:`minimize` for ``n`` starts, because
    it runs the Python loop ``n * steps`` times.
    """
    steps = check_int("steps", steps, 0, 100_000)
    x0 = driver.check_starts(objective, x0, limit=limit)
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
