"""The grouped sidebar menu.

Streamlit's auto-discovered menu would label the home page "app" and list the
labs flat; we hide it (``client.showSidebarNavigation = false``) and draw this
one, grouped as the mathematics is. A lab appears once its file exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent


class Lab(NamedTuple):
    group: str
    path: str
    label: str
    icon: str
    teaches: str
    #: the lab's package under labs/ (``labs.<package>`` holds PREFIX and PANELS)
    package: str = ""


HOME = Lab("", "app.py", "Home", ":material/home:", "what the lab teaches and how to use it")

LABS: tuple[Lab, ...] = (
    Lab(
        "Foundations",
        "pages/1_Linear_Algebra.py",
        "Linear algebra",
        ":material/grid_on:",
        "vectors, matrices as transformations, eigenvectors, SVD, linear systems",
        package="linear_algebra",
    ),
    Lab(
        "Foundations",
        "pages/2_PCA_and_SVD.py",
        "PCA and SVD",
        ":material/scatter_plot:",
        "principal components, PCA as the SVD, low-rank image compression",
        package="pca",
    ),
    Lab(
        "Foundations",
        "pages/3_Calculus.py",
        "Calculus",
        ":material/functions:",
        "derivatives, the chain rule, gradients, integration, gradient flow",
        package="calculus",
    ),
    Lab(
        "Foundations",
        "pages/4_Probability_and_Statistics.py",
        "Probability and statistics",
        ":material/casino:",
        "distributions, the CLT, Bayes, maximum likelihood, tests, entropy and KL",
        package="probability",
    ),
    Lab(
        "Algorithms",
        "pages/5_Gradient_Descent.py",
        "Gradient descent",
        ":material/trending_down:",
        "learning-rate regimes, conditioning, full-batch against mini-batch SGD",
        package="gradient_descent",
    ),
    Lab(
        "Algorithms",
        "pages/6_Backpropagation.py",
        "Backpropagation",
        ":material/account_tree:",
        "computational graphs, the chain rule in reverse, training an MLP live",
        package="backprop",
    ),
    Lab(
        "Algorithms",
        "pages/7_Activation_Functions.py",
        "Activation functions",
        ":material/show_chart:",
        "activations and their derivatives, softmax, vanishing gradients",
        package="activations",
    ),
    Lab(
        "Algorithms",
        "pages/8_Convolution.py",
        "Convolution",
        ":material/filter:",
        "kernels on your own image, stride, padding, dilation, pooling, im2col",
        package="convolution",
    ),
    Lab(
        "Algorithms",
        "pages/10_Recurrent_Networks.py",
        "Recurrent networks",
        ":material/repeat:",
        "RNNs unrolled, backpropagation through time, vanishing and exploding gradients",
        package="rnn",
    ),
    Lab(
        "Algorithms",
        "pages/11_Convolutional_Networks.py",
        "Convolutional networks",
        ":material/neurology:",
        "a trained digits CNN: feature maps, receptive fields, softmax, live training, mistakes",
        package="cnn",
    ),
    Lab(
        "Optimization",
        "pages/9_Optimizer_Race.py",
        "Optimizer race",
        ":material/sprint:",
        "SGD to AdamW racing on surfaces and your own formula, LR schedules",
        package="optimizer_race",
    ),
)

GROUPS: tuple[str, ...] = ("Foundations", "Algorithms", "Optimization")


def available_labs() -> list[Lab]:
    """The labs whose page file exists in this checkout."""
    return [lab for lab in LABS if (ROOT / lab.path).is_file()]


def sidebar_nav() -> None:
    """Draw Home and the labs, grouped, in the sidebar."""
    labs = available_labs()
    with st.sidebar:
        st.page_link(HOME.path, label=HOME.label, icon=HOME.icon)
        for group in GROUPS:
            members = [lab for lab in labs if lab.group == group]
            if members:
                st.caption(group.upper())
                for lab in members:
                    st.page_link(lab.path, label=lab.label, icon=lab.icon)
        st.divider()
