"""dlcore: the mathematics behind deep learning, in small readable NumPy modules.

Every number the DL Math Lab shows is computed here. The package imports
NumPy (SciPy's special functions where a module needs them, scikit-learn only
inside :mod:`dlcore.datasets`) and never Streamlit or Plotly, so it can be
tested, benchmarked and reused without a user interface.

Conventions (see ARCHITECTURE.md):

* arrays in, arrays out; inputs converted once and never mutated;
* hyper-parameters are keyword-only; randomness only through an ``rng``
  argument (``np.random.Generator | int | None``);
* results are ``NamedTuple`` s and configured objects frozen dataclasses, so
  Streamlit's cache can hash and pickle them;
* bad input raises ``ValueError`` naming the argument and its allowed range.

Submodules are imported explicitly (``from dlcore import conv``) so that
importing the package stays cheap.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
