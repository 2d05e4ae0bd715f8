"""What the Backpropagation lab's Playground panel shows: its data, a chunk of training, a frame.

The run (a :class:`dlcore.playground.PlayState`) lives in the visitor's
session; :func:`play_tick` continues it and :func:`play_frame` draws it,
both pure functions of their arguments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from dlcore import datasets, nn, optim, schedules
from dlcore import playground as pg
from dlcore._validation import check_choice, check_int
from dlcore.pointsfile import Points
from dlcore.tex import tex_number

#: classification sets, then regression sets, then the visitor's file
PLAY_DATASETS = ("circles", "xor", "moons", "spirals", "blobs", "classification")
PLAY_REGRESSION = ("plane", "bump", "curve")
UPLOAD = "your CSV"
PLAY_SOURCES = PLAY_DATASETS + PLAY_REGRESSION + (UPLOAD,)
PLAY_OPTIMIZERS = ("SGD", "Momentum", "Adam")


@dataclass(frozen=True)
class DataSpec:
    """The built-in data: a source of ``PLAY_SOURCES`` and how to draw it."""

    source: str = "circles"
    n: int = 200
    noise: float = 0.1
    classes: int = 2
    test_fraction: float = 0.5
    seed: int = 0


class PlayData(NamedTuple):
    """The playground's points in their own coordinates, split, with the scaling the net sees.

    Attributes
    ----------
    X_train, X_test : ndarray of shape (n_train, 2), (n_test, 2)
        Added (clicked) points are at the end of ``X_train``.
    y_train, y_test : ndarray of int (classes) or float (targets)
    task : {"classification", "regression"}
    outputs : int
        Classes, or 1 for regression.
    mean, std : ndarray of shape (2,)
        The base training set's statistics: the network sees ``(X - mean) / std``.
    added : int
        How many clicked points ``X_train`` ends with.
    one_d : bool
        The points lie on the x1 axis (the curve fit).
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    task: str
    outputs: int
    mean: np.ndarray
    std: np.ndarray
    added: int
    one_d: bool


def base_points(spec: DataSpec, uploaded: Points | None) -> Points:
    """The points before the split: a built-in set, or the visitor's file."""
    check_choice("source", spec.source, PLAY_SOURCES)
    if spec.source == UPLOAD:
        if uploaded is None:
            raise ValueError("upload a CSV file first (columns x1, x2 and label or target)")
        return uploaded
    given = {"n_samples": spec.n, "noise": spec.noise, "n_classes": spec.classes}
    takes = datasets.DATASETS[spec.source].params
    d = datasets.load(spec.source, rng=spec.seed, **{k: v for k, v in given.items() if k in takes})
    return Points(d.X, d.y, datasets.DATASETS[spec.source].task)


def play_data(spec: DataSpec, uploaded: Points | None, clicked: Points | None) -> PlayData:
    """Load, split (``spec.test_fraction``, seeded), append the clicked points to training.

    Raises ValueError, saying what to change, for a training set of one class.
    """
    base = base_points(spec, uploaded)
    X_tr, X_te, y_tr, y_te = nn.train_test_split(
        base.X, base.y, test_fraction=spec.test_fraction, rng=spec.seed
    )
    outputs = 1 if base.task == "regression" else int(base.y.max()) + 1
    if base.task == "classification" and np.unique(y_tr).size < 2:
        raise ValueError(
            f"After the split the training set holds only one class ({y_tr[0]}). "
            "Use more points or a smaller test fraction."
        )
    mean, std = X_tr.mean(axis=0), X_tr.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    added = 0
    if clicked is not None and len(clicked.X):
        if clicked.task != base.task:
            raise ValueError(f"added points must be {base.task} points")
        outputs = max(outputs, int(clicked.y.max()) + 1) if base.task == "classification" else 1
        X_tr = np.vstack([X_tr, clicked.X])
        y_tr = np.concatenate([y_tr, clicked.y.astype(y_tr.dtype)])
        added = len(clicked.X)
    one_d = bool(np.all(base.X[:, 1] == 0))
    return PlayData(X_tr, X_te, y_tr, y_te, base.task, outputs, mean, std, added, one_d)


