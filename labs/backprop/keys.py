"""The Backpropagation lab's URL prefix: every control's key is ``bp_<name>``."""

PREFIX = "bp"

#: session-state key of the trainer's run: ``(TrainConfig, Progress)``, shared with the
#: gradient-check panel, which checks the network the trainer shows
RUN = f"{PREFIX}_run"

#: session-state keys of the playground: its run ``PlayRun``, whether it plays, what changed
PLAY_RUN = f"{PREFIX}_play_run"
PLAYING = f"{PREFIX}_playing"
PLAY_NOTE = f"{PREFIX}_play_note"
#: the clicked points (URL-bound text, ``x1,x2,class;...``) and the chart that takes the clicks
ADDED = f"{PREFIX}_p_added"
CLICKS = f"{PREFIX}_p_clicks"
