"""The app in a real browser, as ratios to a one-chart Streamlit page.

Usage (paste into the README)
-----------------------------
::

    python -m bench browser                  # every page and panel, 1 round, 5 nudges
    python -m bench browser --quick          # default panel of each page, 2 nudges
    python -m bench browser --pages conv     # pages whose label or path contains "conv"
    python -m bench browser --panels kernel  # panels whose label contains "kernel"
    python -m bench browser --rounds 5 --json browser.json   # medians of 5 rounds, raw figures
    python -m bench browser --url http://127.0.0.1:8501      # an app that is already running

It starts ``streamlit run app.py`` and ``streamlit run bench/floor_app.py``
(one title, one slider, one Plotly chart: the floor of the framework) on free
loopback ports, opens every page and panel in a fresh headless-Chromium
context and prints, per panel: time to the first Plotly chart, time to
settled, KB received over the websocket, the Plotly charts on screen, and
the median and worst slider-to-settled latency; then the ratios to the floor
measured in the same run and a PASS/FAIL verdict against the targets:

- a page's default panel shows its first chart within max(2.0 s, 1.5 x floor);
- a panel's first slider settles within 0.3 s median and 0.5 s worst.

How it measures
---------------
An init script in the page records ``performance.now()`` (milliseconds from
navigation start) of the first drawn Plotly chart and of every DOM mutation
under ``#root``. A view has *settled* when the script state is
``notRunning``, no element is stale, no lazily loaded element still shows its
skeleton, every Plotly chart on screen is drawn, a run happened after the
moment measured from, and the DOM has been quiet for ``--quiet-ms``; the figure reported is
the time of the last mutation, so the quiet window is never charged. A nudge
is an ArrowRight/ArrowLeft on the first slider of the main area, timed from
the page's own ``keydown`` to settled. Alternating nudges revisit two values,
so after the first one ``st.cache_data`` usually hits; ``--sweep`` keeps one
direction (turning at the ends) to ask for new values instead. Both servers
are warmed up (every view opened once, untimed) before anything is measured.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 1000}

#: the targets of the issue (seconds)
FIRST_CHART_S = 2.0
FIRST_CHART_FLOOR_FACTOR = 1.5
SLIDER_MEDIAN_S = 0.3
SLIDER_WORST_S = 0.5

WHOLE_PAGE = "(whole page)"
FLOOR_PAGE = "floor"
FLOOR_PANEL = "(one chart)"
NO_SLIDER = "no slider"
SLIDER = "slider"
DRAW = "draw"
#: Views a panel's own URL does not reach, timed with another action than a slider:
#: (page, panel) -> (label of the extra view, query added to the panel's URL, action).
EXTRA_VIEWS = {
    ("Convolutional networks", "Trained network"): (
        "Trained network, drawn digit",
        "cnn_src=Draw+a+digit",
        DRAW,
    ),
}
CANVAS_CSS = "canvas.digit-canvas"  # ui.canvas, the digit drawing component
RIGHT, LEFT = "ArrowRight", "ArrowLeft"

# Streamlit 1.67 draws sliders with react-aria: the thumb is an <input type="range">
# (implicit role "slider", no role attribute); older ones used role="slider" divs.
SLIDER_CSS = ':is(input[type="range"], [role="slider"])'
MAIN = '[data-testid="stMain"]'
OPEN_TABPANEL = f'{MAIN} [role="tabpanel"]:not([hidden])'
EXCEPTION = '[data-testid="stException"]'
PLOTLY_CHART = f'{MAIN} [data-testid="stPlotlyChart"]'

# Runs before any script of every document of the context. It watches the whole
# document (``#root`` may be filled before DOMContentLoaded) and keeps the
# mutations under ``#root``; the websocket is wrapped so that a run can also be
# recognised by a message arriving, should React batch "running" away.
INIT_SCRIPT = """
(() => {
  const B = window.__bench = {
    firstChart: null, lastMutation: 0, runStart: null, runEnd: null,
    state: null, wsLast: null, wsCount: 0, keyAt: null, upAt: null,
  };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { B.wsLast = performance.now(); B.wsCount += 1; });
    }
  };
  window.addEventListener('keydown', () => { B.keyAt = performance.now(); }, true);
  window.addEventListener('pointerup', () => { B.upAt = performance.now(); }, true);
  new MutationObserver((records) => {
    const root = document.getElementById('root');
    if (!root || !records.some((r) => root.contains(r.target))) return;
    const now = performance.now();
    B.lastMutation = now;
    if (B.firstChart === null && root.querySelector('.js-plotly-plot .main-svg')) {
      B.firstChart = now;
    }
    const app = root.querySelector('[data-testid="stApp"]');
    const state = app ? app.getAttribute('data-test-script-state') : null;
    if (state !== B.state) {
      if (state === 'running') B.runStart = now;
      else if (B.state === 'running') B.runEnd = now;
      B.state = state;
    }
  }).observe(document, {childList: true, subtree: true, attributes: true, characterData: true});
})();
"""

# Truthy (the last mutation's time) once the view has settled after ``since``.
SETTLED_JS = """
({since, quiet}) => {
  const B = window.__bench;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!B || !app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  // A lazily loaded element (Plotly.js arrives on first use) shows a skeleton, and the
  // DOM can be quiet for a second meanwhile: not settled until every chart on screen is drawn.
  const shown = (sel) => [...document.querySelectorAll(sel)].filter((e) => e.getClientRects().length);
  if (shown('#root [data-testid="stSkeleton"]').length) return false;
  if (shown('[data-testid="stPlotlyChart"]').some((c) => !c.querySelector('.main-svg'))) return false;
  const ran = (B.runStart !== null && B.runStart >= since && B.runEnd >= B.runStart)
    || (B.wsLast !== null && B.wsLast >= since);
  if (!ran || B.lastMutation < since) return false;
  return performance.now() - B.lastMutation >= quiet ? B.lastMutation : false;
}
"""

QUIET_JS = """
(quiet) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
  return idle && performance.now() - window.__bench.lastMutation >= quiet;
}
"""

SLIDER_STATE_JS = """
(el) => {
  const num = (name, aria) => parseFloat(el.getAttribute(name) ?? el.getAttribute(aria));
  const value = el.tagName === 'INPUT' ? parseFloat(el.value) : num('aria-valuenow', 'x');
  return [value, num('min', 'aria-valuemin'), num('max', 'aria-valuemax')];
}
"""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Target:
    """One view to measure: a panel of a page (or a whole page)."""

    page: str
    panel: str
    path: str  #: URL path and query, e.g. "/Convolution?cv_panel=Pooling"
    default: bool  #: the page's default view (the first-chart target applies)
    action: str = SLIDER  #: what is timed after the load: a slider's nudges or DRAW strokes
    tab: str | None = None  #: the tab that must open, when not the panel's own label


@dataclass
class Measurement:
    """What one fresh context saw of one view. Times in seconds."""

    first_chart: float | None = None
    settled: float | None = None
    bytes_load: int = 0
    bytes_nudges: int = 0
    charts: int = 0
    nudges: list[float] = field(default_factory=list)
    slider: str = ""  #: "" when every nudge settled, else NO_SLIDER or what went wrong
    error: str | None = None


@dataclass
class Row:
    """A view's figures, medians over the rounds. Times in seconds."""

    page: str
    panel: str
    default: bool
    first_chart: float | None
    settled: float | None
    kb: float | None
    charts: int | None
    slider_median: float | None
    slider_worst: float | None
    note: str = ""
    error: str | None = None


