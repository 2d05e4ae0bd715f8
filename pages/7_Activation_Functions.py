"""Activation functions lab: the nonlinearities, softmax, and gradients through depth."""

import math

import streamlit as st

from charts import activations as charts
from dlcore import activations as act
from dlcore import depth as dp
from dlcore.initializers import INITIALIZERS
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

P = "act"
PARAMS = {p.name: (spec.name, p) for spec in act.ACTIVATIONS.values() for p in spec.params}

page_header(
    "Activation functions",
    "A network is linear layers with a **nonlinearity** between them; without one, any depth collapses "
    "to a single matrix. Compare the usual activations and their derivatives, see how **softmax** turns "
    "scores into probabilities (and why it subtracts the max), then push a gradient back through "
    "up to 50 layers and watch it **vanish or explode**.",
    icon=":material/show_chart:",
)


def tex(v: float) -> str:
    """A number for st.latex, 3 significant digits, powers of ten written out."""
    text = f"{v:.3g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


@st.cache_data(max_entries=64)
def properties_table(
    names: tuple[str, ...], params: tuple[tuple[str, float], ...]
) -> dict[str, list]:
    rows = {n: act.properties(n, **dict(params)) for n in names}

    def bound(v: float) -> str:
        return (
            "\u221e" if v == float("inf") else "\u2212\u221e" if v == float("-inf") else f"{v:.3g}"
        )

    return {
        "activation": list(rows),
        "range": [f"({bound(p.low)}, {bound(p.high)})" for p in rows.values()],
        "f(0)": [round(p.value_at_zero, 4) for p in rows.values()],
        "E[f(X)], X~N(0,1)": [round(p.mean_output, 4) for p in rows.values()],
        "zero-centred": [p.zero_centred for p in rows.values()],
        "saturates": [
            {(1, 1): "both sides", (1, 0): "left", (0, 1): "right", (0, 0): "no"}[
                (p.saturates_left, p.saturates_right)
            ]
            for p in rows.values()
        ],
        "f\u2032(0)": [round(p.grad_at_zero, 4) for p in rows.values()],
        "max |f\u2032|": [round(p.max_grad, 4) for p in rows.values()],
        "monotonic": [p.monotonic for p in rows.values()],
    }


@st.fragment
def gallery() -> None:
    st.header("1 · The functions and their derivatives")
    names = st.multiselect(
        "Activations",
        list(act.ACTIVATIONS),
        default=["ReLU", "GELU", "Sigmoid", "Tanh"],
        **url(P, "fns"),
    )
    cols = st.columns(2 + len(PARAMS))
    x_range = cols[0].slider("x range", -20.0, 20.0, (-5.0, 5.0), step=0.5, **url(P, "range"))
    x0 = cols[1].slider("Probe point x\u2080", -20.0, 20.0, 1.0, step=0.1, **url(P, "x0"))
    params = {
        p.name: col.slider(
            f"{owner}: {p.name.replace('_', ' ')} ${p.symbol}$",
            p.low,
            p.high,
            p.default,
            step=p.step,
            **url(P, p.name),
        )
        for col, (owner, p) in zip(cols[2:], PARAMS.values())
    }
    before, st.session_state[f"{P}_gallery_params"] = (
        st.session_state.get(f"{P}_gallery_params"),
        params,
    )
    if before is not None and before != params:
        st.rerun()  # the depth panel, another fragment, uses these parameters too: rerun the whole page once
    if not names:
        st.info("Pick at least one activation above.")
        return
    try:
        c = act.curves(names, x_range, **params)
    except ValueError as exc:
        show_error(exc, hint="Widen the x range so that its two ends differ.")
        return
    st.plotly_chart(charts.curves(c.x, c.values, c.grads, probe=x0), key=f"{P}_curves_chart")
    notice(
        "Sigmoid's derivative never rises above 1/4 and tanh's above 1: both flatten to 0 for large |x| "
        "(they saturate). ReLU's derivative is exactly 1 or 0, so it neither shrinks a gradient nor keeps "
        "one alive for negative inputs; GELU and SiLU are smooth ReLUs that dip below zero."
    )
    for i, name in enumerate(names):
        if i % 2 == 0:
            formula_cols = st.columns(2)  # one row per pair, so neighbours line up
        spec = act.ACTIVATIONS[name]
        kw = spec.kwargs(params)
        fx, gx = (float(spec.fn(x0, **kw)), float(spec.grad(x0, **kw)))
        values = ", ".join(f"{p.symbol} = {params[p.name]:g}" for p in spec.params)
        formula_cols[i % 2].latex(
            rf"\begin{{gathered}}\textbf{{{name}}}"
            + (rf"\ ({values})" if values else "")
            + rf"\\ {spec.latex} \\ "
            rf"{spec.grad_latex} \\ f({x0:g}) = {fx:.5g}, \quad f'({x0:g}) = {gx:.5g}\end{{gathered}}"
        )
    st.subheader("Properties, measured on a grid")
    st.dataframe(properties_table(tuple(names), tuple(sorted(params.items()))), hide_index=True)
    st.caption(
        "Range, saturation and monotonicity come from evaluating f and f\u2032 on [\u221220, 20] and far out "
        "at \u00b11e6; E[f(X)] is a quadrature against the normal density. f\u2032(0) is PyTorch's value at a kink."
    )
    columns = (
        {"x": c.x} | {f"{n} f": c.values[n] for n in names} | {f"{n} f'": c.grads[n] for n in names}
    )
    download_csv("Curves (CSV)", columns, "activations.csv", key=f"{P}_dl_curves")
    show_code(
        *[fn for n in names for fn in (act.ACTIVATIONS[n].fn, act.ACTIVATIONS[n].grad)],
        act.properties,
    )