def play_inputs(data: PlayData, features: tuple[str, ...], X: Any) -> np.ndarray:
    """The network's inputs for points ``X`` (n, 2): standardised, then the features (n, k)."""
    return pg.feature_matrix((np.asarray(X, float) - data.mean) / data.std, features)


@dataclass(frozen=True)
class Knobs:
    """The training settings a visitor can change mid-run (see :class:`dlcore.playground.Regimen`).

    ``schedule`` is a key of ``schedules.SCHEDULES`` spread over ``schedule_epochs``.
    """

    optimizer: str = "SGD"
    lr: float = 0.03
    schedule: str = "Constant"
    schedule_epochs: int = 300
    batch: int = 10
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0

    def regimen(self, n_train: int) -> pg.Regimen:
        """The Regimen for a training set of ``n_train`` points."""
        check_choice("optimizer", self.optimizer, PLAY_OPTIMIZERS)
        batch = min(check_int("batch", self.batch, 1, None), max(n_train, 1))
        steps = max(self.schedule_epochs * math.ceil(n_train / batch), 2)
        lr = schedules.fitted(self.schedule, lr=self.lr, steps=steps)
        opt = optim.OPTIMIZERS[self.optimizer](lr=lr)
        return pg.Regimen(opt, batch, self.l1, self.l2, self.dropout)


def play_tick(
    arch: pg.Architecture, knobs: Knobs, data: PlayData, state: pg.PlayState, epochs: int
) -> pg.PlayState:
    """``epochs`` more epochs of the run on ``data`` (test loss after each one)."""
    return pg.advance(
        arch,
        knobs.regimen(len(data.X_train)),
        state,
        play_inputs(data, arch.features, data.X_train),
        data.y_train,
        epochs,
        X_test=play_inputs(data, arch.features, data.X_test),
        y_test=data.y_test,
    )


class PlayFrame(NamedTuple):
    """One picture of the run: the output over the plane, every neuron's map, the curves.

    Attributes
    ----------
    epoch : int
    status : {"fresh", "training", "diverged"}
    message : str
        What happened when it diverged ("" otherwise).
    metrics : dict of str to str
        Epoch, train and test loss (and accuracy for classes), parameters.
    xs, ys : ndarray of shape (G,)
        The grid over the points, in their own coordinates.
    output : ndarray of shape (G*G, C) or (G*G,)
        Class probabilities (row-major over ys, xs), or the regression prediction.
    map_xs, map_ys : ndarray of shape (g,)
        The coarser grid of the neuron maps.
    maps : tuple of ndarray
        Per column of the network drawing: the inputs (g*g, k), each hidden layer
        (g*g, width), the output (g*g, 1); row-major over (map_ys, map_xs).
    names : tuple of tuple of str
        A name per map, column by column.
    weights : tuple of ndarray
        ``W1, b1, W2, b2, ...``.
    links : tuple of ndarray
        The matrix behind each column of links (see :func:`link_weights`).
    train_loss, test_loss : ndarray of shape (epoch,)
    line_x, line_pred : ndarray of shape (G,)
        The prediction along the x1 axis (x2 = 0), for a 1-D curve fit.
    """

    epoch: int
    status: str
    message: str
    metrics: dict[str, str]
    xs: np.ndarray
    ys: np.ndarray
    output: np.ndarray
    map_xs: np.ndarray
    map_ys: np.ndarray
    maps: tuple[np.ndarray, ...]
    names: tuple[tuple[str, ...], ...]
    weights: tuple[np.ndarray, ...]
    links: tuple[np.ndarray, ...]
    train_loss: np.ndarray
    test_loss: np.ndarray
    line_x: np.ndarray
    line_pred: np.ndarray


