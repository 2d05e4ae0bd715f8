"""What the Convolutional networks lab shows, panel by panel (one function per panel).

* :func:`network_view`: one digit through the shipped network, every map,
  the logits and the softmax, and one unit written out as the sum it is;
* :func:`train_network`: a fresh network trained live by the visitor's settings;
* :func:`mistakes_view`: the confusion matrix on the test set and the digits it gets wrong.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore import cnn
from dlcore.activations import softmax
from dlcore.conv import patch_at
from dlcore.digits import DigitsSplit, PreparedImage, digits_split, prepare_image
from dlcore.layers import Field
from dlcore.optim import Adam
from dlcore.tex import tex_matrix, tex_number
from dlcore.train_digits import RECIPE, load_shipped

__all__ = [
    "LOW_CONFIDENCE",
    "MapRow",
    "MistakesView",
    "NetworkView",
    "TrainResult",
    "TrainSettings",
    "UnitView",
    "map_rows",
    "mistakes_view",
    "network_view",
    "picker_digits",
    "products_latex",
    "signed_sum",
    "shipped_split",
    "train_network",
    "unit_view",
]

#: below this top probability (at T = 1) the answer is called unsure
LOW_CONFIDENCE = 0.6


def shipped_split() -> DigitsSplit:
    """The shipped network's split (25 % of each class held out, seed 0, 16 x 16)."""
    return digits_split(test_fraction=RECIPE.test_fraction, side=RECIPE.side, rng=RECIPE.seed)


def picker_digits(split: DigitsSplit, per_class: int = 4) -> np.ndarray:
    """Test-set positions of the first ``per_class`` digits of each class, in rows of one
    per class: position ``[k * 10 + c]`` is the k-th test digit of class c."""
    firsts = [np.flatnonzero(split.y_test == c)[:per_class] for c in range(10)]
    return np.stack(firsts, axis=1).ravel()


class MapRow(NamedTuple):
    """One layer's maps for the mosaic: ``name`` and ``maps`` (C, h, w), non-negative."""

    name: str
    maps: np.ndarray


def map_rows(stages: cnn.Stages) -> list[MapRow]:
    """The four layers a visitor picks units from, after ReLU (conv) or pooling, image 0."""
    return [
        MapRow("conv 1", np.maximum(stages.z1[0], 0)),
        MapRow("pool 1", stages.p1[0]),
        MapRow("conv 2", np.maximum(stages.z2[0], 0)),
        MapRow("pool 2", stages.p2[0]),
    ]


class UnitView(NamedTuple):
    """One unit of one map, written out.

    Attributes
    ----------
    layer : str
        One of ``dlcore.cnn.UNIT_LAYERS``.
    channel, row, col : int
        Clamped into the layer's shape.
    field : Field
        Its receptive field on the input (may reach into the padding).
    patch : ndarray of shape (C_in, 3, 3) for conv, (2, 2) for pool
        What the unit reads: the layer's input under the kernel, or the pooled window.
    kernel : ndarray of shape (C_in, 3, 3), or None for pool
    products : ndarray of shape (C_in, 3, 3), or None
        ``kernel * patch``; with the bias they sum to ``pre``.
    bias, pre, value : float
        ``pre = sum(products) + bias`` (conv) or the window's max (pool);
        ``value = max(pre, 0)`` for conv, ``pre`` for pool.
    latex : str
        The formula with the current numbers.
    grid_latex : str
        For a unit with one input channel, ``patch ⊙ kernel = products`` as three 3 x 3
        matrices of the current numbers ("" otherwise: pool units, several channels).
    """

    layer: str
    channel: int
    row: int
    col: int
    field: Field
    patch: np.ndarray
    kernel: np.ndarray | None
    products: np.ndarray | None
    bias: float
    pre: float
    value: float
    latex: str
    grid_latex: str = ""


def products_latex(patch: np.ndarray, kernel: np.ndarray) -> str:
    r"""``x ⊙ w = products`` as three matrices of the current numbers (2-D arrays, one channel).

    Examples
    --------
    >>> tex = products_latex(np.eye(2), np.full((2, 2), 0.5))
    >>> tex.count(r"\begin{bmatrix}"), tex.endswith(r"= \begin{bmatrix}0.5 & 0 \\ 0 & 0.5\end{bmatrix}")
    (3, True)
    """
    x = tex_matrix(patch, digits=2, env="bmatrix")
    w = tex_matrix(kernel, digits=2, env="bmatrix")
    xw = tex_matrix(patch * kernel, digits=2, env="bmatrix")
    return rf"\underbrace{{{x}}}_{{\text{{patch }} x}} \odot \underbrace{{{w}}}_{{\text{{kernel }} w}} = {xw}"


