"""Optimizer race: SGD to AdamW on test surfaces or your own formula, with rate schedules."""

from labs.optimizer_race import fair, formula, inside, race, rate_schedules
from labs.optimizer_race.challenges import CHALLENGES
from labs.optimizer_race.keys import PREFIX
from labs.optimizer_race.path import PATH
from ui.panels import Panel

TITLE = "Optimizer race"
INTRO = (
    "Seven optimizers from PyTorch's `torch.optim` race down the same surface. Each keeps its "
    "own memory of past gradients (a velocity, a running average of squares, both): that memory "
    "is the whole difference between them. Pick a surface or type your own formula, give every "
    "racer its learning rate, and move through the race step by step under the map."
)
PANELS = (
    Panel("Race", race.render, race.KEYS),
    Panel("Your formula", formula.render, formula.KEYS),
    Panel("Learning-rate schedules", rate_schedules.render, rate_schedules.KEYS),
    Panel("Fair race", fair.render, fair.KEYS),
    Panel("Inside one optimizer", inside.render, inside.KEYS),
)
__all__ = ["CHALLENGES", "INTRO", "PANELS", "PATH", "PREFIX", "TITLE"]
