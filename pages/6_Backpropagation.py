"""Backpropagation: the chain rule on a graph, one step by hand, and an MLP trained live."""

import numpy as np
import streamlit as st

from charts import backprop as charts
from dlcore import autograd, datasets, gradcheck, nn, optim
from ui import (
    download_csv,
    download_json,
    download_npz,
    notice,
    page_header,
    show_code,
    show_error,
    url,
)

page_header(
    "Backpropagation",
    "A network's gradient is the chain rule applied backwards through its computational graph: each node "
    "multiplies the gradient arriving from above by its own local derivative. Follow it node by node, then "
    "matrix by matrix, then watch it train a network live.",
)
M = nn.latex_matrix

# ---------------------------------------------------------------- 1. graph
st.header("1. The chain rule on a graph")


def _last(a):
    return f"{a[-1]:.3f}" if len(a) else "–"


@st.fragment
def graph_panel():
    left, right = st.columns([1, 4])
    with left:
        act = st.selectbox("Activation f", ["sigmoid", "tanh", "relu"], **url("bp", "g_act"))
        x1 = st.slider("x1", -2.0, 2.0, 1.0, 0.1, **url("bp", "g_x1"))
        x2 = st.slider("x2", -2.0, 2.0, -0.5, 0.1, **url("bp", "g_x2"))
        w1 = st.slider("w1", -2.0, 2.0, 0.8, 0.1, **url("bp", "g_w1"))
        w2 = st.slider("w2", -2.0, 2.0, 0.4, 0.1, **url("bp", "g_w2"))
        b = st.slider("b", -2.0, 2.0, 0.1, 0.1, **url("bp", "g_b"))
        t = st.slider("target t", -1.0, 1.0, 1.0, 0.1, **url("bp", "g_t"))
    tr = autograd.trace(nn.neuron([x1, x2], [w1, w2], b, t, activation=act))
    with right:
        step = st.slider("Backward steps done", 0, len(tr.order), 3, **url("bp", "g_step"))
        st.plotly_chart(
            charts.computational_graph(
                tr.labels, tr.values, tr.grads, tr.edges, tr.local, tr.chain, tr.order, step
            ),
            key="bp_graph_fig",
        )
    if step == 0:
        st.latex(
            rf"L = \big(f(w_1 x_1 + w_2 x_2 + b) - t\big)^2 = (f({tr.values[tr.labels.index('z')]:.3g}) - {t:g})^2"
            rf" = {tr.values[-1]:.4g}\qquad \text{{forward pass done: move the backward slider}}"
        )
    else:
        j = tr.order[step - 1]
        lines = [
            rf"\frac{{\partial L}}{{\partial\,\mathrm{{{tr.labels[i]}}}}} \mathrel{{+}}= "
            rf"\underbrace{{{tr.grads[j]:.4g}}}_{{\partial L/\partial\,\mathrm{{{tr.labels[j]}}}}}"
            rf"\times \underbrace{{{tr.local[k]:.4g}}}_{{\text{{local}}}} = {tr.chain[k]:.4g}"
            for k, (i, jj) in enumerate(tr.edges)
            if jj == j
        ]
        st.latex(r" \\ ".join(lines))
    notice(
        "Each edge passes back (gradient above) × (local derivative). Where a node feeds two paths, the "
        "two products add up. With ReLU and z < 0, the local derivative is 0 and nothing flows to w1, w2, b."
    )
    show_code(autograd.Tensor.backward, autograd.Tensor.sigmoid, autograd.trace)


graph_panel()

# --------------------------------------------------------- 2. one step by hand
st.header("2. One training step by hand (2-2-1 network)")


