"""What the panels of the Backpropagation lab show, one function per panel.

The trainer is the one panel with state: its run (a :class:`dlcore.nn.Progress`)
lives in the session between clicks, so :func:`train_run` continues a run and
:func:`trainer_view` draws one; both are pure functions of their arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from dlcore import autograd, datasets, gradcheck, nn, optim
from dlcore._validation import check_choice, check_int

#: the data sets the trainer offers (2-D, classes as integers)
TRAIN_DATASETS = ("moons", "circles", "xor", "spirals", "blobs", "classification")
#: the hidden activations the graph panel offers
GRAPH_ACTIVATIONS = ("sigmoid", "tanh", "relu")
#: the relative error below which a gradient check passes
CHECK_THRESHOLD = 1e-6
#: rows of the training set the gradient check uses (two loss evaluations per entry)
CHECK_ROWS = 64


# ------------------------------------------------------------ graph panel
class GraphTerm(NamedTuple):
    """One chain-rule product passed back along an edge: ``upstream * local = product``."""

    parent: str
    child: str
    upstream: float
    local: float
    product: float


class GraphView(NamedTuple):
    """The computational-graph panel: one neuron's graph, backward ``step`` nodes done.

    Attributes
    ----------
    trace : BackwardTrace
        Every node's value and gradient, every edge's local derivative and product.
    step : int
        Nodes the backward pass has finished (0: the forward pass only).
    n_steps : int
        Nodes with inputs, so the largest ``step``.
    z, loss : float
        The pre-activation ``w1 x1 + w2 x2 + b`` and the loss.
    terms : tuple of GraphTerm
        The products the node finished at ``step`` passes to its inputs (empty at step 0).
    dead : bool
        ReLU with ``z <= 0``: the local derivative is 0 and nothing reaches w1, w2, b.
    notice : str
        What to notice, said for this state.
    """

    trace: autograd.BackwardTrace
    step: int
    n_steps: int
    z: float
    loss: float
    terms: tuple[GraphTerm, ...]
    dead: bool
    notice: str


GRAPH_RULE = (
    "Each edge passes back (gradient above) × (local derivative). Where a node feeds two paths, "
    "the two products add up."
)


def graph_steps(activation: str) -> int:
    """How many nodes the backward pass of the neuron graph visits (its ops: 7, or 6 for identity).

    The graph's shape does not depend on the numbers, so the step slider's end
    is known before the view is computed.
    """
    return len(
        autograd.trace(nn.neuron([1.0, 1.0], [1.0, 1.0], 0.0, 0.0, activation=activation)).order
    )


def graph_view(
    activation: str, x: tuple[float, float], w: tuple[float, float], b: float, t: float, step: int
) -> GraphView:
    """Trace ``L = (f(w1 x1 + w2 x2 + b) - t)^2`` and the chain-rule products of ``step``.

    ``step`` is clamped to ``[0, n_steps]``.
    """
    check_choice("activation", activation, GRAPH_ACTIVATIONS)
    tr = autograd.trace(nn.neuron(list(x), list(w), b, t, activation=activation))
    step = min(check_int("step", step, 0, None), len(tr.order))
    terms: tuple[GraphTerm, ...] = ()
    if step > 0:
        j = tr.order[step - 1]
        terms = tuple(
            GraphTerm(tr.labels[i], tr.labels[j], float(tr.grads[j]), tr.local[k], tr.chain[k])
            for k, (i, jj) in enumerate(tr.edges)
            if jj == j
        )
    z = float(tr.values[tr.labels.index("z")])
    dead = activation == "relu" and z <= 0
    if dead:
        notice = (
            f"{GRAPH_RULE} Here z = {z:.3g} ≤ 0: ReLU's local derivative is 0, so nothing flows "
            "back to w1, w2 and b."
        )
    else:
        notice = (
            f"{GRAPH_RULE} With ReLU and z < 0, the local derivative is 0 and nothing flows to "
            "w1, w2, b."
        )
    return GraphView(tr, step, len(tr.order), z, float(tr.values[-1]), terms, dead, notice)


# ------------------------------------------------------------- step panel
class StepView(NamedTuple):
    """One gradient step of the 2-2-1 tanh-sigmoid network on one example.

    Attributes
    ----------
    x : ndarray of shape (1, 2)
    weights : dict of str to ndarray
        ``W1`` (2, 2), ``b1`` (2,), ``W2`` (2, 1), ``b2`` (1,) before the step.
    trace : StepTrace
        Every matrix of the forward and backward pass and the new weights.
    silent : tuple of int
        The (0-based) inputs that are exactly 0: their rows of dL/dW1 are zero.
    notice : str
        What to notice, said for this state.
    """

    x: np.ndarray
    weights: dict[str, np.ndarray]
    trace: nn.StepTrace
    silent: tuple[int, ...]
    notice: str


STEP_RULE = (
    "The gradient of a weight matrix always has the matrix's shape: (input of the layer)ᵀ × "
    "(error signal of the layer)."
)


def step_notice(silent: tuple[int, ...]) -> str:
    """The step panel's notice for the inputs that are exactly 0 (0-based)."""
    if len(silent) == 2:
        return f"{STEP_RULE} Here x1 = x2 = 0, so ∂L/∂W1 is all zeros: nothing feeds W1."
    if silent:
        i = silent[0] + 1
        return (
            f"{STEP_RULE} Here x{i} = 0, so row {i} of ∂L/∂W1 is zero: a weight from a silent "
            "input does not learn."
        )
    return (
        f"{STEP_RULE} Set x1 = 0 and the whole first row of ∂L/∂W1 is zero: a weight from a "
        "silent input does not learn."
    )


