"""DL Math Lab: home page.

Streamlit discovers the labs in pages/ on its own; this page introduces the
lab and links to each one (the menu is drawn by ui.nav).
"""

import importlib

import streamlit as st

from ui import page_header
from ui.challenges import solved_ids
from ui.nav import GROUPS, LABS, available_labs
from ui.progress import LabChallenges, lab_counts, show_progress

page_header(
    "DL Math Lab",
    "An interactive lab for the **mathematics behind deep learning**: linear algebra, calculus, "
    "probability, gradient descent, backpropagation, activations, convolution and optimizers. "
    "Every number on screen is computed live by `dlcore`, a small, tested NumPy package, and every "
    "figure comes with its formula, filled in with the current numbers, and the code that made it.",
    icon=":material/school:",
)

labs = available_labs()
catalogue = [
    LabChallenges(lab.label, module.PREFIX, tuple(getattr(module, "CHALLENGES", ())))
    for lab in labs
    for module in [importlib.import_module(f"labs.{lab.package}")]
]
counts = lab_counts(catalogue, solved_ids())
GROUP_BLURBS = {
    "Foundations": "The mathematics a network is made of.",
    "Algorithms": "How a network computes, learns and sees.",
    "Optimization": "How training finds good weights, and how fast.",
}

columns = st.columns(len(GROUPS))
for column, group in zip(columns, GROUPS):
    with column:
        st.subheader(group)
        st.caption(GROUP_BLURBS[group])
        members = [lab for lab in labs if lab.group == group]
        if not members:
            st.write("Coming soon.")
        for lab in members:
            with st.container(border=True):
                st.page_link(lab.path, label=f"**{lab.label}**", icon=lab.icon)
                st.caption(lab.teaches)
                solved, total = counts[lab.label]
                if total:
                    mark = (
                        ":green[:material/check_circle:]" if solved == total else ":material/flag:"
                    )
                    st.markdown(f"{mark} {solved} / {total} challenges solved")

st.subheader("How to use the lab")
st.markdown(
    """
- **Controls sit beside each figure.** Every slider, box and toggle changes
  what you see at once; nothing needs a "run" button unless it trains something.
- **Links share the view.** Every control is stored in the page address, so copying the URL
  gives a colleague or a class exactly the picture on your screen.
- **Formulas are live.** The equations under each figure are rebuilt from the current values.
- **Code under each figure.** Open *Show the NumPy code* to read the `dlcore` function that
  computed it; the same code is tested against SciPy, scikit-learn and finite differences.
- **Bring your own.** Type your own functions and matrices, upload your own images; bad input
  gets a message that says what to change.
"""
)
show_progress(catalogue)
st.caption(f"{len(labs)} of {len(LABS)} labs available.")
