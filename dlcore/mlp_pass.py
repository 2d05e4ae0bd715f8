"""An MLP's forward and backward passes written out layer by layer: what :func:`dlcore.nn.fit` runs.

:mod:`dlcore.autograd` builds a graph of Tensors on every call and walks it
back; that is the readable general method, and what the lab draws. Training
repeats one fixed computation thousands of times, so here it is written out
once, per layer, as the backpropagation equations (row convention, batch
``H_0 = X`` of shape (n, d))::

    forward    Z_k = H_{k-1} W_k + b_k,   H_k = f(Z_k)   (no f on the last layer)
    loss       L = mean_i [logsumexp(Z_i) - Z_i[y_i]],   D_last = (softmax(Z) - Y) / n
    backward   dW_k = H_{k-1}^T D_k,   db_k = sum_i D_k[i],   D_{k-1} = (D_k W_k^T) * f'(Z_{k-1})

``f'`` comes from ``H = f(Z)`` itself (ReLU: ``H > 0``; tanh: ``1 - H^2``;
sigmoid: ``H (1 - H)``), so ``Z`` is overwritten by ``H`` in place and one
buffer per layer holds both. Every array the passes write is allocated once,
when the :class:`MLPPass` is made, in the model's dtype (float32 stays
float32): no Python object per layer and step beyond a few views. The tests
check the gradients against autograd and finite differences.
"""

from __future__ import annotations

import numpy as np

from dlcore.blocked import gram_blocks, matmul_blocks

__all__ = [
    "MLPPass",
    "softmax_cross_entropy_grad",
]


def _over_columns(ufunc: np.ufunc, a: np.ndarray) -> np.ndarray:
    """``ufunc.reduce(a, axis=1)`` one column at a time, shape (n,).

    With a few columns (classes) NumPy's reduction along rows costs 10-20x
    more than C - 1 elementwise operations on the columns (measured).
    """
    acc = a[:, 0].copy()
    for c in range(1, a.shape[1]):
        ufunc(acc, a[:, c], out=acc)
    return acc


def softmax_cross_entropy_grad(logits: np.ndarray, y: np.ndarray, out: np.ndarray) -> float:
    """Mean softmax cross-entropy of ``logits`` against ``y``, and its gradient into ``out``.

    The same numbers as :func:`dlcore.autograd.softmax_cross_entropy` and its
    vjp, computed in the logits' dtype: ``L = mean_i [log sum_c e^{s_ic} - s_i,y_i]``
    with ``s = z - max_c z`` (no overflow), ``dL/dz = (softmax(z) - onehot(y)) / n``.

    Parameters
    ----------
    logits : ndarray of shape (n, C)
    y : ndarray of int, shape (n,), values in [0, C)
    out : ndarray of shape (n, C)
        Written with the gradient; may not be ``logits``.

    Returns
    -------
    float
    """
    n = logits.shape[0]
    rows = np.arange(n)
    np.subtract(logits, _over_columns(np.maximum, logits)[:, None], out=out)
    picked = out[rows, y]  # s_i,y_i, taken before out is overwritten
    np.exp(out, out=out)
    total = _over_columns(np.add, out)
    loss = float(np.mean(np.log(total) - picked))
    out /= total[:, None]
    out[rows, y] -= 1.0
    out *= out.dtype.type(1.0) / out.dtype.type(n)
    return loss


