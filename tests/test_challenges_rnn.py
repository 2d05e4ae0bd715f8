"""dlcore.challenges.rnn: vanishing, exploding, clipping, the LSTM, on real runs and edges."""

import math

import numpy as np

from dlcore import rnn
from dlcore.challenges import rnn as rc


def _ratio(radius, length=50, activation="linear"):
    W = rnn.recurrent_matrix(16, radius, kind="orthogonal", rng=0)
    return rnn.gradient_through_time(W, length, activation=activation, rng=0)


def test_vanishing_on_a_real_run():
    assert rc.gradient_vanishes(_ratio(0.8).ratio).passed
    default = rc.gradient_vanishes(_ratio(0.9).ratio)  # the panel's default: 0.9^50 = 0.005
    assert not default.passed and "0.00515" in default.reason
    assert not rc.gradient_vanishes(_ratio(0.5, length=20).ratio).passed  # too few steps back
    assert not rc.gradient_vanishes(_ratio(1.2).ratio).passed
    assert not rc.gradient_vanishes(np.full(51, math.nan)).passed


def test_exploding_on_a_real_run():
    assert rc.gradient_explodes(_ratio(1.2).ratio).passed
    assert not rc.gradient_explodes(_ratio(0.9).ratio).passed
    assert not rc.gradient_explodes(_ratio(1.0).ratio).passed  # orthogonal: norm kept
    assert rc.gradient_explodes(np.array([1.0, math.inf])).passed  # overflow is exploding
    assert not rc.gradient_explodes(np.array([1.0, math.nan])).passed


def test_clipping_tames():
    big = _ratio(1.2)
    norm = float(np.linalg.norm(big.grad_W_hh))
    clipped, _, scale = rnn.clip_by_norm(big.grad_W_hh, 1.0)
    assert rc.clipping_tames(norm, norm * scale, 1.0).passed
    assert not rc.clipping_tames(norm, norm, None).passed  # clipping off
    assert not rc.clipping_tames(12.2, 1.0, 1.0).passed  # the default: nothing explodes
    assert not rc.clipping_tames(5e4, 2.0, 1.0).passed  # not cut to the cap
    assert not rc.clipping_tames(math.inf, 1.0, 1.0).passed


def test_lstm_remembers():
    forgets = _ratio(0.8).ratio
    assert rc.lstm_remembers(forgets, np.full(51, 0.5)).passed
    assert not rc.lstm_remembers(forgets, None).passed  # no LSTM shown
    assert not rc.lstm_remembers(forgets, np.full(51, 0.01)).passed
    assert not rc.lstm_remembers(_ratio(0.9).ratio, np.full(51, 0.5)).passed  # RNN remembers too
    assert not rc.lstm_remembers(forgets, np.full(51, math.nan)).passed
