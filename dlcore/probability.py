"""Probability and statistics: the public API of the lab, in one namespace.

The code lives in small modules, re-exported here:

* :mod:`dlcore.distributions`: the ``DISTRIBUTIONS`` registry, over the
  classes of :mod:`dlcore.continuous` and :mod:`dlcore.discrete` and their
  base in :mod:`dlcore.distribution_base`;
* :mod:`dlcore.information`: entropy, cross-entropy, KL divergence, softmax loss;
* :mod:`dlcore.inference`: Bayes, Beta-Binomial updating, MLE fits, the CLT,
  the one-sample t-test and confidence intervals.
"""

from dlcore.continuous import *  # noqa: F401,F403
from dlcore.continuous import __all__ as _cont_all
from dlcore.discrete import *  # noqa: F401,F403
from dlcore.discrete import __all__ as _disc_all
from dlcore.distribution_base import *  # noqa: F401,F403
from dlcore.distribution_base import __all__ as _base_all
from dlcore.distributions import *  # noqa: F401,F403
from dlcore.distributions import __all__ as _dist_all
from dlcore.inference import *  # noqa: F401,F403
from dlcore.inference import __all__ as _inf_all
from dlcore.information import *  # noqa: F401,F403
from dlcore.information import __all__ as _info_all

__all__ = [*_dist_all, *_base_all, *_cont_all, *_disc_all, *_info_all, *_inf_all]