def signed_sum(values: np.ndarray, digits: int = 3) -> str:
    """``a + b - c ...`` for LaTeX: each term with its own sign, as a person writes a sum."""
    out = ""
    for i, v in enumerate(np.ravel(values)):
        text = tex_number(abs(float(v)), digits)
        sign = "-" if v < 0 else ("" if i == 0 else "+")
        out += f" {sign} {text}" if i else f"{sign}{text}"
    return out


def _conv_latex(products: np.ndarray, bias: float, pre: float) -> str:
    if products.shape[0] == 1:
        terms = signed_sum(products, 2)
        head = r"z &= \sum_{a,b} w_{ab}\,x_{ab} + b = "
    else:  # one partial sum per input channel: 9 products each
        terms = signed_sum(products.sum(axis=(1, 2)), 3)
        head = r"z &= \sum_{c}\Big(\sum_{a,b} w_{cab}\,x_{cab}\Big) + b = "
    b = f"{'-' if bias < 0 else '+'} {tex_number(abs(bias), 3)}"
    relu = rf"\mathrm{{ReLU}}(z) &= \max(z, 0) = {tex_number(max(pre, 0.0), 4)}"
    return rf"\begin{{aligned}}{head}{terms} {b} = {tex_number(pre, 4)} \\ {relu}\end{{aligned}}"


def unit_view(model: cnn.CNN, stages: cnn.Stages, x: np.ndarray, unit: tuple[str, int, int, int]):
    """:class:`UnitView` of ``unit = (layer, channel, row, col)`` for input ``x`` (S, S)."""
    layer, channel, row, col = unit
    maps = {r.name: r.maps for r in map_rows(stages)}
    if layer not in maps:
        raise ValueError(f"layer must be one of {tuple(maps)}, got {layer!r}")
    c, h, w = maps[layer].shape
    channel, row, col = (min(max(int(v), 0), n - 1) for v, n in ((channel, c), (row, h), (col, w)))
    field = cnn.unit_field(layer, row, col)
    if layer.startswith("pool"):
        before = np.maximum(stages.z1[0] if layer == "pool 1" else stages.z2[0], 0)
        window = before[channel, 2 * row : 2 * row + 2, 2 * col : 2 * col + 2]
        pre = float(window.max())
        cells = ", ".join(tex_number(float(v), 3) for v in window.ravel())
        latex = rf"\text{{max-pool}} = \max({cells}) = {tex_number(pre, 4)}"
        return UnitView(layer, channel, row, col, field, window, None, None, 0.0, pre, pre, latex)
    name = "conv1" if layer == "conv 1" else "conv2"
    source = x[None] if layer == "conv 1" else stages.p1[0]
    kernel = model.params[f"{name}.weight"].data[channel]
    bias = float(model.params[f"{name}.bias"].data[channel])
    patch = patch_at(source, (3, 3), row, col, padding=1).values
    products = kernel * patch
    pre = float((stages.z1 if layer == "conv 1" else stages.z2)[0, channel, row, col])
    latex = _conv_latex(products, bias, pre)
    grid = products_latex(patch[0], kernel[0]) if kernel.shape[0] == 1 else ""
    return UnitView(
        layer,
        channel,
        row,
        col,
        field,
        patch,
        kernel,
        products,
        bias,
        pre,
        max(pre, 0.0),
        latex,
        grid,
    )


class NetworkView(NamedTuple):
    """One digit through the network.

    Attributes
    ----------
    image : ndarray of shape (S, S) or None
        The network's input (None when the picture cannot be read: ``message``).
    label : int
        The true class of a test digit, -1 for an upload.
    rows : list of MapRow
        Every map after conv+ReLU and after each pooling.
    logits, probs : ndarray of shape (10,)
        ``probs = softmax(logits / T)``.
    predicted : int
    confidence : float
        The top probability at T = 1 (temperature changes the picture, not the verdict).
    verdict : str
        What to say about the answer.
    unit : UnitView or None
    message, warning : str
        From :func:`dlcore.digits.prepare_image`.
    top_probability : float
        ``probs[predicted]``, at the chosen temperature.
    """

    image: np.ndarray | None
    label: int
    rows: list[MapRow]
    logits: np.ndarray
    probs: np.ndarray
    predicted: int
    confidence: float
    verdict: str
    unit: UnitView | None
    message: str
    warning: str
    top_probability: float = 0.0


def _verdict(predicted: int, confidence: float, label: int) -> str:
    sure = f"{confidence:.0%} sure"
    if confidence < LOW_CONFIDENCE:
        text = f"Unsure: its best guess is {predicted}, only {sure}."
    else:
        text = f"The network reads a {predicted} ({sure})."
    if label >= 0:
        text += " Correct." if predicted == label else f" Wrong: it is a {label}."
    return text