@st.fragment
def softmax_panel() -> None:
    st.header("2 · Softmax: scores to probabilities")
    labels = ["cat", "dog", "bird", "fish"]
    cols = st.columns(len(labels))
    defaults = (2.0, 1.0, 0.1, -1.0)
    z = [
        col.slider(f"logit z ({lab})", -10.0, 10.0, d, step=0.1, **url(P, f"z{i}"))
        for i, (col, lab, d) in enumerate(zip(cols, labels, defaults))
    ]
    c1, c2 = st.columns(2)
    temperature = c1.select_slider(
        "Temperature T",
        [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0],
        1.0,
        **url(P, "temp"),
    )
    shift = c2.slider("Add c to every logit", 0.0, 1000.0, 0.0, step=10.0, **url(P, "shift"))
    shifted = [zi + shift for zi in z]
    s = act.softmax(shifted, temperature=temperature)
    sweep = act.temperature_sweep(z)
    entropy = float(act.temperature_sweep(z, [temperature]).entropy[0])
    terms = " + ".join(f"e^{{{zi:g}/{temperature:g}}}" for zi in shifted)
    st.latex(
        rf"s_i = \frac{{e^{{z_i/T}}}}{{\sum_j e^{{z_j/T}}}}, \qquad s_{{\text{{{labels[0]}}}}} = "
        rf"\frac{{e^{{{shifted[0]:g}/{temperature:g}}}}}{{{terms}}} = {s[0]:.4f}"
    )
    st.latex(
        rf"H(s) = -\sum_i s_i \log s_i = {entropy:.4f}\ \text{{nats}} \qquad (0 \le H \le \log {len(z)} = "
        rf"{math.log(len(z)):.4f})"
    )
    top = labels[z.index(max(z))]
    st.latex(
        rf"T \to 0:\ s \to \text{{one-hot}}(\arg\max_i z_i = \text{{{top}}}), \qquad "
        rf"T \to \infty:\ s_i \to \tfrac{{1}}{{{len(z)}}} = {1 / len(z):g}"
    )
    left, right = st.columns(2)
    left.plotly_chart(charts.softmax_bars(labels, s), key=f"{P}_softmax_bars")
    right.plotly_chart(
        charts.temperature_sweep(
            sweep.temperatures, sweep.probabilities, sweep.entropy, labels, temperature
        ),
        key=f"{P}_temperature_chart",
    )
    notice(
        "As T \u2192 0 all the probability goes to the largest logit (argmax, entropy 0); as T \u2192 \u221e "
        "every class gets 1/n (entropy log n). Adding the same c to every logit changes nothing."
    )

    st.subheader("Why softmax subtracts the max")
    naive = act.softmax_naive(shifted)
    log_s = act.log_softmax(shifted)
    m = max(shifted)
    st.latex(rf"\log s_i = z_i - m - \log \sum_j e^{{z_j - m}}, \qquad m = \max_j z_j = {m:g}")
    st.dataframe(
        {
            "class": labels,
            "logit z + c": shifted,
            "naive exp(z)/\u03a3exp(z)": [f"{v:.4f}" for v in naive],
            "stable softmax (T = 1)": [f"{v:.4f}" for v in act.softmax(shifted)],
            "log_softmax": [f"{v:.4f}" for v in log_s],
        },
        hide_index=True,
    )
    if m > 709.78:
        st.warning(
            f"exp({m:g}) overflows float64 (largest finite exponent \u2248 709.78), so the naive formula "
            "computes \u221e/\u221e = NaN. The stable one only ever exponentiates z \u2212 m \u2264 0."
        )
    else:
        st.caption(f"Slide c above about {709.78 - max(z):.0f} to see the naive formula overflow.")

    st.subheader("The Jacobian diag(s) \u2212 s s\u1d40")
    jac = act.softmax_jacobian(z, temperature=temperature)
    j1, j2 = st.columns([1, 1])
    j1.plotly_chart(charts.jacobian(jac, labels), key=f"{P}_jacobian")
    j2.latex(r"\frac{\partial s_i}{\partial z_j} = \frac{1}{T}\, s_i(\delta_{ij} - s_j)")
    cat = rf"_{{\text{{{labels[0]}}}}}"
    j2.latex(
        rf"\frac{{\partial s{cat}}}{{\partial z{cat}}} = \frac{{{s[0]:.3f}\,(1 - {s[0]:.3f})}}{{{temperature:g}}} "
        rf"= {jac[0, 0]:.4f}"
    )
    j2.markdown(
        "Each row sums to 0: raising every logit together leaves the probabilities unchanged. "
        "The diagonal is positive (raising your own score helps you), everything else is negative."
    )
    download_json(
        "Softmax (JSON)",
        {
            "logits": z,
            "shift": shift,
            "temperature": temperature,
            "probabilities": s,
            "entropy_nats": entropy,
            "jacobian": jac,
        },
        "softmax.json",
        key=f"{P}_dl_softmax",
    )
    show_code(
        act.softmax, act.log_softmax, act.softmax_naive, act.softmax_jacobian, act.temperature_sweep
    )


