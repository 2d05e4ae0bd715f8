"""The Backpropagation lab's URL prefix: every control's key is ``bp_<name>``."""

PREFIX = "bp"

#: session-state key of the trainer's run: ``(TrainConfig, Progress)``, shared with the
#: gradient-check panel, which checks the network the trainer shows
RUN = f"{PREFIX}_run"
