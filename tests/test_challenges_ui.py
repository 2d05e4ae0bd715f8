"""Every lab's challenges: well formed, not passed by the defaults, solved live under AppTest,
and counted on the Home page; progress links are validated."""

from __future__ import annotations

import importlib

import pytest
from streamlit.testing.v1 import AppTest

from dlcore.challenges import Verdict
from tests.pagetest import ROOT, assert_clean
from ui.challenges import SOLVED, Challenge, challenge_id
from ui.nav import LABS
from ui.panels import panel_key
from ui.progress import decode, encode

MODULES = {lab.package: importlib.import_module(f"labs.{lab.package}") for lab in LABS}
CASES = [(pkg, c) for pkg, m in MODULES.items() for c in m.CHALLENGES]
#: one solving state per lab: (challenge key, control values); moved by the browser test too
SOLUTIONS = {
    "linear_algebra": ("orthogonal", {"u1": 3.0, "u2": 1.0, "v1": -1.0, "v2": 3.0}),
    "pca": ("round", {"s1": 1.0, "s2": 1.0, "rho": 0.0}),
    "calculus": ("chain_zero", {"chain_x": 0.75}),
    "probability": ("stubborn", {"prior_a": 20.0, "prior_b": 20.0, "flips": 30}),
    "gradient_descent": ("edge", {"lr": 0.97}),
    "backprop": ("silent", {"s_x1": 0.0}),
    "activations": ("saturate", {"x0": 6.0}),
    "convolution": ("overlap", {"pool_size": 3, "pool_stride": 2}),
    "rnn": ("vanish", {"radius": 0.8}),
    "cnn": ("hardest", {"true": "5"}),
    "optimizer_race": ("sgd_blows", {"lr_sgd": 0.01}),
}


@pytest.mark.parametrize("package", MODULES)
def test_every_lab_has_four_well_formed_challenges(package):
    module = MODULES[package]
    challenges = module.CHALLENGES
    assert len(challenges) >= 4
    assert len({c.key for c in challenges}) == len(challenges)
    panels = {p.label: p for p in module.PANELS}
    for c in challenges:
        assert isinstance(c, Challenge) and c.goal and c.hint and c.explanation
        assert c.panel in panels, c.key
        state_keys = set(panels[c.panel].keys) | {"run"}  # "run": the trainer's stored run
        assert set(c.reads) <= state_keys, f"{c.key} reads controls of another panel"


@pytest.mark.parametrize(("package", "challenge"), CASES, ids=[f"{p}.{c.key}" for p, c in CASES])
def test_no_challenge_is_solved_by_the_defaults(package, challenge):
    verdict = challenge.check(dict(challenge.reads))
    assert isinstance(verdict, Verdict) and not verdict.passed
    assert verdict.reason.strip()


@pytest.mark.parametrize("package", MODULES)
def test_the_solution_state_passes_its_check(package):
    key, values = SOLUTIONS[package]
    challenge = next(c for c in MODULES[package].CHALLENGES if c.key == key)
    assert challenge.check({**challenge.reads, **values}).passed


def _solved_marks(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "green-badge[solved]" in m.value]


def test_solving_one_challenge_per_lab_marks_it_and_the_home_page_counts_it():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    home = [m.value for m in at.markdown if "challenges solved" in m.value]
    assert home and all(text.endswith("0 / 4 challenges solved") for text in home[:-1])
    for lab in LABS:
        module = MODULES[lab.package]
        key, values = SOLUTIONS[lab.package]
        challenge = next(c for c in module.CHALLENGES if c.key == key)
        at.switch_page(lab.path)
        at.session_state[panel_key(module.PREFIX)] = challenge.panel
        for name, value in values.items():
            at.session_state[f"{module.PREFIX}_{name}"] = value
        at.run()
        assert_clean(at, lab.package)
        assert any(challenge.goal in text for text in _solved_marks(at)), lab.package
        assert challenge_id(module.PREFIX, challenge) in at.session_state[SOLVED]
    at.switch_page("app.py").run()
    assert_clean(at)
    counts = [m.value for m in at.markdown if m.value.endswith("/ 4 challenges solved")]
    assert len(counts) == len(LABS) and "0 / 4" not in " ".join(counts)
    # η = 0.97 on λ = 2 also oscillates but converges: two Gradient descent challenges at once
    assert "2 / 4" in counts[[lab.package for lab in LABS].index("gradient_descent")]
    solved = len(at.session_state[SOLVED])
    assert solved == 12 and any(f"**{solved} of 44**" in m.value for m in at.markdown)


def test_a_progress_link_is_validated():
    known = {challenge_id(MODULES[p].PREFIX, c) for p, c in CASES}
    assert decode(encode(["gd.edge", "la.squash"]), known).ids == ("gd.edge", "la.squash")
    assert decode("gd.edge,gd.edge", known) == (("gd.edge",), "")
    nonsense = decode("<script>alert(1)</script>,zz.nope,gd.edge", known)
    assert nonsense.ids == ("gd.edge",) and "2 challenges that do not exist" in nonsense.message
    assert "<script>" not in nonsense.message
    assert decode("x" * 5000, known).ids == ()
    assert decode("", known) == ((), "")


def test_the_home_page_reads_a_progress_link_and_survives_nonsense():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["progress"] = "gd.edge,la.orthogonal,%%%,cv.nope"
    at.run()
    assert_clean(at)
    assert any("2 challenges that do not exist" in w.value for w in at.warning)
    assert any("**2** solved challenges" in i.value for i in at.info)
    assert any("**0 of 44**" in m.value for m in at.markdown)  # a link is not my progress
    at.button(key="progress_restore").click().run()
    assert any("**2 of 44**" in m.value for m in at.markdown)
