"""Many visitors at once (issue 23): one server, several browser sessions acting together.

Each visitor is its own browser context (its own Streamlit session) on a
different page and panel. For a bounded time every visitor in turn presses a
key on a random slider or clicks a random panel tab, without waiting for the
previous rerun, so the server runs several sessions' scripts at once in its
script threads, sharing module state and the ``st.cache_data`` caches. The
test fails on any exception element on any page and on any error the server
logs while it runs. The load benchmark of the scale issue runs the long
version.
"""

from __future__ import annotations

import random
import time

from tests.browser.conftest import ROOT, page_url, wait_idle

SECONDS = 25  # the default run keeps this near 30 s
LOG = ROOT / ".streamlit-test-server.log"
EXCEPTION = '[data-testid="stException"]'
SLIDERS = '[data-testid="stMain"] [role="slider"]'
TABS = '[data-testid="stMain"] [role="tab"]'
VISITORS = (
    ("5_Gradient_Descent.py", ""),  # where issue 23's crash was seen
    ("8_Convolution.py", "?cv_panel=Kernels"),
    ("3_Calculus.py", "?calc_panel=Derivative"),
    ("9_Optimizer_Race.py", ""),
    ("4_Probability_and_Statistics.py", "?prob_panel=Bayesian+updating"),
    ("1_Linear_Algebra.py", "?la_panel=Linear+systems"),
)
ERROR_MARKS = ("Traceback (most recent call last)", "Uncaught app exec", "SystemError")


def server_errors(log_text: str) -> list[str]:
    """The lines of a Streamlit server log that report an error."""
    return [line for line in log_text.splitlines() if any(m in line for m in ERROR_MARKS)]


def test_server_errors_reads_a_streamlit_log():
    log = (
        "  You can now view your Streamlit app in your browser.\n"
        "2026-12-03 19:00:00.000 Uncaught app execution\n"
        "Traceback (most recent call last):\n"
        "SystemError: AST constructor recursion depth mismatch (before=48, after=47)\n"
    )
    assert len(server_errors(log)) == 3
    assert server_errors("  URL: http://127.0.0.1:8501\n") == []


def _act(pg, rng: random.Random) -> None:
    """One visitor's move: a key on a random slider, or (one time in five) another panel."""
    tabs = pg.locator(TABS)
    if tabs.count() > 1 and rng.random() < 0.2:
        tabs.nth(rng.randrange(tabs.count())).click(timeout=10_000)
        return
    sliders = pg.locator(SLIDERS).filter(visible=True)
    if sliders.count():
        sliders.nth(rng.randrange(sliders.count())).focus(timeout=10_000)
        pg.keyboard.press(rng.choice(("ArrowRight", "ArrowLeft", "End", "Home")))


def test_visitors_acting_at_once_see_no_error(browser, app_url):
    start = LOG.stat().st_size if LOG.exists() else 0
    rng = random.Random(23)
    contexts, pages = [], []
    for path, query in VISITORS:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        pg.goto(page_url(app_url, path) + query)
        contexts.append(context)
        pages.append(pg)
    try:
        for pg in pages:
            wait_idle(pg)
        deadline, moves = time.monotonic() + SECONDS, 0
        while time.monotonic() < deadline:
            for pg in pages:  # no waiting between visitors: their reruns overlap
                _act(pg, rng)
                moves += 1
            pages[0].wait_for_timeout(150)
        for pg in pages:
            wait_idle(pg)
        shown = [
            f"{path}: {pg.locator(EXCEPTION).first.inner_text()[:400]}"
            for (path, _), pg in zip(VISITORS, pages)
            if pg.locator(EXCEPTION).count()
        ]
        logged = server_errors(LOG.read_text(errors="replace")[start:]) if LOG.exists() else []
        assert moves >= 3 * len(VISITORS), f"only {moves} moves in {SECONDS} s"
        assert not shown, "\n".join(shown)
        assert not logged, "\n".join(logged)
    finally:
        for context in contexts:
            context.close()