@st.fragment
def step_panel():
    c = st.columns(5)
    x1 = c[0].slider("x1", -2.0, 2.0, 0.5, 0.1, **url("bp", "s_x1"))
    x2 = c[1].slider("x2", -2.0, 2.0, -1.0, 0.1, **url("bp", "s_x2"))
    y = c[2].segmented_control("label y", [0, 1], default=1, required=True, **url("bp", "s_y"))
    lr = c[3].select_slider("learning rate η", [0.01, 0.1, 0.5, 1.0, 2.0], 0.5, **url("bp", "s_lr"))
    seed = c[4].number_input("weights seed", 0, 999, 1, **url("bp", "s_seed"))
    w = nn.MLP((2, 2, 1), init="xavier", rng=int(seed)).weights()
    s = nn.manual_step([x1, x2], y, w, lr=lr)
    x = np.array([[x1, x2]])
    st.markdown("**Forward**: tanh hidden layer, sigmoid output, binary cross-entropy.")
    st.latex(rf"z_1 = x W_1 + b_1 = {M(x)} {M(w['W1'])} + {M(w['b1'])} = {M(s.z1)}")
    st.latex(
        rf"a_1 = \tanh(z_1) = {M(s.a1)},\qquad z_2 = a_1 W_2 + b_2 = {M(s.a1)} {M(w['W2'])} + {w['b2'][0]:.2f}"
        rf" = {M(s.z2)}"
    )
    st.latex(
        rf"p = \sigma(z_2) = {s.p[0, 0]:.3f},\qquad L = -[y\log p + (1-y)\log(1-p)] = {s.loss:.4f}"
    )
    st.markdown(
        "**Backward**: the error signal δ = ∂L/∂z, layer by layer; each weight gradient is an outer product."
    )
    st.latex(
        rf"\delta_2 = p - y = {s.delta2[0, 0]:.4f},\qquad \frac{{\partial L}}{{\partial W_2}} = a_1^\top \delta_2"
        rf" = {M(s.a1.T)} {M(s.delta2, digits=3)} = {M(s.dW2, digits=3)}"
    )
    st.latex(rf"\delta_1 = (\delta_2 W_2^\top) \odot (1 - a_1^2) = {M(s.delta1, digits=3)}")
    st.latex(
        rf"\frac{{\partial L}}{{\partial W_1}} = x^\top \delta_1 = {M(x.T)} {M(s.delta1, digits=3)}"
        rf" = {M(s.dW1, digits=3)}"
    )
    st.markdown(f"**Update** with η = {lr:g}:")
    st.latex(
        rf"W_1 \leftarrow W_1 - {lr:g}\,\frac{{\partial L}}{{\partial W_1}} = {M(s.new['W1'], digits=3)}"
    )
    st.latex(
        rf"W_2 \leftarrow {M(s.new['W2'], digits=3)},\quad b_1 \leftarrow {M(s.new['b1'], digits=3)},\quad "
        rf"b_2 \leftarrow {s.new['b2'][0]:.3f}"
    )
    notice(
        "The gradient of a weight matrix always has the matrix's shape: (input of the layer)ᵀ × (error signal "
        "of the layer). Set x1 = 0 and the whole first row of ∂L/∂W1 is zero: a weight from a silent input "
        "does not learn."
    )
    show_code(nn.manual_step)


step_panel()

# ------------------------------------------------------------- 3. train live
st.header("3. Train an MLP live")
DATASETS = ["moons", "circles", "xor", "spirals", "blobs", "classification"]
BATCHES = ["full", 8, 16, 32, 64, 128]


@st.cache_data(max_entries=16)
def load_data(name, n, noise, classes, test_fraction, seed):
    given = {"n_samples": n, "noise": noise, "n_classes": classes}
    d = datasets.load(
        name, rng=seed, **{k: v for k, v in given.items() if k in datasets.DATASETS[name].params}
    )
    X_tr, X_te, y_tr, y_te = nn.train_test_split(d.X, d.y, test_fraction=test_fraction, rng=seed)
    X_tr, X_te = nn.standardize(X_tr, X_te)
    return X_tr, X_te, y_tr, y_te, int(d.y.max()) + 1


def make_model(cfg, n_classes):
    sizes = (2,) + (cfg["width"],) * cfg["layers"] + (n_classes,)
    return nn.MLP(sizes, activation=cfg["activation"], init=cfg["init"], rng=cfg["seed"])


def run_epochs(cfg, data, progress, epochs):
    X_tr, X_te, y_tr, y_te, n_classes = data
    model = make_model(cfg, n_classes)
    opt = optim.OPTIMIZERS[cfg["optimizer"]](lr=cfg["lr"])
    batch = None if cfg["batch"] == "full" else cfg["batch"]
    progress = progress or nn.start(model)
    return nn.resume(
        model,
        progress,
        X_tr,
        y_tr,
        optimizer=opt,
        epochs=epochs,
        batch_size=batch,
        rng=cfg["seed"],
        l2=cfg["l2"],
        X_test=X_te,
        y_test=y_te,
    ), model


@st.cache_data(max_entries=8)
def full_run(cfg_items, epochs):
    cfg = dict(cfg_items)
    return run_epochs(cfg, load_data(*cfg["data"]), None, epochs)[0]