def step_view(x: tuple[float, float], y: int, lr: float, seed: int) -> StepView:
    """Xavier-initialised weights from ``seed`` and one step of size ``lr`` on ``(x, y)``."""
    weights = nn.MLP((2, 2, 1), init="xavier", rng=check_int("seed", seed, 0, None)).weights()
    s = nn.manual_step(list(x), y, weights, lr=lr)
    xs = np.array([x], dtype=float)
    silent = tuple(int(i) for i in np.flatnonzero(xs[0] == 0))
    return StepView(xs, weights, s, silent, step_notice(silent))


# ----------------------------------------------------------- train panel
@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run of the trainer (hashable, so cacheable).

    ``batch`` is a batch size or ``"full"``; ``layers`` hidden layers of
    ``width`` neurons; the other fields as in :func:`dlcore.nn.fit`.
    """

    data: str = "moons"
    n: int = 200
    noise: float = 0.15
    classes: int = 3
    test_fraction: float = 0.3
    seed: int = 0
    layers: int = 2
    width: int = 8
    activation: str = "relu"
    init: str = "he"
    optimizer: str = "Adam"
    lr: float = 0.03
    batch: int | str = 32
    l2: float = 0.0

    def sizes(self, n_classes: int) -> tuple[int, ...]:
        """``(2, width, ..., width, n_classes)`` with ``layers`` hidden layers."""
        return (2,) + (self.width,) * self.layers + (n_classes,)

    def optimizer_object(self):
        """The configured ``dlcore.optim`` optimizer."""
        return optim.OPTIMIZERS[self.optimizer](lr=self.lr)


#: what the trainer shows on a first visit (trained for DEFAULT_EPOCHS)
DEFAULT_CONFIG = TrainConfig()
DEFAULT_EPOCHS = 100


class Split(NamedTuple):
    """The trainer's data: standardised by the training set, labels 0..n_classes-1.

    Attributes
    ----------
    X_train : ndarray of shape (n_train, 2)
    X_test : ndarray of shape (n_test, 2)
    y_train, y_test : ndarray of int
    n_classes : int
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    n_classes: int


def load_split(cfg: TrainConfig) -> Split:
    """Load ``cfg.data`` with the parameters it takes, split, standardise.

    Raises ValueError (saying what to change) when the training set holds one class only.
    """
    check_choice("data", cfg.data, TRAIN_DATASETS)
    given = {"n_samples": cfg.n, "noise": cfg.noise, "n_classes": cfg.classes}
    takes = datasets.DATASETS[cfg.data].params
    d = datasets.load(cfg.data, rng=cfg.seed, **{k: v for k, v in given.items() if k in takes})
    X_tr, X_te, y_tr, y_te = nn.train_test_split(
        d.X, d.y, test_fraction=cfg.test_fraction, rng=cfg.seed
    )
    if np.unique(y_tr).size < 2:
        raise ValueError(
            f"After the split the training set holds only one class ({y_tr[0]}). "
            "Use more points or a smaller test fraction."
        )
    X_tr, X_te = nn.standardize_split(X_tr, X_te)
    return Split(X_tr, X_te, y_tr, y_te, int(d.y.max()) + 1)


def build_model(cfg: TrainConfig, split: Split, weights: dict | None = None) -> nn.MLP:
    """The run's network, at its initial weights or at ``weights``."""
    model = nn.MLP(
        cfg.sizes(split.n_classes), activation=cfg.activation, init=cfg.init, rng=cfg.seed
    )
    return model if weights is None else model.load_weights(weights)


