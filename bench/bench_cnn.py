"""The digits CNN: an epoch, a live retrain to 95 %, and the conv/pool gradients, against PyTorch.

Same architecture, same initial weights, same batches (Adam 3e-3, batches of
32, float32) in dlcore and in PyTorch CPU. PyTorch is optional (benchmarks
only, ``pip install torch``): without it, or in the quick run, only dlcore is
timed. The gradient check compares ``conv2d_batch_backward`` and
``max_pool2d_batch_backward`` with ``torch.autograd`` through
``torch.nn.functional`` in float64 for several stride / padding / dilation
choices and prints the largest difference.

``python -m bench cnn`` prints the comparisons; the retrain line is the
"live retrain from scratch reaches 0.95 within 20 s" check of the lab.
"""

from __future__ import annotations

import time

import numpy as np

from bench.timing import Comparison, compare
from dlcore import cnn
from dlcore.conv import conv2d, max_pool2d
from dlcore.convgrad import (
    conv2d_batch,
    conv2d_batch_backward,
    max_pool2d_batch,
    max_pool2d_batch_backward,
)
from dlcore.optim import Adam
from dlcore.views.cnn import TrainSettings, shipped_split

TARGET = 0.95
MAX_EPOCHS = 30


def _dlcore_epochs(split, epochs: int, target: float | None = None) -> float:
    """Seconds to train ``epochs`` (or until the test accuracy reaches ``target``)."""
    s = TrainSettings()
    model = cnn.CNN(cnn.CNNConfig(filters=(s.f1, s.f2), seed=s.seed))
    opt = Adam(lr=s.lr)
    start = time.perf_counter()
    reached: list[int] = []

    def stop_check(epoch: int, h: cnn.CNNHistory) -> bool:
        if target is not None and h.test_accuracy[-1] >= target:
            reached.append(epoch)
        return bool(reached)

    cnn.fit_cnn(model, split.X_train, split.y_train, epochs=epochs, optimizer=opt, rng=0,
                X_test=split.X_test if target else None, y_test=split.y_test if target else None,
                on_epoch=stop_check)  # fmt: skip
    return time.perf_counter() - start


def _per_image_forward(model: cnn.CNN, X: np.ndarray) -> np.ndarray:
    """The same forward pass one image at a time through dlcore.conv (the unbatched reference)."""
    w = model.weights()
    out = []
    for x in X:
        h = max_pool2d(
            np.maximum(conv2d(x, w["conv1.weight"], bias=w["conv1.bias"], padding=1), 0), 2
        )
        h = max_pool2d(
            np.maximum(conv2d(h, w["conv2.weight"], bias=w["conv2.bias"], padding=1), 0), 2
        )
        out.append(h.ravel() @ w["fc.weight"] + w["fc.bias"])
    return np.array(out)


def _torch_model(torch, model: cnn.CNN):
    f1, f2 = model.config.filters
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, f1, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(f1, f2, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(f2 * (model.config.side // 4) ** 2, 10),
    )  # fmt: skip
    w = model.weights()
    with torch.no_grad():
        for layer, name in ((net[0], "conv1"), (net[3], "conv2")):
            layer.weight.copy_(torch.from_numpy(w[f"{name}.weight"]))
            layer.bias.copy_(torch.from_numpy(w[f"{name}.bias"]))
        net[7].weight.copy_(torch.from_numpy(w["fc.weight"].T.copy()))
        net[7].bias.copy_(torch.from_numpy(w["fc.bias"]))
    return net


def _torch_epochs(torch, split, epochs: int, target: float | None = None) -> float:
    s = TrainSettings()
    net = _torch_model(torch, cnn.CNN(cnn.CNNConfig(filters=(s.f1, s.f2), seed=s.seed)))
    opt = torch.optim.Adam(net.parameters(), lr=s.lr)
    X, y = torch.from_numpy(split.X_train), torch.from_numpy(split.y_train)
    Xt, yt = torch.from_numpy(split.X_test), torch.from_numpy(split.y_test)
    gen = np.random.default_rng(0)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.from_numpy(gen.permutation(len(y)))
        for i in range(0, len(y), 32):
            idx = order[i : i + 32]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(X[idx]), y[idx]).backward()
            opt.step()
        if target is not None:
            with torch.no_grad():
                if (net(Xt).argmax(1) == yt).float().mean().item() >= target:
                    break
    return time.perf_counter() - start


def gradient_differences(torch) -> float:
    """Largest |dlcore - torch| over x, weight, bias and pool gradients (float64)."""
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    worst = 0.0
    for stride, padding, dilation in ((1, 0, 1), (2, 1, 1), (1, 2, 2), ((2, 1), (1, 0), (1, 2))):
        x, w, b = rng.normal(size=(2, 3, 9, 10)), rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
        out, cache = conv2d_batch(x, w, b, stride=stride, padding=padding, dilation=dilation)
        g = rng.normal(size=out.shape)
        ours = conv2d_batch_backward(g, w, cache)
        xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
        F.conv2d(xt, wt, bt, stride=stride, padding=padding, dilation=dilation).backward(
            torch.from_numpy(g)
        )
        for mine, ref in zip(ours, (xt.grad, wt.grad, bt.grad)):
            worst = max(worst, float(np.abs(mine - ref.numpy()).max()))
    x = rng.normal(size=(2, 3, 9, 10))
    out, cache = max_pool2d_batch(x, 3, 2)
    g = rng.normal(size=out.shape)
    xt = torch.tensor(x, requires_grad=True)
    F.max_pool2d(xt, 3, 2).backward(torch.from_numpy(g))
    return max(worst, float(np.abs(max_pool2d_batch_backward(g, cache) - xt.grad.numpy()).max()))


def _torch():
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    return torch


def run(quick: bool = False) -> list[Comparison]:
    split = shipped_split()
    model = cnn.CNN(cnn.CNNConfig())
    X = split.X_test[:64] if quick else split.X_test
    np.testing.assert_allclose(model.predict(X), _per_image_forward(model, X), atol=1e-4)
    forward = compare(
        f"CNN 8-16 forward pass, {len(X)} test digits",
        {"CNN.predict (batched im2col)": lambda: model.predict(X),
         "per image via dlcore.conv": lambda: _per_image_forward(model, X)},
        ours="CNN.predict (batched im2col)", rounds=3 if quick else 7,
    )  # fmt: skip
    if quick:  # part of the test suite: no training, no torch
        return [forward]
    torch = _torch()
    note = "float32, Adam 3e-3, batches of 32, 16 x 16 inputs"
    epoch = {"dlcore.cnn.fit_cnn": lambda: _dlcore_epochs(split, 1)}
    retrain = {"dlcore.cnn.fit_cnn": lambda: _dlcore_epochs(split, MAX_EPOCHS, TARGET)}
    if torch is not None:
        torch.set_num_threads(1)
        epoch["PyTorch CPU"] = lambda: _torch_epochs(torch, split, 1)
        retrain["PyTorch CPU"] = lambda: _torch_epochs(torch, split, MAX_EPOCHS, TARGET)
        note += f"; max |grad dlcore - torch| = {gradient_differences(torch):.1e} (float64)"
    else:
        note += "; PyTorch reference skipped (not installed)"
    return [
        forward,
        compare("CNN 8-16 on 1,347 digits: one epoch", epoch, ours="dlcore.cnn.fit_cnn",
                rounds=5, note=note),
        compare(f"CNN 8-16: live retrain from scratch to test accuracy {TARGET}", retrain,
                ours="dlcore.cnn.fit_cnn", rounds=3, warmup=0, note="target: under 20 s"),
    ]  # fmt: skip