class MLPPass:
    """Forward and backward passes of one MLP on up to ``rows`` examples, on buffers kept between calls.

    Parameters
    ----------
    weights : list of ndarray, shapes (n_0, n_1), ..., (n_{L-1}, n_L)
    biases : list of ndarray, shapes (n_1,), ..., (n_L,)
        Read at every pass, never copied: views into the parameter vector an
        optimizer updates in place.
    activation : {"relu", "tanh", "sigmoid", "identity"}
        The hidden activation (none after the last layer: logits).
    rows : int
        The largest batch a pass will see.

    Examples
    --------
    >>> W, b = [np.eye(2)], [np.zeros(2)]
    >>> p = MLPPass(W, b, "relu", rows=1)
    >>> p.forward(np.array([[1.0, 3.0]]))
    array([[1., 3.]])
    """

    def __init__(
        self, weights: list[np.ndarray], biases: list[np.ndarray], activation: str, rows: int
    ) -> None:
        if activation not in ("relu", "tanh", "sigmoid", "identity"):
            raise ValueError(f"unknown activation {activation!r}")
        self.weights, self.biases, self.activation = weights, biases, activation
        dtype = weights[0].dtype
        # outs[k]: Z_k, then H_k = f(Z_k) in place; the last one holds the logits.
        self.outs = [np.empty((rows, w.shape[1]), dtype) for w in weights]
        # deltas[k] = dL/dZ_k; scratch[k] holds f'(Z_k) while the backward pass needs it.
        self.deltas = [np.empty_like(h) for h in self.outs]
        self.scratch = [np.empty_like(h) for h in self.outs[:-1]]
        self.ones = np.ones(rows, dtype)
        self.transposed = [np.empty(w.shape[::-1], dtype) for w in weights]

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Logits of shape (n, n_L) for ``X`` of shape (n, n_0), n <= rows (a view of a buffer)."""
        h = X
        last = len(self.weights) - 1
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = self.outs[k][: X.shape[0]]
            matmul_blocks(h, w, z)
            z += b
            if k < last:
                self._activate(z)
            h = z
        return h

    def backward(
        self,
        X: np.ndarray,
        y: np.ndarray,
        grad_weights: list[np.ndarray],
        grad_biases: list[np.ndarray],
    ) -> float:
        """The loss of the last :meth:`forward` (on ``X``) against ``y``; gradients written in place.

        Parameters
        ----------
        X : ndarray of shape (n, n_0)
            The batch the last forward pass saw.
        y : ndarray of int, shape (n,)
        grad_weights, grad_biases : lists of ndarray shaped like the weights and biases
            Overwritten with ``dL/dW_k`` and ``dL/db_k``.

        Returns
        -------
        float
            Mean cross-entropy of the batch.
        """
        n = X.shape[0]
        d = self.deltas[-1][:n]
        loss = softmax_cross_entropy_grad(self.outs[-1][:n], y, d)
        for k in range(len(self.weights) - 1, -1, -1):
            h_in = X if k == 0 else self.outs[k - 1][:n]
            gram_blocks(h_in, d, grad_weights[k])
            # sum_i D[i] as the product 1^T D: 5x faster than np.sum down the rows here.
            np.matmul(self.ones[:n], d, out=grad_biases[k])
            if k:
                # Affine and activation backward in one step: D_{k-1} = (D_k W_k^T) * f'(Z_{k-1}).
                d_in = self.deltas[k - 1][:n]
                # W_k^T as a contiguous copy: OpenBLAS runs a product with a transposed
                # right factor on every core even when small (measured).
                w_t = self.transposed[k]
                np.copyto(w_t, self.weights[k].T)
                matmul_blocks(d, w_t, d_in)
                d_in *= self._derivative(h_in, self.scratch[k - 1][:n])
                d = d_in
        return loss

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """Mean cross-entropy and accuracy on ``(X, y)``, as :func:`dlcore.nn.evaluate`."""
        logits = self.forward(X)
        loss = softmax_cross_entropy_grad(logits, y, self.deltas[-1][: X.shape[0]])
        return loss, float(np.mean(np.argmax(logits, axis=1) == y))

    def _activate(self, z: np.ndarray) -> None:
        """``z <- f(z)`` in place."""
        if self.activation == "relu":
            np.maximum(z, 0, out=z)
        elif self.activation == "tanh":
            np.tanh(z, out=z)
        elif self.activation == "sigmoid":
            # 1 / (1 + e^-z) written through tanh never overflows (as autograd's sigmoid).
            z *= 0.5
            np.tanh(z, out=z)
            z += 1.0
            z *= 0.5

    def _derivative(self, h: np.ndarray, out: np.ndarray) -> np.ndarray | float:
        """``f'(z)`` from ``h = f(z)``, into ``out`` (1 for the identity)."""
        if self.activation == "relu":
            return np.greater(h, 0, out=out)  # relu'(0) = 0, as in torch
        if self.activation == "tanh":
            np.multiply(h, h, out=out)
            return np.subtract(1.0, out, out=out)
        if self.activation == "sigmoid":
            np.subtract(1.0, h, out=out)
            return np.multiply(out, h, out=out)
        return 1.0
