"""The Probability and statistics lab's URL prefix: every control's key is ``prob_<name>``."""

PREFIX = "prob"
