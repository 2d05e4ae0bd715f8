"""Mini-batch SGD on a 1-feature linear regression: dlcore against scikit-learn and a loop.

* stochastic (batch 1): ``sgd_linear_regression`` against
  ``sklearn.linear_model.SGDRegressor`` with a constant step, no penalty, no
  early stopping and shuffling, i.e. the same number of single-example updates
  (its Cython loop is the yardstick), and against our readable NumPy loop;
* mini-batches of 32: against the readable loop (scikit-learn has no
  mini-batch SGD regressor).
"""

from __future__ import annotations

import warnings

from bench.timing import Comparison, compare
from dlcore.minibatch import make_linear_data, sgd_linear_regression, sgd_linear_regression_loop


def run(quick: bool = False) -> list[Comparison]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import SGDRegressor

    n, epochs = (200, 2) if quick else (5000, 10)
    data = make_linear_data(n, rng=0)
    X = data.x[:, None]
    lr = 0.005

    def sklearn_sgd():
        # sklearn's squared loss is half of ours, so eta0 = 2 lr takes the same steps
        model = SGDRegressor(
            loss="squared_error",
            penalty=None,
            learning_rate="constant",
            eta0=2 * lr,
            max_iter=epochs,
            tol=None,
            shuffle=True,
            random_state=0,
            average=False,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return model.fit(X, data.y)

    rounds = 3 if quick else 5
    stochastic = compare(
        f"stochastic GD (batch 1), {epochs} epochs x {n} points",
        {
            "dlcore sgd_linear_regression": lambda: sgd_linear_regression(
                data.x, data.y, lr=lr, batch_size=1, epochs=epochs, rng=0
            ),
            "sklearn SGDRegressor": sklearn_sgd,
            "dlcore loop reference": lambda: sgd_linear_regression_loop(
                data.x, data.y, lr=lr, batch_size=1, epochs=epochs, rng=0
            ),
        },
        ours="dlcore sgd_linear_regression",
        rounds=rounds,
        note="dlcore also records the full-data loss after every update",
    )
    minibatch = compare(
        f"mini-batch GD (batch 32), {epochs} epochs x {n} points",
        {
            "dlcore sgd_linear_regression": lambda: sgd_linear_regression(
                data.x, data.y, lr=lr, batch_size=32, epochs=epochs, rng=0
            ),
            "dlcore loop reference": lambda: sgd_linear_regression_loop(
                data.x, data.y, lr=lr, batch_size=32, epochs=epochs, rng=0
            ),
        },
        ours="dlcore sgd_linear_regression",
        rounds=rounds,
    )
    return [stochastic, minibatch]
