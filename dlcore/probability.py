"""Probability and statistics: the public API of the lab, in one namespace.

The code lives in three small modules, re-exported here:

* :mod:`dlcore.distributions`: ``DISTRIBUTIONS`` and the distribution classes;
* :mod:`dlcore.information`: entropy, cross-entropy, KL divergence, softmax loss;
* :mod:`dlcore.inference`: Bayes, Beta-Binomial updating, MLE fits, the CLT,
  the one-sample t-test and confidence intervals.
"""

from dlcore.distributions import *  # noqa: F401,F403
from dlcore.distributions import __all__ as _dist_all
from dlcore.inference import *  # noqa: F401,F403
from dlcore.inference import __all__ as _inf_all
from dlcore.information import *  # noqa: F401,F403
from dlcore.information import __all__ as _info_all

__all__ = [*_dist_all, *_info_all, *_inf_all]
