"""The Convolutional networks lab's challenges: goals in terms of its controls, checked by dlcore.

The training challenges read the run the "Train it yourself" panel keeps in
``st.session_state["cnn_run"]`` (its settings and result): the run on screen.
"""

from dlcore.challenges import Verdict
from dlcore.challenges import cnn as cc
from labs.cnn.mistakes import CLASSES
from labs.cnn.mistakes import view as mistakes_view
from labs.cnn.network import SHAPES, SOURCES, UNIT_LAYERS
from labs.cnn.network import view as network_view
from ui.challenges import Challenge

TRAIN = "Train it yourself"
LAYER = UNIT_LAYERS[0]
NETWORK_READS = {
    "src": SOURCES[0],
    "idx": 0,
    "temp": 1.0,
    "layer": LAYER,
    "ch": 0,
    "row": SHAPES[LAYER][1] // 2,
    "col": SHAPES[LAYER][1] // 2,
}
NOT_TRAINED = Verdict(False, "No run yet: press Train.")


def _run(v: dict, **limits) -> Verdict:
    if v["run"] is None:
        return NOT_TRAINED
    settings, result = v["run"]
    epochs = len(result.history.loss)
    return cc.trained_to(result.test_accuracy, epochs, (settings.f1, settings.f2), **limits)


def _unsure(v: dict) -> Verdict:
    if v["src"] != SOURCES[0]:
        return Verdict(False, "Switch the input to a test digit.")
    index, unit = int(v["idx"]), (v["layer"], v["ch"], v["row"], v["col"])
    w = network_view(f"test:{index}", index, v["temp"], unit, None)  # the panel's cached view
    return cc.unsure(w.probs, v["temp"])


def _hardest(v: dict) -> Verdict:
    chosen = -1 if v["true"] == "all" else int(v["true"])
    return cc.hardest_class(chosen, mistakes_view(-1, False).recall)  # the panel's cached view


CHALLENGES = (
    Challenge(
        "fast",
        TRAIN,
        "Train a network to at least 95% test accuracy in 5 epochs or fewer.",
        "Fewer epochs need bigger steps: raise Adam's learning rate a little, or try another seed.",
        "With Adam and a few thousand digits, a small CNN is good after a few passes over the "
        "data: most of the accuracy comes in the first epochs, the rest is polish.",
        {"run": None},
        lambda v: _run(v, at_least=0.95, max_epochs=5),
    ),
    Challenge(
        "tiny",
        TRAIN,
        "With only 2 filters in conv 1 and 4 in conv 2, reach 90% test accuracy.",
        "A tiny network learns slowly at the default rate: give it a larger step.",
        "Six filters are enough for 90% on 16x16 digits: convolution shares its few weights over "
        "every position, so a CNN needs far fewer parameters than a dense network.",
        {"run": None},
        lambda v: _run(v, at_least=0.9, max_filters=(2, 4)),
    ),
    Challenge(
        "unsure",
        "Trained network",
        "Make the network show less than 60% for its top class on the digit on screen.",
        "The answer does not change with the softmax temperature T, but the probabilities do.",
        "Dividing the logits by T > 1 flattens the softmax: the ranking, and so the prediction, "
        "stays; only the confidence changes. Calibration methods tune exactly this T.",
        NETWORK_READS,
        _unsure,
    ),
    Challenge(
        "hardest",
        "Mistakes",
        "Pick the true class the shipped network gets wrong most often.",
        "Read the confusion matrix row by row: which row has the most off-diagonal digits?",
        "Per-class recall hides behind one accuracy figure: the hardest class is where to look "
        "for ambiguous digits (5s written like 6s, 9s like 4s).",
        {"true": CLASSES[0]},
        _hardest,
    ),
)