@dataclass
class Options:
    """The command line, parsed (see :func:`parse_args`)."""

    pages: list[str] = field(default_factory=list)
    panels: list[str] = field(default_factory=list)
    nudges: int = 5
    rounds: int = 1
    quick: bool = False
    sweep: bool = False
    url: str | None = None
    json: str | None = None
    quiet_ms: int = 600
    timeout_s: float = 60.0
    nudge_timeout_s: float = 15.0


# ------------------------------------------------------------------ pure helpers


def median(values: Sequence[float | None]) -> float | None:
    """The median of the values that are not None; None when there are none.

    Examples
    --------
    >>> median([0.3, None, 0.1, 0.2])
    0.2
    >>> median([None]) is None
    True
    """
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def worst(values: Sequence[float | None]) -> float | None:
    """The largest value that is not None; None when there are none."""
    present = [v for v in values if v is not None]
    return max(present) if present else None


def ratio(value: float | None, floor: float | None) -> float | None:
    """``value / floor``, or None when either is missing or the floor is not positive."""
    if value is None or floor is None or floor <= 0:
        return None
    return value / floor


def first_chart_limit(floor_first_chart: float | None) -> float:
    """The first-chart target: 2.0 s, or 1.5x the floor's first chart if that is larger."""
    if floor_first_chart is None or not math.isfinite(floor_first_chart):
        return FIRST_CHART_S
    return max(FIRST_CHART_S, FIRST_CHART_FLOOR_FACTOR * floor_first_chart)


