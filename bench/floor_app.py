"""The floor of the framework: one title, one slider, one Plotly line chart.

``python -m bench browser`` serves this page next to the app and measures it in
the same run, so every figure of a lab page can be quoted as a ratio to what
Streamlit itself costs on this machine. Keep it minimal: anything added here
raises the floor and flatters every page.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.title("Floor: one chart")
frequency = st.slider("Frequency", 1.0, 10.0, 2.0, 0.5)
x = np.linspace(0.0, 2.0 * np.pi, 200)
figure = go.Figure(go.Scatter(x=x, y=np.sin(frequency * x), mode="lines"))
figure.update_layout(height=400, margin=dict(l=40, r=20, t=30, b=40))
st.plotly_chart(figure)
