"""The Convolutional networks lab's URL prefix: every control's key is ``cnn_<name>``."""

PREFIX = "cnn"

#: session-state key of the live training run: ``(TrainSettings, TrainResult)``
RUN = f"{PREFIX}_run"