def first_chart_verdict(row: Row, limit: float) -> str:
    """PASS/FAIL against ``limit``; in parentheses for a panel that is not the default
    (reported for information only); "n/a" for a view without a chart."""
    if row.error is not None and row.first_chart is None:
        return "FAIL" if row.default else "(FAIL)"
    if row.first_chart is None:
        return "n/a"
    verdict = "PASS" if row.first_chart <= limit else "FAIL"
    return verdict if row.default else f"({verdict})"


def slider_verdict(row: Row) -> str:
    """PASS when the median and the worst nudge are within the targets."""
    if row.slider_median is None:
        return NO_SLIDER if row.note == NO_SLIDER and row.error is None else "FAIL"
    ok = row.slider_median <= SLIDER_MEDIAN_S and row.slider_worst <= SLIDER_WORST_S
    return "PASS" if ok and not row.note else "FAIL"


def next_key(previous: str | None, at_min: bool, at_max: bool, *, sweep: bool) -> str:
    """The arrow key of the next nudge, so that the slider stays in range.

    Alternating (the default) goes right, left, right, ...; ``sweep`` keeps
    going one way. Either turns at the ends.

    Examples
    --------
    >>> next_key(None, False, False, sweep=False), next_key(RIGHT, False, False, sweep=False)
    ('ArrowRight', 'ArrowLeft')
    >>> next_key(None, False, True, sweep=False), next_key(LEFT, True, False, sweep=True)
    ('ArrowLeft', 'ArrowRight')
    """
    if at_max:
        return LEFT
    if at_min:
        return RIGHT
    if previous is None:
        return RIGHT
    if sweep:
        return previous
    return LEFT if previous == RIGHT else RIGHT


def panel_path(page_path: str, prefix: str | None, label: str) -> str:
    """The URL path of a panel: ``/Convolution?cv_panel=Pooling%20layers``.

    Examples
    --------
    >>> panel_path("/Convolution", "cv", "Pooling layers")
    '/Convolution?cv_panel=Pooling%20layers'
    >>> panel_path("/Calculus", None, WHOLE_PAGE)
    '/Calculus'
    """
    if prefix is None:
        return page_path
    return f"{page_path}?{prefix}_panel={urllib.parse.quote(label, safe='')}"


def url_path(script: str) -> str:
    """The URL path Streamlit gives a script: 'pages/8_Convolution.py' -> '/Convolution'."""
    if script == "app.py":
        return "/"
    stem = Path(script).stem
    head, _, rest = stem.partition("_")
    return "/" + (rest if head.isdigit() and rest else stem)


def matches(filters: Sequence[str], *texts: str) -> bool:
    """True without filters, or when a filter is a substring (any case) of a text."""
    if not filters:
        return True
    return any(f.lower() in t.lower() for f in filters for t in texts)


