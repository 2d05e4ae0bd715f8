"""The Linear Algebra lab's URL prefix: every control's key is ``la_<name>``."""

PREFIX = "la"
