"""Train the digits CNN the app ships, and load it: ``python -m dlcore.train_digits``.

The recipe (all seeded, so the file is reproducible): the stratified split of
:func:`dlcore.digits.digits_split` (25 % of each class held out, seed 0,
images upsampled to 16 x 16), ``CNN(CNNConfig(filters=(8, 16), side=16,
seed=0))``, Adam with learning rate 3e-3, batches of 32 shuffled with seed 0,
30 epochs. The weights are written as float32 to ``dlcore/data/digits_cnn.npz``
(about 30 KB), next to this module, where :func:`load_shipped` finds them
whatever the working directory.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NamedTuple

import numpy as np

from dlcore.cnn import CNN, CNNConfig, CNNHistory, fit_cnn
from dlcore.digits import digits_split
from dlcore.optim import Adam

__all__ = ["RECIPE", "Recipe", "SHIPPED", "load_shipped", "main", "train_recipe"]

SHIPPED = Path(__file__).resolve().parent / "data" / "digits_cnn.npz"


class Recipe(NamedTuple):
    """How the shipped weights were made."""

    filters: tuple[int, int] = (8, 16)
    side: int = 16
    test_fraction: float = 0.25
    seed: int = 0
    lr: float = 3e-3
    batch_size: int = 32
    epochs: int = 30


RECIPE = Recipe()


def train_recipe(recipe: Recipe = RECIPE, *, on_epoch=None) -> tuple[CNN, CNNHistory]:
    """Train a fresh network by ``recipe``; returns the model and its history."""
    split = digits_split(test_fraction=recipe.test_fraction, side=recipe.side, rng=recipe.seed)
    model = CNN(CNNConfig(filters=recipe.filters, side=recipe.side, seed=recipe.seed))
    history = fit_cnn(
        model,
        split.X_train,
        split.y_train,
        epochs=recipe.epochs,
        optimizer=Adam(lr=recipe.lr),
        batch_size=recipe.batch_size,
        rng=recipe.seed,
        X_test=split.X_test,
        y_test=split.y_test,
        on_epoch=on_epoch,
    )
    return model, history


def load_shipped(path: Path | str = SHIPPED) -> CNN:
    """The network with the shipped weights (its shape read from the file)."""
    with np.load(path) as f:
        config = CNNConfig(filters=tuple(int(v) for v in f["filters"]), side=int(f["side"]))
        weights = {k: f[k] for k in f.files if k not in ("filters", "side")}
    return CNN(config).load_weights(weights)


def main(argv: list[str] | None = None) -> None:
    """Train by the recipe and write the weights (``--out`` to write elsewhere)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(SHIPPED))
    parser.add_argument("--epochs", type=int, default=RECIPE.epochs)
    args = parser.parse_args(argv)
    recipe = RECIPE._replace(epochs=args.epochs)

    def report(epoch: int, h: CNNHistory) -> None:
        print(
            f"epoch {epoch:3d}  loss {h.loss[-1]:.4f}  train acc {h.accuracy[-1]:.4f}  "
            f"test acc {h.test_accuracy[-1]:.4f}  {h.seconds[-1]:.2f} s"
        )

    model, _ = train_recipe(recipe, on_epoch=report)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out, filters=np.array(recipe.filters), side=np.array(recipe.side), **model.weights()
    )
    print(f"wrote {out} ({out.stat().st_size / 1024:.1f} KB)")


if __name__ == "__main__":
    main()