def summarise(target: Target, runs: Sequence[Measurement]) -> Row:
    """Medians over the rounds of one view; an error row when no round succeeded."""
    ok = [m for m in runs if m.error is None]
    failed = [m.error for m in runs if m.error is not None]
    notes = sorted({m.slider for m in ok if m.slider})
    if failed:
        notes.append(f"{len(failed)}/{len(runs)} rounds failed: {failed[0]}")
    with_nudges = [m for m in ok if m.nudges]
    return Row(
        page=target.page,
        panel=target.panel,
        default=target.default,
        first_chart=median([m.first_chart for m in ok]),
        settled=median([m.settled for m in ok]),
        kb=median([m.bytes_load / 1024 for m in ok]),
        charts=round(median([m.charts for m in ok])) if ok else None,
        slider_median=median([statistics.median(m.nudges) for m in with_nudges]),
        slider_worst=median([max(m.nudges) for m in with_nudges]),
        note="; ".join(notes),
        error=failed[0] if not ok else None,
    )


# ----------------------------------------------------------------------- table

COLUMNS = (
    ("page", 26, "<"),
    ("panel", 26, "<"),
    ("chart s", 7, ">"),
    ("settled s", 9, ">"),
    ("KB", 7, ">"),
    ("charts", 6, ">"),
    ("slider med", 10, ">"),
    ("worst", 6, ">"),
    ("chart/floor", 11, ">"),
    ("slider/floor", 12, ">"),
    ("chart", 6, "<"),
    ("slider", 9, "<"),
)


def _cell(value: float | int | str | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def _line(cells: Sequence[str]) -> str:
    parts = []
    for (_, width, align), text in zip(COLUMNS, cells, strict=False):
        text = text if len(text) <= width else text[: width - 1] + "~"
        parts.append(f"{text:{align}{width}}")
    return "  ".join(parts + list(cells[len(COLUMNS) :])).rstrip()


def table_line(row: Row, floor: Row, limit: float) -> str:
    """One line of the report: figures, ratios to the floor, verdicts, note."""
    slider = row.slider_median
    cells = [
        row.page,
        row.panel,
        _cell(row.first_chart),
        _cell(row.settled),
        _cell(row.kb, 0),
        _cell(row.charts),
        _cell(slider) if slider is not None else (row.note if row.note == NO_SLIDER else "-"),
        _cell(row.slider_worst),
        _cell(ratio(row.first_chart, floor.first_chart), 1),
        _cell(ratio(slider, floor.slider_median), 1),
        first_chart_verdict(row, limit),
        slider_verdict(row),
    ]
    note = row.error if row.error else ("" if row.note == NO_SLIDER else row.note)
    return _line(cells + ([note] if note else []))


def format_table(floor: Row, rows: Sequence[Row]) -> str:
    """The whole report: header, the floor line first, one line per view, targets."""
    limit = first_chart_limit(floor.first_chart)
    header = _line([name for name, _, _ in COLUMNS] + ["note"])
    lines = [header, "-" * len(header), table_line(floor, floor, limit)]
    lines += [table_line(row, floor, limit) for row in rows]
    passed = sum(
        first_chart_verdict(r, limit) in ("PASS", "n/a", "(PASS)", "(FAIL)")
        and slider_verdict(r) in ("PASS", NO_SLIDER)
        for r in rows
    )
    lines += [
        "",
        f"targets: default panel's first chart <= max({FIRST_CHART_S:.1f} s, "
        f"{FIRST_CHART_FLOOR_FACTOR} x floor {_cell(floor.first_chart)} s) = {limit:.2f} s; "
        f"slider median <= {SLIDER_MEDIAN_S} s, worst <= {SLIDER_WORST_S} s",
        f"{passed} of {len(rows)} views pass both targets "
        "(a parenthesised first-chart verdict is for information)",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------- servers


class BrowserGone(RuntimeError):
    """Chromium died (on Ctrl-C it gets the signal too): the run cannot go on."""


@dataclass
class Server:
    """A Streamlit server: its base URL, and its process when we started it."""

    url: str
    proc: subprocess.Popen | None = None
    log: Path | None = None


def free_port() -> int:
    """A TCP port that is free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(script: str, log: Path) -> Server:
    """``streamlit run <script>`` on a free loopback port, in its own process group."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", script]
    command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
    command += ["--server.port", str(port), "--server.fileWatcherType", "none"]
    command += ["--browser.gatherUsageStats", "false"]
    with open(log, "w") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Server(f"http://127.0.0.1:{port}", proc, log)


def wait_healthy(server: Server, timeout_s: float = 90.0) -> None:
    """Poll ``/_stcore/health`` until it answers 200; raise if the server dies or hangs."""
    deadline = time.monotonic() + timeout_s
    while True:
        if server.proc is not None and server.proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.proc.returncode}; see {server.log}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{server.url} not healthy within {timeout_s:.0f} s")
        time.sleep(0.3)