def network_view(
    index: int,
    temperature: float,
    unit: tuple[str, int, int, int],
    gray: np.ndarray | None = None,
    split: DigitsSplit | None = None,
) -> NetworkView:
    """Test digit ``index`` (or the picture ``gray``, values in [0, 1]) through the shipped network.

    Parameters
    ----------
    index : int
        Position in the test set (clamped), used when ``gray`` is None.
    temperature : float > 0
        Softmax temperature of the bar chart.
    unit : (layer, channel, row, col)
    gray : ndarray of shape (H, W), optional
        An uploaded picture.
    split : DigitsSplit, optional
        The test set (loaded when not given).
    """
    model = load_shipped()
    if gray is None:
        split = shipped_split() if split is None else split
        index = min(max(int(index), 0), len(split.y_test) - 1)
        prepared = PreparedImage(split.X_test[index, 0], None, "", "")
        label = int(split.y_test[index])
    else:
        prepared, label = prepare_image(gray, side=model.config.side), -1
    if prepared.image is None:
        empty = np.zeros(model.config.classes)
        return NetworkView(None, label, [], empty, empty, -1, 0.0, "", None, prepared.message, "")
    x = prepared.image.astype(np.float32)
    stages = model.stages(x[None, None])
    logits = stages.logits[0].astype(np.float64)
    probs = softmax(logits, temperature=temperature)
    confidence = float(softmax(logits).max())
    predicted = int(logits.argmax())
    return NetworkView(
        x,
        label,
        map_rows(stages),
        logits,
        probs,
        predicted,
        confidence,
        _verdict(predicted, confidence, label),
        unit_view(model, stages, x, unit),
        "",
        prepared.warning,
        float(probs[predicted]),
    )


class TrainSettings(NamedTuple):
    """A live training run: epochs, Adam's learning rate, filters per conv layer, seed."""

    epochs: int = 8
    lr: float = 3e-3
    f1: int = 8
    f2: int = 16
    seed: int = 0


class TrainResult(NamedTuple):
    """A finished run: its history, the first layer's filters before and after (f1, 3, 3),
    the final test accuracy, the total seconds and the trained weights."""

    history: cnn.CNNHistory
    filters_before: np.ndarray
    filters_after: np.ndarray
    test_accuracy: float
    seconds: float
    weights: dict[str, np.ndarray]


def train_network(settings: TrainSettings, split: DigitsSplit, on_epoch=None) -> TrainResult:
    """Train a fresh CNN by ``settings`` on ``split`` (Adam, batches of 32, seeded)."""
    config = cnn.CNNConfig(filters=(settings.f1, settings.f2), side=16, seed=settings.seed)
    model = cnn.CNN(config)
    before = model.params["conv1.weight"].data[:, 0].copy()
    history = cnn.fit_cnn(
        model,
        split.X_train,
        split.y_train,
        epochs=settings.epochs,
        optimizer=Adam(lr=settings.lr),
        batch_size=32,
        rng=settings.seed,
        X_test=split.X_test,
        y_test=split.y_test,
        on_epoch=on_epoch,
    )
    after = model.params["conv1.weight"].data[:, 0].copy()
    test = float(history.test_accuracy[-1]) if len(history.test_accuracy) else float("nan")
    return TrainResult(history, before, after, test, float(history.seconds.sum()), model.weights())


class MistakesView(NamedTuple):
    """The shipped network on the whole test set.

    Attributes
    ----------
    confusion : ndarray of shape (10, 10)
        Row = true class, column = predicted; counts, or row shares when normalised.
    accuracy : float
    recall : ndarray of shape (10,)
        Per true class, the share read correctly.
    images : ndarray of shape (k, S, S)
        The misclassified test digits (of ``true_class`` only, when one is chosen).
    true, predicted : ndarray of int, shape (k,)
    confidence : ndarray of shape (k,)
        The probability the network gave its wrong answer.
    index : ndarray of int, shape (k,)
        Their positions in the test set (for the Trained network panel).
    """

    confusion: np.ndarray
    accuracy: float
    recall: np.ndarray
    images: np.ndarray
    true: np.ndarray
    predicted: np.ndarray
    confidence: np.ndarray
    index: np.ndarray


def mistakes_view(true_class: int = -1, normalise: bool = False) -> MistakesView:
    """Confusion matrix and misclassified digits of the shipped network (``true_class`` -1: all)."""
    split, model = shipped_split(), load_shipped()
    logits = model.predict(split.X_test).astype(np.float64)
    pred = logits.argmax(axis=1)
    y = split.y_test
    counts = np.zeros((10, 10))
    np.add.at(counts, (y, pred), 1)
    recall = np.diag(counts) / counts.sum(axis=1)
    confusion = counts / counts.sum(axis=1, keepdims=True) if normalise else counts
    wrong = np.flatnonzero((pred != y) & ((y == true_class) | (true_class < 0)))
    probs = softmax(logits[wrong]) if wrong.size else np.zeros((0, 10))
    return MistakesView(
        confusion,
        float(np.mean(pred == y)),
        recall,
        split.X_test[wrong, 0],
        y[wrong],
        pred[wrong],
        probs[np.arange(wrong.size), pred[wrong]] if wrong.size else np.zeros(0),
        wrong,
    )
