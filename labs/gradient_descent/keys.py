"""The Gradient descent lab's URL prefix: every control's key is ``gd_<name>``."""

PREFIX = "gd"