def stop_server(server: Server) -> None:
    """Kill the server's whole process group (SIGTERM, then SIGKILL after 10 s)."""
    if server.proc is None or server.proc.poll() is not None:
        return
    try:
        os.killpg(server.proc.pid, signal.SIGTERM)
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=10)
    except ProcessLookupError:
        pass


@contextlib.contextmanager
def servers(app_url: str | None) -> Iterator[tuple[Server, Server]]:
    """The app (started unless ``app_url`` is given) and the floor page, both healthy;
    stopped on the way out, whatever happens (Ctrl-C included)."""
    logs = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    started: list[Server] = []
    try:
        if app_url is None:
            app = start_server("app.py", logs / "app.log")
            started.append(app)
        else:
            app = Server(app_url.rstrip("/"))
        floor = start_server("bench/floor_app.py", logs / "floor.log")
        started.append(floor)
        for server in (app, floor):  # both boot at once: the waits overlap
            wait_healthy(server)
        yield app, floor
    finally:
        for server in started:
            stop_server(server)


# ------------------------------------------------------------------- discovery


@contextlib.contextmanager
def _quiet_streamlit() -> Iterator[None]:
    """Silence Streamlit's "No runtime found" warnings: importing a lab here, outside
    ``streamlit run``, creates its caches, and that is expected."""
    import streamlit  # noqa: F401  (creates the loggers to silence)

    loggers = [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if name.startswith("streamlit")
    ]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def lab_panels(package: str) -> tuple[str | None, list[str]]:
    """The URL prefix and panel labels of ``labs.<package>``, or ``(None,
    [WHOLE_PAGE])`` while the lab is not converted to panels (import fails)."""
    if not package:
        return None, [WHOLE_PAGE]
    try:
        with _quiet_streamlit():
            module = importlib.import_module(f"labs.{package}")
        prefix, panels = module.PREFIX, list(module.PANELS)
    except Exception:  # not converted yet, or half-way: measure the page as it is
        return None, [WHOLE_PAGE]
    if not panels:
        return None, [WHOLE_PAGE]
    return prefix, [panel.label for panel in panels]


def discover(options: Options) -> list[list[Target]]:
    """The views to measure, grouped by page: home, then the labs in menu order."""
    with _quiet_streamlit():  # ui's own caches are made on import, too
        from ui.nav import HOME, available_labs  # imports streamlit: only when run

    pages = []
    for lab in [HOME, *available_labs()]:
        if not matches(options.pages, lab.label, lab.path):
            continue
        prefix, labels = lab_panels(getattr(lab, "package", ""))  # older Labs lack it
        targets = []
        for i, label in enumerate(labels):
            path = panel_path(url_path(lab.path), prefix, label)
            if matches(options.panels, label):
                targets.append(Target(lab.label, label, path, i == 0))
            extra = EXTRA_VIEWS.get((lab.label, label))
            if extra and matches(options.panels, extra[0]):
                joiner = "&" if "?" in path else "?"
                targets.append(
                    Target(lab.label, extra[0], path + joiner + extra[1], False, extra[2], label)
                )
        if options.quick:
            targets = [t for t in targets if t.default]
        if targets:
            pages.append(targets)
    return pages


# ------------------------------------------------------------------ measuring


def _payload_size(payload: str | bytes) -> int:
    return len(payload) if isinstance(payload, bytes) else len(payload.encode("utf-8"))


def wait_settled(pg, since_ms: float, options: Options, timeout_s: float) -> float:
    """Wait until the view settled after ``since_ms``; return the last mutation's time (ms)."""
    handle = pg.wait_for_function(
        SETTLED_JS,
        arg={"since": since_ms, "quiet": options.quiet_ms},
        polling=50,
        timeout=timeout_s * 1000,
    )
    return float(handle.json_value())


