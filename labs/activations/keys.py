"""The Activation functions lab's URL prefix: every control's key is ``act_<name>``."""

PREFIX = "act"
