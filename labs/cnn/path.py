"""The Convolutional networks lab's guided path: a digit through the net, training, mistakes."""

from ui.guide import PathStep

NETWORK = "Trained network"

PATH = (
    PathStep(
        NETWORK,
        {"src": "Test digit", "idx": 0, "temp": 1.0},
        "One test digit through the shipped network: the feature maps after each convolution and "
        "pooling, and the softmax over the ten classes.",
    ),
    PathStep(
        NETWORK,
        {"layer": "conv 1", "ch": 0},
        "One unit of the first convolution: its output is the 3x3 patch under it times the "
        "filter's weights, plus a bias, through ReLU. The formula shows the numbers.",
    ),
    PathStep(
        NETWORK,
        {"temp": 4.0},
        "Temperature T = 4 flattens the probabilities: the prediction is the same, the network "
        "just looks less sure.",
    ),
    PathStep(
        "Train it yourself",
        {"epochs": 8, "f1": 8, "f2": 16},
        "Press Train: a fresh network learns from scratch in a few seconds. Compare its first "
        "layer's filters before and after.",
    ),
    PathStep(
        "Mistakes",
        {"true": "all", "norm": False},
        "The confusion matrix of the shipped network on 450 test digits, and the digits it got "
        "wrong, with how sure it was.",
    ),
)