def find_slider(pg):
    """The first visible slider of the open panel, else of the main area; None if none."""
    for scope in (OPEN_TABPANEL, MAIN):
        slider = pg.locator(f"{scope} {SLIDER_CSS}").filter(visible=True)
        if slider.count():
            return slider.first
    return None


def nudge_once(pg, slider, previous: str | None, options: Options) -> tuple[str, float | str]:
    """One key press on the slider: the key, and its latency in s (or what went wrong)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    slider.focus(timeout=5_000)
    # focus restyles the thumb: let that finish so it is not charged to the key
    pg.wait_for_function(QUIET_JS, arg=200, polling=50, timeout=options.nudge_timeout_s * 1000)
    value, low, high = slider.evaluate(SLIDER_STATE_JS)
    key = next_key(previous, value <= low, value >= high, sweep=options.sweep)
    pg.keyboard.press(key)
    key_at = pg.evaluate("() => window.__bench.keyAt")
    if key_at is None:
        return key, "key press not seen by the page"
    if slider.evaluate(SLIDER_STATE_JS)[0] == value:
        return key, "slider did not move"
    try:
        settled_at = wait_settled(pg, key_at, options, options.nudge_timeout_s)
    except PlaywrightTimeout:
        return key, f"no rerun/settle within {options.nudge_timeout_s:.0f} s"
    if pg.locator(EXCEPTION).count():
        return key, "exception after a nudge"
    return key, (settled_at - key_at) / 1000


def nudge(pg, count: int, options: Options) -> tuple[list[float], str]:
    """``count`` nudges of the first slider: their latencies (s) and a note."""
    slider = find_slider(pg)
    if slider is None:
        return [], NO_SLIDER
    latencies, problems, key = [], [], None
    for _ in range(count):
        key, outcome = nudge_once(pg, slider, key, options)
        if isinstance(outcome, str):
            problems.append(outcome)
        else:
            latencies.append(outcome)
    note = f"{len(problems)}/{count} nudges: {problems[0]}" if problems else ""
    return latencies, note


def stroke_points(n: int) -> list[tuple[float, float]]:
    """Stroke ``n`` as fractions of the canvas: vertical and slanted bars that move along.

    Examples
    --------
    >>> stroke_points(0)
    [(0.3, 0.2), (0.3, 0.5), (0.3, 0.8)]
    >>> stroke_points(1)[-1]
    (0.62, 0.8)
    """
    x, slant = 0.3 + 0.08 * (n % 5), 0.12 * (n % 2)
    return [(round(x + k * slant, 3), y) for k, y in enumerate((0.2, 0.5, 0.8))]


def draw(pg, count: int, options: Options) -> tuple[list[float], str]:
    """``count`` strokes on the open panel's canvas: latency from the mouse's release to
    the settled view (s), and a note."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    canvas = pg.locator(CANVAS_CSS).filter(visible=True)
    if not canvas.count():
        return [], "no canvas"
    box = canvas.first.bounding_box()
    latencies, problems = [], []
    for n in range(count):
        pg.wait_for_function(QUIET_JS, arg=200, polling=50, timeout=options.nudge_timeout_s * 1000)
        xy = [
            (box["x"] + fx * box["width"], box["y"] + fy * box["height"])
            for fx, fy in stroke_points(n)
        ]
        pg.mouse.move(*xy[0])
        pg.mouse.down()
        for x, y in xy[1:]:
            pg.mouse.move(x, y, steps=5)
        pg.mouse.up()
        up_at = pg.evaluate("() => window.__bench.upAt")
        try:
            latencies.append(
                (wait_settled(pg, up_at, options, options.nudge_timeout_s) - up_at) / 1000
            )
        except PlaywrightTimeout:
            problems.append(f"no rerun/settle within {options.nudge_timeout_s:.0f} s")
    note = f"{len(problems)}/{count} strokes: {problems[0]}" if problems else ""
    return latencies, note


