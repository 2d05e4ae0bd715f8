"""ui.figures in Chromium: Streamlit's Plotly element draws each chart once per redraw.

Without :func:`ui.figures.bake` and ``CHART_CSS`` it drew every chart a second time, in
full, just after mounting it (see ui/figures.py): Plotly fired ``plotly_beforeplot`` again
after the chart's first ``plotly_afterplot``.
"""

from __future__ import annotations

import pytest

from bench.browser import INIT_SCRIPT, Options, find_slider, nudge_once, wait_settled
from tests.browser.conftest import page_url

#: Every Plotly chart's events, by chart: [[event, ...], ...] in window.__draws.
DRAWS = """
(() => {
  window.__draws = [];
  const seen = new WeakSet();
  new MutationObserver(() => {
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      if (seen.has(gd) || !gd.on) continue;
      seen.add(gd);
      const events = [];
      window.__draws.push(events);
      for (const name of ['plotly_beforeplot', 'plotly_afterplot']) {
        gd.on(name, () => events.push(name.slice(7)));
      }
    }
  }).observe(document, {childList: true, subtree: true});
})();
"""

VIEWS = {
    # three charts: a contour picture under paths, a log axis, a secondary y axis
    "mini-batches": ("pages/5_Gradient_Descent.py", "gd_panel=Mini-batches"),
    # 800 points, arrows (annotations), equal axis scales
    "correlated cloud": ("pages/2_PCA_and_SVD.py", "pca_panel=Correlated+cloud"),
    # a contour of 14,000 values and a curve
    "likelihood": ("pages/4_Probability_and_Statistics.py", "prob_panel=Likelihood"),
}


@pytest.mark.parametrize("view", VIEWS)
def test_a_slider_redraws_each_chart_once(app_url, browser, view):
    path, query = VIEWS[view]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(INIT_SCRIPT)
    context.add_init_script(DRAWS)
    options = Options()
    try:
        page = context.new_page()
        page.goto(f"{page_url(app_url, path)}?{query}")
        wait_settled(page, 0.0, options, 60)
        key = None
        for _ in range(2):
            page.evaluate("() => { window.__draws = []; }")
            key, latency = nudge_once(page, find_slider(page), key, options)
            assert not isinstance(latency, str), latency
            draws = page.evaluate("() => window.__draws")
            assert draws, "no chart was redrawn"
            for events in draws:
                first = events.index("afterplot") if "afterplot" in events else len(events)
                assert "beforeplot" not in events[first:], events  # drawn again after drawing
    finally:
        context.close()
