"""dlcore.challenges.cnn: training runs, temperature, the hardest class."""

import math

import numpy as np

from dlcore.challenges import cnn as cc
from dlcore.views import cnn as views


def test_trained_to():
    assert cc.trained_to(0.949, 8, (2, 4), at_least=0.9, max_filters=(2, 4)).passed
    assert cc.trained_to(0.96, 5, (8, 16), at_least=0.95, max_epochs=5).passed
    assert not cc.trained_to(0.962, 8, (8, 16), at_least=0.95, max_epochs=5).passed  # default
    assert not cc.trained_to(0.97, 8, (4, 4), at_least=0.9, max_filters=(2, 4)).passed
    assert not cc.trained_to(0.896, 8, (2, 4), at_least=0.9, max_filters=(2, 4)).passed
    assert not cc.trained_to(math.nan, 3, (2, 4), at_least=0.9).passed


def test_unsure_on_the_shipped_network():
    hot = views.network_view(0, 10.0, ("conv 1", 0, 8, 8), None, views.shipped_split())
    cold = views.network_view(0, 1.0, ("conv 1", 0, 8, 8), None, views.shipped_split())
    assert cc.unsure(hot.probs, 10.0).passed
    assert not cc.unsure(cold.probs, 1.0).passed  # the default: confident
    assert hot.predicted == cold.predicted
    assert not cc.unsure([math.nan] * 10, 1.0).passed
    assert not cc.unsure([], 1.0).passed


def test_hardest_class_on_the_shipped_network():
    recall = views.mistakes_view(-1, False).recall
    worst = int(np.argmin(recall))
    assert cc.hardest_class(worst, recall).passed
    assert not cc.hardest_class((worst + 1) % 10, recall).passed
    assert not cc.hardest_class(-1, recall).passed  # "all": the default
    assert not cc.hardest_class(12, recall).passed
