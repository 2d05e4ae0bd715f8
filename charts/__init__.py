"""Plotly figure builders: arrays in, ``go.Figure`` out.

Only NumPy and Plotly are imported here, never Streamlit, and no mathematics
beyond presentation: the numbers come from :mod:`dlcore`.
"""