def output_map(arch: pg.Architecture, out: np.ndarray) -> np.ndarray:
    """The output column's maps: the prediction (regression, (n, 1)), ``p1 - p0`` (two
    classes, (n, 1)), or ``2 p_k - 1`` per class (more classes, (n, C)); all in [-1, 1]
    but the regression prediction."""
    if arch.task == "regression":
        return out[:, :1]
    if arch.outputs == 2:
        return (out[:, 1] - out[:, 0])[:, None]
    return 2.0 * out - 1.0


def link_weights(arch: pg.Architecture, weights: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """The weight matrix behind each column of links in the drawing.

    With two classes the output column shows ``p1 - p0``, which grows with the
    logit difference ``z1 - z0 = h (W[:, 1] - W[:, 0]) + ...``: that column of
    differences is the last matrix. Otherwise the matrices are ``W1, W2, ...``.
    """
    mats = list(weights[0::2])
    if arch.task == "classification" and arch.outputs == 2:
        mats[-1] = (mats[-1][:, 1] - mats[-1][:, 0])[:, None]
    return tuple(mats)


def frame_metrics(arch: pg.Architecture, data: PlayData, state: pg.PlayState) -> dict[str, str]:
    """Epoch, last losses, accuracies (classes) and the number of parameters."""
    last = {"Train loss": state.train_loss, "Test loss": state.test_loss}
    out = {"Epoch": str(state.epoch)}
    out |= {k: f"{v[-1]:.3f}" if len(v) and np.isfinite(v[-1]) else "–" for k, v in last.items()}
    if arch.task == "classification":
        for name, X, y in (
            ("Train", data.X_train, data.y_train),
            ("Test", data.X_test, data.y_test),
        ):
            if len(X):
                p = pg.predict(arch, state.weights, play_inputs(data, arch.features, X))[-1]
                out[f"{name} accuracy"] = f"{np.mean(p.argmax(axis=1) == y):.3f}"
    out["Parameters"] = str(sum(w.size for w in state.weights))
    return out


def play_frame(
    arch: pg.Architecture,
    data: PlayData,
    state: pg.PlayState,
    *,
    resolution: int = 40,
    map_resolution: int = 16,
    discrete: bool = False,
) -> PlayFrame:
    """Everything the playground draws for ``state`` (see :class:`PlayFrame`).

    ``discrete`` shows hard decisions: each class region at full strength, or
    the sign of a regression prediction.
    """
    everything = np.vstack([data.X_train, data.X_test])
    xs, ys, grid = nn.grid_over(everything, resolution=resolution, margin=0.1)
    mxs, mys, mgrid = nn.grid_over(everything, resolution=map_resolution, margin=0.1)
    with np.errstate(over="ignore", invalid="ignore"):
        out = pg.predict(arch, state.weights, play_inputs(data, arch.features, grid))[-1]
        inputs = play_inputs(data, arch.features, mgrid)
        layers = pg.predict(arch, state.weights, inputs)
        line_x = xs.copy()
        line = np.column_stack([line_x, np.zeros_like(line_x)])
        line_pred = pg.predict(arch, state.weights, play_inputs(data, arch.features, line))[-1]
    if discrete:
        out = np.sign(out) if arch.task == "regression" else np.eye(arch.outputs)[out.argmax(1)]
    maps = (inputs, *layers[:-1], output_map(arch, layers[-1]))
    names = (
        arch.features,
        *(tuple(f"h{k + 1}.{j + 1}" for j in range(w)) for k, w in enumerate(arch.hidden)),
        ("output",) if maps[-1].shape[1] == 1 else tuple(f"p{k}" for k in range(arch.outputs)),
    )
    status = "diverged" if state.diverged_at >= 0 else "fresh" if state.epoch == 0 else "training"
    message = (
        f"The loss exploded in epoch {state.diverged_at + 1}: the steps overshoot. Training "
        "stopped at the last sane weights; lower the learning rate and press Reset."
        if status == "diverged"
        else ""
    )
    return PlayFrame(
        epoch=state.epoch,
        status=status,
        message=message,
        metrics=frame_metrics(arch, data, state),
        xs=xs,
        ys=ys,
        output=(out[:, 0] if arch.task == "regression" else out).astype(np.float32),
        map_xs=mxs,
        map_ys=mys,
        maps=tuple(m.astype(np.float32) for m in maps),
        names=names,
        weights=state.weights,
        links=link_weights(arch, state.weights),
        train_loss=state.train_loss,
        test_loss=state.test_loss,
        line_x=line_x,
        line_pred=(line_pred[:, 0] if arch.task == "regression" else line_pred[:, -1]),
    )


def play_exports(data: PlayData, state: pg.PlayState) -> tuple[dict, dict, dict]:
    """The downloads: weights by name, the points (with split), the loss history."""
    weights = {f"{'W' if i % 2 == 0 else 'b'}{i // 2 + 1}": w for i, w in enumerate(state.weights)}
    n_tr, n_te = len(data.X_train), len(data.X_test)
    points = {
        "x1": np.concatenate([data.X_train[:, 0], data.X_test[:, 0]]),
        "x2": np.concatenate([data.X_train[:, 1], data.X_test[:, 1]]),
        "label" if data.task == "classification" else "target": np.concatenate(
            [data.y_train, data.y_test]
        ),
        "split": np.array(["train"] * n_tr + ["test"] * n_te),
    }
    history = {
        "epoch": np.arange(1, state.epoch + 1),
        "train_loss": state.train_loss,
        "test_loss": state.test_loss,
    }
    return weights, points, history


def architecture_change(old: pg.Architecture, new: pg.Architecture) -> str:
    """Which part of the architecture changed, said in words ("" if none)."""
    parts = [
        ("input features", old.features != new.features),
        ("layers or neurons", old.hidden != new.hidden),
        ("activations", old.activations != new.activations),
        ("initialisation", old.init != new.init),
        ("seed", old.seed != new.seed),
        ("task or classes", (old.task, old.outputs) != (new.task, new.outputs)),
    ]
    changed = [name for name, differs in parts if differs]
    if not changed:
        return ""
    return (
        f"New {', '.join(changed)}: the weights cannot carry over, so the network starts again "
        "from fresh weights at epoch 0."
    )


def knobs_change(old: Knobs, new: Knobs, epoch: int) -> str:
    """What a change of training settings keeps ("" if nothing changed)."""
    if old == new:
        return ""
    moments = (
        " The optimizer changed, so its moments start from zero."
        if old.optimizer != new.optimizer
        else ""
    )
    return (
        f"New training settings: the weights are kept and training continues from epoch "
        f"{epoch}.{moments}"
    )


def play_latex(arch: pg.Architecture, knobs: Knobs) -> str:
    """The objective with the current penalties plugged in."""
    fit = (
        r"\frac{1}{B}\sum_i -\log \mathrm{softmax}(z_i)_{y_i}"
        if arch.task == "classification"
        else r"\frac{1}{B}\sum_i (\hat y_i - t_i)^2"
    )
    terms = [fit]
    if knobs.l1 > 0:
        terms.append(rf"{tex_number(knobs.l1)} \sum_\ell \lVert W_\ell \rVert_1")
    if knobs.l2 > 0:
        terms.append(rf"\frac{{{tex_number(knobs.l2)}}}{{2}} \sum_\ell \lVert W_\ell \rVert_2^2")
    sizes = r" \to ".join(str(s) for s in arch.sizes)
    drop = rf",\quad \text{{dropout }} p = {knobs.dropout:g}" if knobs.dropout > 0 else ""
    return rf"\text{{network }} {sizes}:\quad L = " + " + ".join(terms) + drop