@st.cache_data(max_entries=32)
def run_depth(
    activation: str,
    init: str,
    depth: int,
    width: int,
    std: float,
    seed: int,
    params: tuple[tuple[str, float], ...] = (),
) -> dp.DepthResult:
    return dp.depth_experiment(
        activation=activation,
        init=init,
        depth=depth,
        width=width,
        std=std,
        bins=40,
        rng=seed,
        **dict(params),
    )


@st.fragment
def depth_panel() -> None:
    st.header("3 · Vanishing and exploding gradients")
    st.markdown(
        "A stack of L fully connected layers of equal width, no biases: a random batch goes forward "
        "and a random gradient comes back. Both are seeded, so the picture is reproducible."
    )
    c1, c2, c3 = st.columns(3)
    activation = c1.selectbox(
        "Activation",
        list(act.ACTIVATIONS),
        index=list(act.ACTIVATIONS).index("Sigmoid"),
        **url(P, "depth_fn"),
    )
    init = c2.selectbox(
        "Initialisation",
        list(INITIALIZERS),
        index=list(INITIALIZERS).index("Xavier normal"),
        **url(P, "init"),
    )
    std = c3.select_slider(
        "\u03c3 of the Normal initialisation",
        [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0],
        0.1,
        disabled=init != "Normal",
        **url(P, "std"),
    )
    c4, c5, c6 = st.columns(3)
    depth = c4.slider("Layers L", 1, 50, 30, **url(P, "depth"))
    width = c5.select_slider(
        "Width (units per layer)", [8, 16, 32, 64, 128, 256], 128, **url(P, "width")
    )
    seed = c6.number_input("Seed", 0, 10_000, 0, **url(P, "seed"))
    # The gallery's Leaky ReLU slope and ELU alpha sliders apply here too (one activation, one set of parameters).
    params = tuple(
        (name, float(st.session_state.get(f"{P}_{name}", spec.default)))
        for name, (owner, spec) in PARAMS.items()
        if owner == activation
    )
    if params:
        st.caption(
            "With "
            + ", ".join(f"{name.replace('_', ' ')} = {v:g}" for name, v in params)
            + ", as set in section 1."
        )
    try:
        r = run_depth(activation, init, depth, width, std, int(seed), params)
    except ValueError as exc:
        show_error(exc)
        return
    spec = INITIALIZERS[init]
    var = spec.variance(width, width, **({"std": std} if init == "Normal" else {}))
    st.latex(
        rf"{spec.latex} \;\Rightarrow\; \operatorname{{Var}} W_{{ij}} = {tex(var)}, \qquad "
        rf"n_{{in}}\operatorname{{Var}} W_{{ij}} = {width} \times {tex(var)} = {tex(width * var)}"
    )
    if r.diverged_at > 0:
        st.warning(
            f"The signal overflowed float64 at layer {r.diverged_at}: the weights amplify it too much. "
            "Layers from there on are left blank. Lower \u03c3 or use Xavier/He."
        )
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("\u2016\u2202L/\u2202W\u2081\u2016 (first layer)", f"{r.grad_norm[0]:.3g}")
    m2.metric(f"\u2016\u2202L/\u2202W\u2016 at layer {depth}", f"{r.grad_norm[-1]:.3g}")
    m3.metric(f"Std of activations at layer {depth}", f"{r.act_std[-1]:.3g}")
    m4.metric(f"Dead units at layer {depth}", f"{r.dead_fraction[-1]:.0%}")
    left, right = st.columns(2)
    left.plotly_chart(charts.signal_through_depth(r.act_std, r.grad_norm), key=f"{P}_signal")
    right.plotly_chart(charts.layer_histograms(r.hist, r.edges), key=f"{P}_hist")
    ratio = r.grad_norm[0] / r.grad_norm[-1] if r.grad_norm[-1] > 0 else float("nan")
    verdict = (
        "it **vanishes** on the way down, so the first layers barely learn"
        if ratio < 1e-2
        else "it **explodes** on the way down"
        if ratio > 1e2
        else "it stays roughly **flat**: every layer learns"
    )
    notice(
        f"Here the weight gradient of layer 1 is {ratio:.2g} times that of layer {depth}: {verdict}. "
        "Compare Sigmoid with Xavier (vanishes) against ReLU with He normal (flat), and Normal with "
        "\u03c3 = 1 for a forward signal that explodes."
    )
    if st.toggle("Compare every initialisation for this activation", **url(P, "compare")):
        norms = {
            name: run_depth(activation, name, depth, width, std, int(seed), params).grad_norm
            for name in INITIALIZERS
        }
        st.plotly_chart(charts.gradient_by_init(norms), key=f"{P}_by_init")
        st.caption(
            f"Normal uses \u03c3 = {std:g}. The right initialisation depends on the activation: "
            "He's factor 2 makes up for ReLU zeroing half its inputs, Xavier suits tanh."
        )
    if activation in ("ReLU", "Leaky ReLU"):
        st.plotly_chart(charts.dead_units(r.dead_fraction), key=f"{P}_dead")
        st.caption(
            "A unit is dead on this batch when its input is negative for every example, so no gradient "
            "reaches its weights. With no biases the pattern does not depend on \u03c3: ReLU(c\u00b7x) = c\u00b7ReLU(x)."
        )

    st.subheader(
        f"The textbook bound for {activation}: at most max|f\u2032| = {r.max_grad:.3g} per layer"
    )
    if r.diverged_at > 0:
        st.info(
            "The comparison needs a finite backward pass; pick a setting that does not overflow."
        )
        return
    sh = dp.shrinkage(r)
    st.latex(
        rf"\frac{{\|\delta_1\|}}{{\|\delta_L\|}} = {tex(sh.measured[0])} \;\le\; "
        rf"\underbrace{{{r.max_grad:.3g}^{{{depth - 1}}}}}_{{(\max|f'|)^{{L-1}}}} \prod_{{k=2}}^{{L}} w_k "
        rf"= {tex(sh.textbook[0])} \times {tex(sh.weight_part[0])} = {tex(sh.bound[0])}"
    )
    st.plotly_chart(
        charts.shrinkage(sh.measured, sh.textbook, sh.bound, r.max_grad), key=f"{P}_shrink"
    )
    st.markdown(
        f"Going one layer down multiplies the gradient by a derivative factor "
        rf"$\|\delta_l\| / \|g_l\| \le \max|f'| = {r.max_grad:.3g}$ and a weight factor $w_l$ "
        rf"(about $\sqrt{{n \operatorname{{Var}} W}}$: 1 under Xavier, $\sqrt 2$ under He, making up "
        rf"for ReLU's derivative factor of about $1/\sqrt 2$). The derivative part alone is "
        f"${tex(sh.derivative_part[0])}$ here, never above ${tex(sh.textbook[0])}$; the weights can hide "
        "or worsen it."
    )
    download_npz(
        "Per-layer statistics (NPZ)",
        r._asdict() | sh._asdict(),
        "depth_experiment.npz",
        key=f"{P}_dl_depth",
    )
    show_code(dp.depth_experiment, dp.shrinkage)


gallery()
softmax_panel()
depth_panel()
