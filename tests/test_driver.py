"""dlcore.driver: the starts it accepts, and the messages for those it refuses."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import driver, optim, race
from dlcore.optim import SGD
from tests.surfaces import Bowl, SqrtX


def test_check_starts_says_which_start_is_wrong_and_why():
    # Issue 15: a start beyond the divergence limit was reported as "diverged at step 0 ...
    # the learning rate is too large", and an undefined start as "(a start is where f is NaN)".
    with pytest.raises(ValueError) as beyond:
        driver.check_starts(Bowl(), [[1.0, 1.0], [2e6, 0.0]])
    assert str(beyond.value) == (
        "x0 must have every coordinate in [-1e+06, 1e+06]; the start (2e+06, 0) is outside"
    )
    with pytest.raises(ValueError) as undefined:
        race.race(SqrtX(), SGD(lr=0.1), [[1.0, 0.0], [-1.0, 0.5]], 5)
    assert str(undefined.value) == (
        "x0 must be a point where the objective is finite, but f is NaN or inf at the start (-1, 0.5)"
    )
    with pytest.raises(ValueError, match="x0 must have every coordinate"):
        optim.minimize_loop(Bowl(), SGD(lr=0.1), [0.0, 5.0], 3, limit=1.0)
    np.testing.assert_array_equal(driver.check_starts(Bowl(), [1, 2]), [1.0, 2.0])
