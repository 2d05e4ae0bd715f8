"""The Optimizer race's URL prefix and the names of the controls its panels share.

Every control's key is ``opt_<name>``. The race settings (the track, the
rates, the racers) are drawn by the same functions in every panel that uses
them (see :mod:`labs.optimizer_race.settings`), under the same keys, so one
value serves every panel and any panel's link carries what it shows.
"""

PREFIX = "opt"

#: the surface, the formula, the starts and the race length
TRACK = ("surface", "formula", "start", "x0", "y0", "grid", "n", "seed", "steps")
#: one rate for every racer, and the schedule
RATES = ("shared", "lr", "schedule")
#: each racer's own hyper-parameters (also the controls of "Inside one optimizer")
OWN = (
    "lr_sgd",
    "lr_momentum",
    "lr_nesterov",
    "lr_adagrad",
    "lr_rmsprop",
    "lr_adam",
    "lr_adamw",
    "mu_momentum",
    "mu_nesterov",
    "alpha_rmsprop",
    "b1_adam",
    "b2_adam",
    "b1_adamw",
    "b2_adamw",
    "wd",
)
#: who races, with their own hyper-parameters
RACERS = ("racers", *OWN)
#: everything the Race panel shares with the others
SHARED = (*TRACK, *RATES, *RACERS)