def selected_tab(pg) -> str | None:
    """The label of the open tab of the main area (the panel picker), if any."""
    tab = pg.locator(f'{MAIN} [role="tab"][aria-selected="true"]')
    return tab.first.inner_text().strip() if tab.count() else None


def measure(browser, base: str, target: Target, nudges: int, options: Options) -> Measurement:
    """Open ``target`` in a fresh context and measure it; raises only if Chromium is gone."""
    try:  # fresh: empty cache, no cookies
        context = browser.new_context(viewport=VIEWPORT)
    except Exception as exc:  # Ctrl-C reaches Chromium too: stop rather than fill error rows
        raise BrowserGone(f"Chromium went away (interrupted?): {type(exc).__name__}") from exc
    context.add_init_script(INIT_SCRIPT)
    received = [0]

    def on_websocket(ws) -> None:
        ws.on("framereceived", lambda p: received.__setitem__(0, received[0] + _payload_size(p)))

    result = Measurement()
    try:
        pg = context.new_page()
        pg.on("websocket", on_websocket)
        pg.goto(base + target.path, wait_until="commit", timeout=options.timeout_s * 1000)
        result.settled = wait_settled(pg, 0.0, options, options.timeout_s) / 1000
        result.bytes_load = received[0]
        first = pg.evaluate("() => window.__bench.firstChart")
        result.first_chart = None if first is None else first / 1000
        result.charts = pg.locator(PLOTLY_CHART).count()
        if pg.locator(EXCEPTION).count():
            text = pg.locator(EXCEPTION).first.inner_text().strip().replace("\n", " ")
            raise RuntimeError(f"exception on the page: {text[:100]}")
        opened = selected_tab(pg)
        tab = target.tab or target.panel
        if target.panel != WHOLE_PAGE and opened is not None and opened != tab:
            raise RuntimeError(f"panel {opened!r} opened instead")
        act = draw if target.action == DRAW else nudge
        result.nudges, result.slider = act(pg, nudges, options)
        result.bytes_nudges = received[0] - result.bytes_load
    except Exception as exc:  # a failing view is an error row; the run goes on
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    finally:
        with contextlib.suppress(Exception):  # Chromium may be gone (Ctrl-C): said next time
            context.close()
    return result


# ------------------------------------------------------------------------- run


def progress(label: str, m: Measurement) -> str:
    """One line of progress for stderr."""
    if m.error:
        return f"  {label}: ERROR {m.error}"
    nudges = ", ".join(f"{v:.2f}" for v in m.nudges) or m.slider
    return (
        f"  {label}: chart {_cell(m.first_chart)} s, settled {_cell(m.settled)} s, "
        f"{m.bytes_load / 1024:.0f} KB, {m.charts} charts, nudges [{nudges}]"
        + (f" ({m.slider})" if m.slider and m.nudges else "")
    )


def warm_up(browser, app: Server, floor: Server, pages, options: Options) -> None:
    """Open every view once, untimed, so server imports and caches are not charged."""
    floor_view = Target(FLOOR_PAGE, FLOOR_PANEL, "/", True)
    views = [(floor, floor_view)] + [(app, t) for targets in pages for t in targets]
    for server, target in views:
        m = measure(browser, server.url, target, 0, options)
        if m.error:
            print(f"  warm-up {target.page} / {target.panel}: {m.error}", file=sys.stderr)


def sweep(browser, app: Server, floor: Server, pages, options: Options) -> dict:
    """Every round: for each page the floor, then the page's views. Raw measurements."""
    floor_view = Target(FLOOR_PAGE, FLOOR_PANEL, "/", True)
    raw: dict = {"floor": [], "views": {}}
    for round_ in range(options.rounds):
        print(f"round {round_ + 1}/{options.rounds}", file=sys.stderr, flush=True)
        for targets in pages:
            m = measure(browser, floor.url, floor_view, options.nudges, options)
            raw["floor"].append(m)
            print(progress("floor", m), file=sys.stderr, flush=True)
            for target in targets:
                m = measure(browser, app.url, target, options.nudges, options)
                raw["views"].setdefault(target, []).append(m)
                print(progress(f"{target.page} / {target.panel}", m), file=sys.stderr, flush=True)
    return raw