def train_run(
    cfg: TrainConfig, split: Split, progress: nn.Progress | None, epochs: int
) -> nn.Progress:
    """``epochs`` more epochs of ``progress`` (a fresh network when None).

    With ``epochs = 0`` and no progress: the untrained network at epoch 0.
    """
    model = build_model(cfg, split)
    return nn.resume(
        model,
        progress or nn.start(model),
        split.X_train,
        split.y_train,
        optimizer=cfg.optimizer_object(),
        epochs=epochs,
        batch_size=None if cfg.batch == "full" else int(cfg.batch),
        rng=cfg.seed,
        l2=cfg.l2,
        X_test=split.X_test,
        y_test=split.y_test,
    )


class TrainerView(NamedTuple):
    """The trainer's first view: the state of the run, its boundary and its curves.

    Attributes
    ----------
    status : {"diverged", "fresh", "trained"}
    diverged_epoch : int
        The (1-based) epoch whose loss exploded, 0 if none.
    message : str
        What happened, for a diverged or a fresh run ("" for a trained one).
    note : str
        A remark on the architecture ("" when there is nothing to say).
    metrics : dict of str to str
        Epoch, last train cross-entropy and accuracies ("–" before the first
        epoch), number of parameters.
    sizes : tuple of int
    optimizer_latex : str
    xs, ys : ndarray of shape (G,)
        The grid over the data, G = resolution.
    proba : ndarray of shape (G*G, n_classes)
        The network's class probabilities on the grid (row-major over ys, xs).
    weights : dict of str to ndarray
    history : dict of str to ndarray
        Per-epoch columns for the CSV: epoch, losses, accuracies, gradient norms.
    """

    status: str
    diverged_epoch: int
    message: str
    note: str
    metrics: dict[str, str]
    sizes: tuple[int, ...]
    optimizer_latex: str
    xs: np.ndarray
    ys: np.ndarray
    proba: np.ndarray
    weights: dict[str, np.ndarray]
    history: dict[str, np.ndarray]


def last_value(a: np.ndarray) -> str:
    """The last entry with 3 decimals, "–" for an empty history."""
    return f"{a[-1]:.3f}" if len(a) else "–"


def run_message(status: str, *, diverged_epoch: int, lr: float, epochs: int) -> str:
    """What the trainer says about a run in ``status`` ("" for a trained one)."""
    if status == "diverged":
        return (
            f"The loss exploded (NaN, infinite or above 10⁴) in epoch {diverged_epoch}: with "
            f"learning rate {lr:g} each step overshoots and the weights blow up. Training stopped "
            "at the last sane weights; lower the learning rate and press Reset."
        )
    if status == "fresh":
        return (
            f"A fresh, untrained network: press Train for {epochs} epochs, or Step to watch it "
            "learn epoch by epoch."
        )
    return ""


NO_HIDDEN_LAYER = (
    "No hidden layer: this is (multinomial) logistic regression, so every boundary is a straight "
    "line. Add a hidden layer to bend it."
)


def trainer_view(
    cfg: TrainConfig, split: Split, progress: nn.Progress, epochs: int, *, resolution: int = 80
) -> TrainerView:
    """Everything the trainer draws for ``progress`` (see :class:`TrainerView`).

    ``epochs`` is what the Train button would run, for the message of a fresh network.
    """
    model = build_model(cfg, split, progress.weights)
    xs, ys, grid = nn.grid_over(np.vstack([split.X_train, split.X_test]), resolution=resolution)
    status = (
        "diverged" if progress.diverged_at >= 0 else "fresh" if progress.epoch == 0 else "trained"
    )
    diverged_epoch = progress.diverged_at + 1
    metrics = {
        "Epoch": str(progress.epoch),
        "Train cross-entropy": last_value(progress.loss),
        "Train accuracy": last_value(progress.accuracy),
        "Test accuracy": last_value(progress.test_accuracy),
        "Parameters": str(sum(p.data.size for p in model.parameters())),
    }
    history = {
        "epoch": np.arange(1, progress.epoch + 1),
        "train_loss": progress.loss,
        "train_accuracy": progress.accuracy,
        "test_loss": progress.test_loss,
        "test_accuracy": progress.test_accuracy,
    } | {f"grad_norm_layer{k + 1}": progress.grad_norms[:, k] for k in range(len(model.layers))}
    return TrainerView(
        status=status,
        diverged_epoch=diverged_epoch,
        message=run_message(status, diverged_epoch=diverged_epoch, lr=cfg.lr, epochs=epochs),
        note=NO_HIDDEN_LAYER if cfg.layers == 0 else "",
        metrics=metrics,
        sizes=model.sizes,
        optimizer_latex=cfg.optimizer_object().to_latex(),
        xs=xs,
        ys=ys,
        proba=nn.predict_proba(model, grid).astype(np.float32),
        weights=model.weights(),
        history=history,
    )


