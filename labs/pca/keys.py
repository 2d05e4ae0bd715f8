"""The PCA and SVD lab's URL prefix: every control's key is ``pca_<name>``."""

PREFIX = "pca"