def run(options: Options) -> dict:
    """Start the servers and Chromium, warm up, measure; the summary and raw figures."""
    from playwright.sync_api import sync_playwright  # only when run, not on import

    pages = discover(options)
    if not pages:
        raise SystemExit("no page or panel matches the filters")
    started = time.monotonic()
    with servers(options.url) as (app, floor), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            print("warming up", file=sys.stderr, flush=True)
            warm_up(browser, app, floor, pages, options)
            raw = sweep(browser, app, floor, pages, options)
        finally:
            browser.close()
    floor_row = summarise(Target(FLOOR_PAGE, FLOOR_PANEL, "/", True), raw["floor"])
    rows = [summarise(t, raw["views"][t]) for targets in pages for t in targets]
    return {"floor": floor_row, "rows": rows, "raw": raw, "seconds": time.monotonic() - started}


def to_json(result: dict, options: Options) -> dict:
    """Everything, raw figures per round included, as plain JSON-able data."""
    import streamlit

    views = [
        {"target": asdict(t), "rounds": [asdict(m) for m in ms]}
        for t, ms in result["raw"]["views"].items()
    ]
    return {
        "options": asdict(options),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "streamlit": streamlit.__version__,
        "seconds": result["seconds"],
        "targets": {
            "first_chart_s": first_chart_limit(result["floor"].first_chart),
            "slider_median_s": SLIDER_MEDIAN_S,
            "slider_worst_s": SLIDER_WORST_S,
        },
        "floor": asdict(result["floor"]),
        "rows": [asdict(r) for r in result["rows"]],
        "raw": {"floor": [asdict(m) for m in result["raw"]["floor"]], "views": views},
    }


def parse_args(argv: Sequence[str] | None = None) -> Options:
    """The command line of ``python -m bench browser`` as :class:`Options`."""
    parser = argparse.ArgumentParser(
        prog="python -m bench browser", description="The app in Chromium, against a floor page."
    )
    parser.add_argument("--pages", nargs="*", default=[], help="substrings of a label or path")
    parser.add_argument("--panels", nargs="*", default=[], help="substrings of a panel label")
    parser.add_argument("--nudges", type=int, default=None, help="slider nudges per view (5)")
    parser.add_argument("--rounds", type=int, default=1, help="sweeps; medians reported (1)")
    parser.add_argument("--quick", action="store_true", help="default panels only, 2 nudges")
    parser.add_argument("--sweep", action="store_true", help="nudge one way, not alternating")
    parser.add_argument("--url", help="measure an app already running at this base URL")
    parser.add_argument("--json", help="write every raw figure to this file")
    parser.add_argument("--quiet-ms", type=int, default=600, help="quiet window (600 ms)")
    parser.add_argument("--timeout", type=float, default=60.0, help="page load timeout (60 s)")
    args = parser.parse_args(argv)
    nudges = args.nudges if args.nudges is not None else (2 if args.quick else 5)
    if nudges < 0 or args.rounds < 1:
        parser.error("--nudges must be >= 0 and --rounds >= 1")
    return Options(
        pages=args.pages,
        panels=args.panels,
        nudges=nudges,
        rounds=args.rounds,
        quick=args.quick,
        sweep=args.sweep,
        url=args.url,
        json=args.json,
        quiet_ms=args.quiet_ms,
        timeout_s=args.timeout,
    )


def _terminate(signum, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks: servers die too


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench browser [options]``: measure, print the table, maybe write JSON."""
    options = parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _terminate)
    try:
        result = run(options)
    except (KeyboardInterrupt, BrowserGone) as exc:  # the servers are stopped by now
        print(f"interrupted: {exc or 'Ctrl-C'}", file=sys.stderr)
        return 130
    print(format_table(result["floor"], result["rows"]), flush=True)
    print(f"\n({result['seconds']:.0f} s; {options.rounds} round(s), {options.nudges} nudges)")
    if options.json:
        Path(options.json).write_text(json.dumps(to_json(result, options), indent=1))
    return 0
