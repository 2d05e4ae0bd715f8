"""The Recurrent networks lab's URL prefix: every control's key is ``rnn_<name>``."""

PREFIX = "rnn"

#: session-state key of the trainer's run: ``(RNNTrainConfig, RNNRun)``
RUN = f"{PREFIX}_run"