class NetworkInsideView(NamedTuple):
    """Inside the trained network: per-layer gradient norms and the first layer's neurons.

    Attributes
    ----------
    grad_norms : ndarray of shape (epochs, n_layers)
    xs, ys : ndarray of shape (G,)
        A coarse grid over the data.
    neurons : ndarray of shape (G*G, width) or None
        The first hidden layer's outputs on the grid; None without a hidden layer.
    """

    grad_norms: np.ndarray
    xs: np.ndarray
    ys: np.ndarray
    neurons: np.ndarray | None


def network_inside_view(
    cfg: TrainConfig, split: Split, progress: nn.Progress, *, resolution: int = 40
) -> NetworkInsideView:
    """The per-layer gradient norms of ``progress`` and the first layer's neuron maps."""
    model = build_model(cfg, split, progress.weights)
    xs, ys, grid = nn.grid_over(np.vstack([split.X_train, split.X_test]), resolution=resolution)
    neurons = model.hidden_outputs(grid)[0].astype(np.float32) if cfg.layers else None
    return NetworkInsideView(progress.grad_norms, xs, ys, neurons)


# ------------------------------------------------------------ check panel
class CheckView(NamedTuple):
    """The gradient-check panel: backprop against central differences, tensor by tensor.

    Attributes
    ----------
    checks : list of GradCheck
    names : tuple of str
    errors : ndarray of shape (n_tensors,)
    worst : float
        The largest relative error.
    mantissa, exponent : float, int
        ``worst = mantissa * 10**exponent`` (for the formula).
    passed : bool
        Every tensor below ``threshold``.
    failed : tuple of str
        The tensors at or above ``threshold``.
    rows, skipped : int
        Training points used, and points left out because they sit at a kink.
    all_at_kinks : bool
        No point was clear of a kink, so all were used: a disagreement there
        is the finite difference's, not backprop's.
    threshold : float
    verdict : str
        The result in a sentence.
    """

    checks: list[gradcheck.GradCheck]
    names: tuple[str, ...]
    errors: np.ndarray
    worst: float
    mantissa: float
    exponent: int
    passed: bool
    failed: tuple[str, ...]
    rows: int
    skipped: int
    all_at_kinks: bool
    threshold: float
    verdict: str


def check_verdict(
    failed: tuple[str, ...], *, worst: float, broken: bool, all_at_kinks: bool, threshold: float
) -> str:
    """The sentence under a gradient check (see :class:`CheckView`)."""
    if not failed:
        return (
            f"Passed: every tensor agrees with the central differences "
            f"(largest relative error {worst:.1e} < {threshold:g})."
        )
    names = ", ".join(failed)
    if broken:
        return (
            f"Failed for {names}: the planted wrong derivative corrupts every gradient that "
            "flows back through the activation."
        )
    if all_at_kinks:
        return (
            f"Failed for {names}, but every point has a ReLU input at its kink 0 (zero "
            "weights put them all there): the central difference straddles the kink and "
            "measures the average of the slopes 0 and 1, while backprop takes ReLU'(0) = 0. "
            "That is the finite difference's limit, not a bug."
        )
    return f"Failed for {names}: backprop and the central differences disagree."


def gradient_check_view(
    cfg: TrainConfig, split: Split, weights: dict[str, np.ndarray], broken: bool
) -> CheckView:
    """Check the trainer's network at ``weights`` on the first ``CHECK_ROWS`` training points.

    Points with a ReLU input at a kink are left out (see
    :func:`dlcore.gradcheck.near_kink`), so a correct gradient passes at
    any weights, the untrained zero biases included.
    """
    model = build_model(cfg, split, weights)
    X, y = split.X_train[:CHECK_ROWS], split.y_train[:CHECK_ROWS]
    near = gradcheck.near_kink(model, X)
    all_at_kinks = bool(near.all())
    checks = gradcheck.check_network_gradients(
        model, X, y, broken=broken, max_entries=10, rng=cfg.seed, avoid_kinks=True
    )
    errors = np.array([c.rel_error for c in checks])
    worst = float(errors.max())
    mantissa, exponent = (float(v) for v in f"{worst:.1e}".split("e"))
    failed = tuple(c.name for c in checks if not c.rel_error < CHECK_THRESHOLD)
    skipped = 0 if all_at_kinks else int(near.sum())
    return CheckView(
        checks=checks,
        names=tuple(c.name for c in checks),
        errors=errors,
        worst=worst,
        mantissa=mantissa,
        exponent=int(exponent),
        passed=not failed,
        failed=failed,
        rows=len(X) - skipped,
        skipped=skipped,
        all_at_kinks=all_at_kinks,
        threshold=CHECK_THRESHOLD,
        verdict=check_verdict(
            failed,
            worst=worst,
            broken=broken,
            all_at_kinks=all_at_kinks,
            threshold=CHECK_THRESHOLD,
        ),
    )
