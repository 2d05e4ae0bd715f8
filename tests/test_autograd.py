"""dlcore.autograd: every op's gradient against central differences, broadcasting included."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore.autograd import Tensor, graph, mse, softmax_cross_entropy, topological_order, trace

RNG = np.random.default_rng(0)


def numeric_grads(f, arrays, eps=1e-6):
    """Central differences of the scalar sum(f(*arrays)) with respect to every array."""
    grads = []
    for k, a in enumerate(arrays):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus = [x.copy() for x in arrays]
            minus = [x.copy() for x in arrays]
            plus[k][idx] += eps
            minus[k][idx] -= eps
            g[idx] = (np.sum(f(*plus)) - np.sum(f(*minus))) / (2 * eps)
        grads.append(g)
    return grads


def autograd_grads(fn, arrays):
    tensors = [Tensor(a) for a in arrays]
    out = fn(*tensors)
    out.sum().backward()
    return out.data, [t.grad for t in tensors]


POS = lambda *shape: RNG.uniform(0.5, 2.0, shape)  # noqa: E731  (log, /, ** need positive inputs)
ANY = lambda *shape: RNG.normal(size=shape)  # noqa: E731

# (name, function on Tensors or arrays alike, input arrays): broadcast shapes included.
CASES = [
    ("add", lambda a, b: a + b, [ANY(3, 4), ANY(3, 4)]),
    ("add row bias", lambda a, b: a + b, [ANY(5, 3), ANY(3)]),
    ("add column", lambda a, b: a + b, [ANY(4, 1), ANY(1, 3)]),
    ("add scalar tensor", lambda a, b: a + b, [ANY(2, 3), ANY()]),
    ("sub broadcast", lambda a, b: a - b, [ANY(3), ANY(2, 3)]),
    ("mul broadcast", lambda a, b: a * b, [ANY(2, 3, 4), ANY(3, 1)]),
    ("div broadcast", lambda a, b: a / b, [ANY(4, 3), POS(3)]),
    ("rsub const", lambda a: 2.0 - a, [ANY(3)]),
    ("rdiv const", lambda a: 1.0 / a, [POS(3)]),
    ("neg", lambda a: -a, [ANY(2, 2)]),
    ("matmul", lambda a, b: a @ b, [ANY(4, 3), ANY(3, 2)]),
    ("matmul vec left", lambda a, b: a @ b, [ANY(3), ANY(3, 2)]),
    ("matmul vec right", lambda a, b: a @ b, [ANY(4, 3), ANY(3)]),
    ("matmul dot", lambda a, b: a @ b, [ANY(3), ANY(3)]),
    ("matmul batched broadcast", lambda a, b: a @ b, [ANY(2, 4, 3), ANY(3, 2)]),
    ("pow 2", lambda a: a**2, [ANY(3, 2)]),
    ("pow 3", lambda a: a**3, [ANY(4)]),
    ("pow half", lambda a: a**0.5, [POS(4)]),
    ("exp", lambda a: a.exp(), [ANY(3, 2)]),
    ("log", lambda a: a.log(), [POS(3, 2)]),
    ("tanh", lambda a: a.tanh(), [ANY(5)]),
    ("sigmoid", lambda a: a.sigmoid(), [ANY(5)]),
    ("relu", lambda a: a.relu(), [np.array([-1.5, -0.2, 0.3, 2.0])]),
    ("sum all", lambda a: a.sum() * a.sum(), [ANY(2, 3)]),
    ("sum axis0", lambda a: a.sum(axis=0) ** 2, [ANY(4, 3)]),
    ("sum axis1 keepdims", lambda a: a.sum(axis=1, keepdims=True) * a, [ANY(4, 3)]),
    ("mean axis", lambda a: a.mean(axis=0) ** 2, [ANY(4, 3)]),
    ("mean all", lambda a: a.mean() * a, [ANY(3, 3)]),
    (
        "sum negative axes",
        lambda a: (a.sum(axis=(-1, 0)) ** 2).sum() + (a.sum(axis=-2) ** 2).sum(),
        [ANY(2, 3, 4)],
    ),
    ("reshape", lambda a, b: a.reshape(3, 2) @ b, [ANY(2, 3), ANY(2, 2)]),
    ("transpose", lambda a, b: a.T @ b, [ANY(3, 2), ANY(3, 4)]),
    ("reused input", lambda a: a * a + a.exp() * a, [ANY(3)]),
]


def _on_arrays(fn, arrays):
    """Evaluate fn with the reference ops in plain NumPy."""
    return fn(*[_Plain(a) for a in arrays]).value


class _Plain:
    """NumPy stand-in with the Tensor method names, for the numeric reference."""

    def __init__(self, v):
        self.value = np.asarray(v, float)

    def _v(self, o):
        return o.value if isinstance(o, _Plain) else o

    def __add__(self, o):
        return _Plain(self.value + self._v(o))

    def __radd__(self, o):
        return _Plain(self._v(o) + self.value)

    def __sub__(self, o):
        return _Plain(self.value - self._v(o))

    def __rsub__(self, o):
        return _Plain(self._v(o) - self.value)

    def __mul__(self, o):
        return _Plain(self.value * self._v(o))

    def __rmul__(self, o):
        return _Plain(self._v(o) * self.value)

    def __truediv__(self, o):
        return _Plain(self.value / self._v(o))

    def __rtruediv__(self, o):
        return _Plain(self._v(o) / self.value)

    def __matmul__(self, o):
        return _Plain(self.value @ self._v(o))

    def __pow__(self, p):
        return _Plain(self.value**p)

    def __neg__(self):
        return _Plain(-self.value)

    def exp(self):
        return _Plain(np.exp(self.value))

    def log(self):
        return _Plain(np.log(self.value))

    def tanh(self):
        return _Plain(np.tanh(self.value))

    def sigmoid(self):
        return _Plain(1 / (1 + np.exp(-self.value)))

    def relu(self):
        return _Plain(np.maximum(self.value, 0))

    def sum(self, axis=None, keepdims=False):
        return _Plain(self.value.sum(axis=axis, keepdims=keepdims))

    def mean(self, axis=None, keepdims=False):
        return _Plain(self.value.mean(axis=axis, keepdims=keepdims))

    def reshape(self, *s):
        return _Plain(self.value.reshape(*s))

    @property
    def T(self):
        return _Plain(self.value.T)


@pytest.mark.parametrize("name,fn,arrays", CASES, ids=[c[0] for c in CASES])
def test_op_gradient_matches_central_differences(name, fn, arrays):
    value, grads = autograd_grads(fn, arrays)
    np.testing.assert_allclose(value, _on_arrays(fn, arrays), rtol=1e-12, atol=1e-12)
    numeric = numeric_grads(lambda *a: _on_arrays(fn, a), arrays)
    for g, n, a in zip(grads, numeric, arrays):
        assert g.shape == a.shape, "broadcast gradient must be reduced to the input's shape"
        np.testing.assert_allclose(g, n, rtol=1e-6, atol=1e-7)


def test_relu_derivative_at_zero_is_zero_like_torch():
    x = Tensor(np.array([0.0, 1.0]))
    x.relu().sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0])


def test_sigmoid_is_stable_at_large_inputs():
    x = Tensor(np.array([-1000.0, 0.0, 1000.0]))
    s = x.sigmoid()
    np.testing.assert_allclose(s.data, [0.0, 0.5, 1.0])
    s.sum().backward()
    np.testing.assert_allclose(x.grad, [0.0, 0.25, 0.0])


def test_softmax_cross_entropy_value_and_closed_form_gradient():
    z = RNG.normal(size=(6, 4))
    y = np.array([0, 3, 1, 1, 2, 0])
    logits = Tensor(z)
    loss = softmax_cross_entropy(logits, y)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(loss.item(), -np.mean(np.log(p[np.arange(6), y])), rtol=1e-12)
    loss.backward()
    onehot = np.eye(4)[y]
    np.testing.assert_allclose(logits.grad, (p - onehot) / 6, atol=1e-14)


def test_softmax_cross_entropy_stable_at_huge_logits_and_against_sklearn():
    from sklearn.metrics import log_loss

    z = np.array([[1000.0, 0.0], [0.0, 1000.0], [3.0, 1.0]])
    y = np.array([0, 0, 1])
    loss = softmax_cross_entropy(Tensor(z), y)
    expected = (0.0 + 1000.0 + (np.log1p(np.exp(-2.0)) + 2.0)) / 3
    assert np.isfinite(loss.item())
    np.testing.assert_allclose(loss.item(), expected, rtol=1e-12)
    z2 = RNG.normal(size=(8, 3))
    y2 = np.array([0, 1, 2, 2, 1, 0, 1, 2])
    p2 = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(
        softmax_cross_entropy(Tensor(z2), y2).item(), log_loss(y2, p2), rtol=1e-10
    )


@pytest.mark.parametrize(
    "labels,match",
    [
        (np.array([0, 1]), "labels must be 3"),
        (np.array([0, 1, 5]), r"\[0, 1\]"),
        (np.array([0.0, 1.0, 1.0]), "integers"),
    ],
)
def test_softmax_cross_entropy_rejects_bad_labels(labels, match):
    with pytest.raises(ValueError, match=match):
        softmax_cross_entropy(Tensor(np.zeros((3, 2))), labels)


def test_mse_value_gradient_and_shape_check():
    pred, target = RNG.normal(size=(5, 2)), RNG.normal(size=(5, 2))
    p = Tensor(pred)
    loss = mse(p, target)
    np.testing.assert_allclose(loss.item(), np.mean((pred - target) ** 2))
    loss.backward()
    np.testing.assert_allclose(p.grad, 2 * (pred - target) / pred.size)
    with pytest.raises(ValueError, match="target must have the shape"):
        mse(Tensor(np.zeros((4, 1))), np.zeros(4))


def test_backward_recomputes_instead_of_accumulating():
    x = Tensor(np.array([1.0, 2.0]))
    y = (x * x).sum()
    y.backward()
    y.backward()
    np.testing.assert_allclose(x.grad, [2.0, 4.0])


def test_float32_stays_float32_through_ops_and_grads():
    x = Tensor(np.ones((3, 2), np.float32))
    w = Tensor(np.ones((2, 2), np.float32))
    out = ((x @ w + 1.0) * 2.0).relu().sigmoid().mean()
    out.backward()
    assert out.dtype == np.float32 and x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_topological_order_is_deterministic_and_parents_first():
    a, b = Tensor(1.0, label="a"), Tensor(2.0, label="b")
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert [t.label or t.op for t in order] == ["a", "b", "*", "+", "*"]
    pos = {id(t): i for i, t in enumerate(order)}
    assert all(pos[id(p)] < pos[id(t)] for t in order for p in t.parents)
    assert [id(t) for t in topological_order(e)] == [id(t) for t in order]


def test_deep_chain_does_not_hit_recursion_limit():
    x = Tensor(1.0)
    y = x
    for _ in range(3000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0


def test_graph_edges_and_trace_of_a_neuron():
    x, w, b = Tensor(2.0, label="x"), Tensor(-0.5, label="w"), Tensor(0.3, label="b")
    loss = ((x * w + b).tanh() - 1.0) ** 2
    nodes, edges = graph(loss)
    assert nodes[-1] is loss and len(nodes) == 9 and len(edges) == 8
    t = trace(loss)
    z = 2.0 * -0.5 + 0.3
    a = np.tanh(z)
    dl_da = 2 * (a - 1.0)
    dl_dz = dl_da * (1 - a**2)
    grads = dict(zip(t.labels, t.grads))
    np.testing.assert_allclose(
        [grads["x"], grads["w"], grads["b"]], [dl_dz * -0.5, dl_dz * 2.0, dl_dz]
    )
    # every edge: chain = dL/d(child) * local, and the parents' gradients are those sums
    for (i, j), local, chain in zip(t.edges, t.local, t.chain):
        np.testing.assert_allclose(chain, t.grads[j] * local)
    tanh_edge = [k for k, (i, j) in enumerate(t.edges) if t.ops[j] == "tanh"][0]
    np.testing.assert_allclose(t.local[tanh_edge], 1 - a**2)
    assert t.order[0] == len(nodes) - 1 and len(t.order) == 5  # the ops only


def test_trace_merges_a_parent_used_twice():
    x = Tensor(3.0, label="x")
    t = trace(x * x)
    assert t.edges == [(0, 1)]
    np.testing.assert_allclose(t.local, [6.0])


def test_trace_rejects_arrays_and_pow_rejects_tensor_exponent():
    with pytest.raises(ValueError, match="scalars"):
        trace(Tensor(np.ones(3)).sum() * Tensor(np.ones(2)).sum() + Tensor(np.ones(2)).sum())
    with pytest.raises(ValueError, match="exponent"):
        Tensor(2.0) ** Tensor(2.0)
