"""Reverse-mode automatic differentiation on NumPy arrays, micrograd-sized.

A :class:`Tensor` wraps an ndarray. Every operation returns a new Tensor that
remembers its parents and a *vector-Jacobian product* (vjp): given the
gradient of the loss with respect to the output, ``g = dL/d(out)``, it returns
``dL/d(parent)`` for each parent. The vjp of each op is written right next to
its forward computation, so each rule of the chain can be read in one place.

:meth:`Tensor.backward` visits the graph in reverse topological order and
applies the chain rule ``dL/d(parent) += vjp(dL/d(out))``. Broadcasting in the
forward pass (a bias ``(m,)`` added to every row of ``(n, m)``) means the
gradient must be *summed* over the broadcast axes on the way back; that is
done once, in :func:`_unbroadcast`, for every op.

Conventions follow ``torch.autograd`` (gradients are equal to torch's), with
one simplification: each call to ``backward`` recomputes the gradients of the
whole graph from zero instead of accumulating into ``.grad`` across calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

Vjp = Callable[[np.ndarray], tuple[np.ndarray, ...]]


def _as_data(value: Any, like: np.ndarray | None = None) -> np.ndarray:
    """Floating data: float32 stays float32 (speed), anything else becomes float64.

    A plain number combined with a tensor takes the tensor's dtype, so that
    ``x * 2.0`` on a float32 tensor stays float32.
    """
    if like is not None and np.isscalar(value):
        return np.asarray(value, dtype=like.dtype)
    arr = np.asarray(value)
    if arr.dtype != np.float32:
        arr = arr.astype(np.float64, copy=False)
    return arr


def _unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the axes that broadcasting added or stretched to reach ``shape``.

    If ``x`` of shape ``(m,)`` was broadcast to ``(n, m)``, each entry of ``x``
    was used n times, so its gradient is the sum of the n upstream gradients.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad.reshape(shape)


class Tensor:
    """An array that records the operations applied to it.

    Parameters
    ----------
    data : array_like
        The value. float32 stays float32, everything else is stored as float64.
    label : str, optional
        A name for drawing the graph (``"w1"``, ``"loss"``).

    Attributes
    ----------
    data : ndarray
    grad : ndarray of data's shape, or None
        ``dL/d(this tensor)`` after ``backward`` was called on a scalar L.
    parents : tuple of Tensor
        The inputs of the op that produced this tensor (empty for leaves).
    op : str
        The op's symbol (``"+"``, ``"@"``, ``"relu"``; ``""`` for leaves).
    """

    __array_priority__ = 100  # so ndarray * Tensor calls Tensor.__rmul__

    def __init__(self, data: Any, *, label: str = "") -> None:
        # Wrapping a tensor copies its value only: the new tensor starts a fresh graph.
        self.data = _as_data(data.data if isinstance(data, Tensor) else data)
        self.grad: np.ndarray | None = None
        self.parents: tuple[Tensor, ...] = ()
        self.op = ""
        self.label = label
        self._vjp: Vjp | None = None

    # ------------------------------------------------------------------ basics
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def __repr__(self) -> str:
        name = f" {self.label!r}" if self.label else ""
        return f"Tensor{name}(shape={self.shape}, op={self.op!r})"

    def item(self) -> float:
        return float(self.data.reshape(()))

    def _lift(self, other: Any) -> Tensor:
        if isinstance(other, Tensor):
            return other
        # A constant gets its value as label, so a drawn graph reads "y - 1".
        return Tensor(
            _as_data(other, self.data), label=f"{other:g}" if np.isscalar(other) else "const"
        )

    # -------------------------------------------------- binary ops (broadcast)
    def __add__(self, other: Any) -> Tensor:
        other = self._lift(other)
        return op(self.data + other.data, (self, other), "+", lambda g: (g, g))

    def __mul__(self, other: Any) -> Tensor:
        other = self._lift(other)
        a, b = self.data, other.data
        return op(a * b, (self, other), "*", lambda g: (g * b, g * a))

    def __truediv__(self, other: Any) -> Tensor:
        other = self._lift(other)
        a, b = self.data, other.data
        # d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
        return op(a / b, (self, other), "/", lambda g: (g / b, -g * a / (b * b)))

    def __sub__(self, other: Any) -> Tensor:
        other = self._lift(other)
        return op(self.data - other.data, (self, other), "-", lambda g: (g, -g))

    def __matmul__(self, other: Any) -> Tensor:
        other = self._lift(other)
        a, b = self.data, other.data
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(
                f"@ needs operands with at least 1 axis, got shapes {a.shape} and {b.shape}"
            )
        if a.ndim == 2 and b.ndim == 2:
            # C = A B  =>  dL/dA = G B^T,  dL/dB = A^T G
            return op(a @ b, (self, other), "@", lambda g: (g @ b.T, a.T @ g))
        # 1-D operands are promoted as np.matmul does: a vector on the left
        # is a row (1, k), on the right a column (k, 1).
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b

        def vjp(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            g2 = g.reshape(
                np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]) + (a2.shape[-2], b2.shape[-1])
            )
            ga = _unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
            gb = _unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)
            return ga, gb

        return op(a @ b, (self, other), "@", vjp)

    def __pow__(self, exponent: float) -> Tensor:
        if isinstance(exponent, Tensor) or not np.isscalar(exponent):
            raise ValueError("** takes a constant number as exponent (x ** 2, x ** 0.5)")
        p = float(exponent)
        x = self.data
        return op(x**p, (self,), f"**{p:g}", lambda g: (g * p * x ** (p - 1),))

    def __neg__(self) -> Tensor:
        return op(-self.data, (self,), "neg", lambda g: (-g,))

    def __radd__(self, other: Any) -> Tensor:
        return self._lift(other) + self

    def __rsub__(self, other: Any) -> Tensor:
        return self._lift(other) - self

    def __rmul__(self, other: Any) -> Tensor:
        return self._lift(other) * self

    def __rtruediv__(self, other: Any) -> Tensor:
        return self._lift(other) / self

    def __rmatmul__(self, other: Any) -> Tensor:
        return self._lift(other) @ self

    # --------------------------------------------------------------- reductions
    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        x = self.data
        out = x.sum(axis=axis, keepdims=keepdims)

        def vjp(g: np.ndarray) -> tuple[np.ndarray]:
            # Each summed entry receives the gradient of the sum unchanged.
            if axis is not None and not keepdims:
                g = np.expand_dims(g, axis)
            return (np.broadcast_to(g, x.shape),)

        return op(out, (self,), "sum", vjp)

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        total = self.sum(axis=axis, keepdims=keepdims)
        return total * (total.data.size / max(self.data.size, 1))

    # ---------------------------------------------------------------- elementwise
    def exp(self) -> Tensor:
        out = np.exp(self.data)
        return op(out, (self,), "exp", lambda g: (g * out,))

    def log(self) -> Tensor:
        x = self.data
        return op(np.log(x), (self,), "log", lambda g: (g / x,))

    def tanh(self) -> Tensor:
        out = np.tanh(self.data)
        return op(out, (self,), "tanh", lambda g: (g * (1.0 - out * out),))

    def sigmoid(self) -> Tensor:
        # 1 / (1 + e^-x) written through tanh never overflows, even at |x| = 1000.
        out = 0.5 * (1.0 + np.tanh(0.5 * self.data))
        return op(out, (self,), "sigmoid", lambda g: (g * out * (1.0 - out),))

    def relu(self) -> Tensor:
        x = self.data
        # relu'(0) = 0, as in torch.
        return op(np.maximum(x, 0), (self,), "relu", lambda g: (g * (x > 0),))

    # -------------------------------------------------------------------- shape
    def reshape(self, *shape: int) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        old = self.shape
        return op(self.data.reshape(shape), (self,), "reshape", lambda g: (g.reshape(old),))

    @property
    def T(self) -> Tensor:
        return op(self.data.T, (self,), "T", lambda g: (g.T,))

    # ----------------------------------------------------------------- backward
    def backward(self, grad: Any = None) -> None:
        """Fill ``.grad`` on every tensor of the graph that ends here.

        Parameters
        ----------
        grad : array_like of this tensor's shape, optional
            ``dL/d(self)``; ones by default (so for a scalar loss, dL/dL = 1).
        """
        seed = np.ones_like(self.data) if grad is None else _as_data(grad, self.data)
        if seed.shape != self.shape:
            raise ValueError(f"grad must have shape {self.shape}, got {seed.shape}")
        nodes = topological_order(self)
        grads: dict[int, np.ndarray] = {id(self): seed}
        for node in reversed(nodes):
            # Every node but the root has a child later in the order, so its gradient is complete here.
            g = grads[id(node)]
            node.grad = np.array(g, dtype=node.dtype)  # an owned copy, never a view
            if node._vjp is None:
                continue
            for parent, pg in zip(node.parents, node._vjp(g)):
                pg = _unbroadcast(np.asarray(pg), parent.shape)
                # Chain rule over all paths: gradients from several children add up.
                key = id(parent)
                grads[key] = pg if key not in grads else grads[key] + pg


def op(data: np.ndarray, parents: Sequence[Tensor], name: str, vjp: Vjp) -> Tensor:
    """A new tensor computed from ``parents``, with its backward rule.

    Parameters
    ----------
    data : ndarray
        The forward value.
    parents : sequence of Tensor
    name : str
        The op's symbol for drawing.
    vjp : callable
        ``vjp(g) -> tuple`` of one array per parent: given ``g = dL/d(out)``,
        the gradients ``dL/d(parent)`` (broadcast shapes are reduced by the caller).
    """
    out = Tensor(data)
    out.parents = tuple(parents)
    out.op = name
    out._vjp = vjp
    return out


def topological_order(root: Tensor) -> list[Tensor]:
    """Every tensor ``root`` depends on, each after all of its parents.

    Deterministic: a depth-first search visits parents in argument order, so
    the same expression always gives the same order. Iterative, so deep
    graphs do not hit Python's recursion limit.
    """
    order: list[Tensor] = []
    seen: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for parent in reversed(node.parents):
            if id(parent) not in seen:
                stack.append((parent, False))
    return order


# --------------------------------------------------------------------- losses
def softmax_cross_entropy(logits: Tensor, labels: Any) -> Tensor:
    """Mean cross-entropy of softmax(logits) against integer labels.

    Parameters
    ----------
    logits : Tensor of shape (n, C)
    labels : array_like of int, shape (n,), values in [0, C)

    Returns
    -------
    Tensor of shape ()
        ``mean_i [logsumexp(z_i) - z_i[y_i]]``; its gradient is ``(p - Y) / n``
        with ``p = softmax(z)`` and ``Y`` the one-hot labels.
    """
    if not isinstance(logits, Tensor):
        logits = Tensor(logits)
    z = logits.data
    if z.ndim != 2 or z.shape[0] == 0:
        raise ValueError(f"logits must have shape (n, C) with n >= 1, got {z.shape}")
    y = np.asarray(labels)
    n, c = z.shape
    if y.shape != (n,) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"labels must be {n} integers (one per row of logits), got shape {y.shape} of {y.dtype}"
        )
    if y.min() < 0 or y.max() >= c:
        raise ValueError(f"labels must be in [0, {c - 1}], got values from {y.min()} to {y.max()}")
    # Subtracting the row maximum keeps exp from overflowing (log-sum-exp trick).
    shifted = z - z.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    loss = np.mean(np.log(total[:, 0]) - shifted[rows, y])

    def vjp(g: np.ndarray) -> tuple[np.ndarray]:
        grad = exp / total
        grad[rows, y] -= 1.0
        return (grad * (g / n),)

    return op(np.asarray(loss, dtype=z.dtype), (logits,), "cross-entropy", vjp)


def mse(pred: Tensor, target: Any) -> Tensor:
    """Mean squared error ``mean((pred - target)^2)``.

    Parameters
    ----------
    pred : Tensor of any shape
    target : array_like or Tensor of the same shape (not broadcast, so an
        ``(n, 1)`` against ``(n,)`` mix-up raises instead of silently averaging
        an n x n matrix).
    """
    if not isinstance(pred, Tensor):
        pred = Tensor(pred)
    target_shape = target.shape if isinstance(target, Tensor) else np.shape(target)
    if tuple(target_shape) != pred.shape:
        raise ValueError(
            f"target must have the shape of pred {pred.shape}, got {tuple(target_shape)}"
        )
    diff = pred - target
    return (diff * diff).mean()


# ------------------------------------------------------------ graph and trace
def graph(root: Tensor) -> tuple[list[Tensor], list[tuple[int, int]]]:
    """The graph behind ``root``, for drawing.

    Returns
    -------
    nodes : list of Tensor
        In topological order (inputs first, ``root`` last).
    edges : list of (int, int)
        ``(i, j)``: ``nodes[i]`` is an input of ``nodes[j]``.
    """
    nodes = topological_order(root)
    index = {id(node): i for i, node in enumerate(nodes)}
    # dict.fromkeys keeps the order and draws a parent used twice (x * x) once.
    edges = list(
        dict.fromkeys((index[id(p)], j) for j, node in enumerate(nodes) for p in node.parents)
    )
    return nodes, edges


class BackwardTrace(NamedTuple):
    """A scalar graph after ``backward``, ready to draw and step through.

    Attributes
    ----------
    labels, ops : list of str, one per node (topological order)
    values, grads : ndarray of shape (n_nodes,)
        Forward value and ``dL/d(node)``.
    edges : list of (int, int)
        ``(parent, child)`` pairs, as in :func:`graph`.
    local : ndarray of shape (n_edges,)
        ``d(child)/d(parent)``, the local derivative on each edge.
    chain : ndarray of shape (n_edges,)
        ``dL/d(child) * d(child)/d(parent)``: what the edge passes back.
    order : list of int
        The order in which backward applies the ops (root first; inputs
        have no rule of their own and are left out).
    """

    labels: list[str]
    ops: list[str]
    values: np.ndarray
    grads: np.ndarray
    edges: list[tuple[int, int]]
    local: np.ndarray
    chain: np.ndarray
    order: list[int]


def trace(root: Tensor) -> BackwardTrace:
    """Run ``backward`` on a graph of scalars and record every chain-rule step.

    Parameters
    ----------
    root : Tensor of size 1
        Every node of its graph must hold one number.
    """
    nodes, edges = graph(root)
    if any(node.data.size != 1 for node in nodes):
        raise ValueError("trace needs a graph of scalars (every node of size 1)")
    root.backward()
    local, chain = [], []
    for i, j in edges:
        child = nodes[j]
        slot = [k for k, p in enumerate(child.parents) if p is nodes[i]]
        # Seeding the child's vjp with 1 gives the local derivative; seeding
        # it with dL/d(child) gives the chain-rule product. A parent used
        # twice (x * x) gets both uses on its one edge.
        ones = child._vjp(np.ones_like(child.data))
        real = child._vjp(child.grad)
        local.append(sum(float(np.sum(ones[k])) for k in slot))
        chain.append(sum(float(np.sum(real[k])) for k in slot))
    return BackwardTrace(
        labels=[node.label or node.op for node in nodes],
        ops=[node.op for node in nodes],
        values=np.array([node.item() for node in nodes]),
        grads=np.array([float(node.grad.reshape(())) for node in nodes]),
        edges=edges,
        local=np.array(local),
        chain=np.array(chain),
        order=[v for v in reversed(range(len(nodes))) if nodes[v].parents],
    )