@st.fragment
def train_panel():
    c = st.columns(6)
    name = c[0].selectbox("Data set", DATASETS, **url("bp", "data"))
    n = c[1].select_slider("Points", [50, 100, 200, 300, 500], 200, **url("bp", "n"))
    takes = datasets.DATASETS[name].params  # grey out what this data set ignores
    noise = c[2].select_slider(
        "Noise",
        [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5],
        0.15,
        disabled="noise" not in takes,
        help="for moons, circles, xor and spirals",
        **url("bp", "noise"),
    )
    classes = c[3].slider(
        "Classes",
        2,
        5,
        3,
        disabled="n_classes" not in takes,
        help="for blobs, spirals and classification",
        **url("bp", "classes"),
    )
    test_fraction = c[4].select_slider(
        "Test fraction", [0.1, 0.2, 0.3, 0.5, 0.9, 0.97], 0.3, **url("bp", "test")
    )
    seed = int(c[5].number_input("Seed", 0, 9999, 0, **url("bp", "seed")))
    c = st.columns(6)
    layers = c[0].slider("Hidden layers", 0, 4, 2, **url("bp", "layers"))
    width = c[1].slider("Neurons per layer", 1, 16, 8, **url("bp", "width"))
    activation = c[2].selectbox(
        "Activation", ["relu", "tanh", "sigmoid", "identity"], **url("bp", "act")
    )
    init = c[3].selectbox("Initialisation", list(nn.INITS), **url("bp", "init"))
    opt_name = c[4].selectbox("Optimizer", ["Adam", "Momentum", "SGD"], **url("bp", "opt"))
    lr = c[5].select_slider(
        "Learning rate",
        [1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0],
        0.03,
        **url("bp", "lr"),
    )
    c = st.columns([1, 1, 1, 3])
    batch = c[0].select_slider("Batch size", BATCHES, 32, **url("bp", "batch"))
    l2 = c[1].select_slider("L2 penalty λ", [0.0, 1e-4, 1e-3, 1e-2, 0.1], 0.0, **url("bp", "l2"))
    epochs = c[2].slider("Epochs for Train", 10, 300, 100, 10, **url("bp", "epochs"))
    cfg = dict(
        data=(name, n, noise, classes, test_fraction, seed),
        layers=layers,
        width=width,
        activation=activation,
        init=init,
        optimizer=opt_name,
        lr=lr,
        batch=batch,
        l2=l2,
        seed=seed,
    )
    key = tuple(sorted(cfg.items()))
    try:
        data = load_data(*cfg["data"])
        if len(np.unique(data[2])) < 2:
            raise ValueError(
                f"After the split the training set holds only one class ({data[2][0]}). "
                "Use more points or a smaller test fraction."
            )
    except ValueError as exc:
        show_error(exc)
        return
    b = c[3].columns(4, vertical_alignment="bottom")
    stepped = {
        1: b[0].button("Step 1 epoch", key="bp_step1"),
        10: b[1].button("Step 10", key="bp_step10"),
    }
    train = b[2].button(
        "Train", type="primary", key="bp_train", help=f"from a fresh start, {epochs} epochs"
    )
    reset = b[3].button("Reset", key="bp_reset")
    saved = st.session_state.get("_bp_run")
    if train or (saved is None and not reset):
        progress = full_run(key, epochs)  # the first visit shows a trained network
    elif reset or saved[0] != key:
        progress = None
    else:
        progress = saved[1]
    for k, pressed in stepped.items():
        if pressed:
            progress = run_epochs(cfg, data, progress, k)[0]
    progress, model = run_epochs(cfg, data, progress, 0)
    st.session_state["_bp_run"] = (key, progress)
    X_tr, X_te, y_tr, y_te, n_classes = data
    if progress.diverged_at >= 0:
        st.error(
            f"The loss exploded (NaN, infinite or above 10⁴) in epoch {progress.diverged_at + 1}: with learning "
            f"rate {lr:g} each step overshoots and the weights blow up. Training stopped at the last sane weights;"
            " lower the learning rate and press Reset.",
            icon=":material/warning:",
        )
    elif progress.epoch == 0:
        st.info(
            f"A fresh, untrained network: press Train for {epochs} epochs, or Step to watch it learn epoch by "
            "epoch.",
            icon=":material/play_arrow:",
        )
    shown = {
        "Epoch": progress.epoch,
        "Train cross-entropy": _last(progress.loss),
        "Train accuracy": _last(progress.accuracy),
        "Test accuracy": _last(progress.test_accuracy),
        "Parameters": sum(p.data.size for p in model.parameters()),
    }
    for column, (label, value) in zip(st.columns(5), shown.items()):
        column.metric(label, value)
    sizes = " \\to ".join(str(s) for s in model.sizes)
    st.latex(
        rf"\text{{network }} {sizes},\quad L = \frac{{1}}{{B}}\sum_i -\log \mathrm{{softmax}}(z_i)_{{y_i}}"
        rf" + \frac{{{l2:g}}}{{2}}\sum_\ell \lVert W_\ell\rVert^2"
    )
    if l2 > 0:  # History logs the data term alone, as PyTorch users usually do
        st.caption(
            "The loss curves and the cross-entropy above show the first term alone (the fit), not the L2 term."
        )
    st.latex(optim.OPTIMIZERS[opt_name](lr=lr).to_latex())
    xs, ys, grid = nn.grid_over(np.vstack([X_tr, X_te]), resolution=80)
    left, right = st.columns(2)
    left.plotly_chart(
        charts.decision_regions(xs, ys, nn.predict_proba(model, grid), X_tr, y_tr, X_te, y_te),
        key="bp_regions",
    )
    right.plotly_chart(
        charts.training_curves(
            progress.loss,
            progress.accuracy,
            progress.test_loss,
            progress.test_accuracy,
            diverged_at=progress.diverged_at,
        ),
        key="bp_curves",
    )
    left, right = st.columns(2)
    left.plotly_chart(charts.gradient_norms(progress.grad_norms), key="bp_norms")
    with right:
        if layers == 0:
            st.info(
                "No hidden layer: this is (multinomial) logistic regression, so every boundary is a straight "
                "line. Add a hidden layer to bend it."
            )
        else:
            st.markdown("**First hidden layer**: what each neuron computes over the plane")
            nx, ny, coarse = nn.grid_over(np.vstack([X_tr, X_te]), resolution=40)
            st.plotly_chart(
                charts.neuron_maps(nx, ny, model.hidden_outputs(coarse)[0]), key="bp_neurons"
            )
    notice(
        "Each first-layer neuron can only draw one straight edge (a ramp for ReLU, a soft step for tanh); the "
        "next layers combine these edges into the curved boundary. Try XOR with one hidden layer of 2 neurons, "
        "zero initialisation (all neurons stay identical), or a learning rate of 100."
    )
    show_code(nn.fit, nn.MLP.__call__)

    st.subheader("Gradient check")
    broken = st.toggle(
        "Break it: use a wrong derivative (f′ taken as f itself)", **url("bp", "broken")
    )
    checks = gradcheck.gradient_check(
        model, X_tr[:64], y_tr[:64], broken=broken, max_entries=10, rng=seed
    )
    mant, exp = f"{max(ch.rel_error for ch in checks):.1e}".split("e")
    st.latex(
        r"\frac{\partial L}{\partial\theta_i} \approx \frac{L(\theta + \varepsilon e_i) - L(\theta - \varepsilon"
        r" e_i)}{2\varepsilon},\ \varepsilon = 10^{-6},\qquad \text{rel. error} = "
        r"\frac{\lVert g_\text{backprop} - g_\text{numeric}\rVert}{\lVert g_\text{backprop}\rVert + "
        rf"\lVert g_\text{{numeric}}\rVert}},\quad \max = {mant} \times 10^{{{int(exp)}}}"
    )
    st.plotly_chart(
        charts.gradient_check_bars([ch.name for ch in checks], [ch.rel_error for ch in checks]),
        key="bp_check",
    )
    notice(
        "A correct backward pass agrees with finite differences to about 1e-7 or better. The broken derivative "
        "leaves the forward pass (and so the loss) unchanged, yet every layer whose gradient flows back through an "
        "activation fails; only the output layer, which sits after the last activation, still passes."
    )
    show_code(gradcheck.gradient_check, nn.broken_activation)

    st.subheader("Downloads")
    d, weights = st.columns(3), model.weights()
    with d[0]:
        download_npz("Weights (NPZ)", weights, "mlp_weights.npz", key="bp_dl_npz")
    with d[1]:
        download_json(
            "Weights (JSON)",
            {"sizes": model.sizes, "activation": activation, "weights": weights},
            "mlp_weights.json",
            key="bp_dl_json",
        )
    with d[2]:
        columns = {
            "epoch": np.arange(1, progress.epoch + 1),
            "train_loss": progress.loss,
            "train_accuracy": progress.accuracy,
            "test_loss": progress.test_loss,
            "test_accuracy": progress.test_accuracy,
        }
        columns.update(
            {f"grad_norm_layer{k + 1}": progress.grad_norms[:, k] for k in range(len(model.layers))}
        )
        download_csv("History (CSV)", columns, "training_history.csv", key="bp_dl_csv")


train_panel()
