"""A class on one server: N visitors at once, over Streamlit's own websocket protocol.

    python -m bench load                        # 1, 10 and 30 visitors, 60 s each
    python -m bench load --sessions 30 --upload # one of them uploads a 7000 x 7000 photo
    python -m bench load --uploads 200          # 200 different uploads in a row: memory
    python -m bench load --url http://127.0.0.1:8080 --pid 1234   # a running app

Each visitor (:class:`bench.stclient.Session`) opens the home page, then goes
from lab to lab as a class following a teacher would: it opens a panel of a
random lab (every panel of every lab is a candidate), moves one of its
sliders every 2-3 s (``--think``) a few times, and moves on. Visitors arrive
spread over the first think time. An *interaction* is one slider move,
timed from sending it to the server's ``script_finished``; page opens are
timed too and reported apart. Seeded: the same visitors make the same
clicks in every run.

For every N the app is started afresh (unless ``--url``), and the report
gives the interaction latency (median, p95, worst), the server's CPU per
interaction and its use of the two cores, and its resident memory (start,
peak, end) sampled every 0.2 s from /proc. Loopback only: the visitors are
bounded in number (``--max-sessions``) and time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import random
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from bench import browser
from bench.stclient import Run, Session, run_async

MAX_SESSIONS = 60
UPLOAD_PAGE = ("Convolution", "cv_panel=Kernels&cv_img_src=Upload")


@dataclass
class Options:
    """The command line, parsed (see :func:`parse_args`)."""

    sessions: list[int] = field(default_factory=lambda: [1, 10, 30])
    seconds: float = 60.0
    think: tuple[float, float] = (2.0, 3.0)
    moves: tuple[int, int] = (3, 5)
    seed: int = 0
    url: str | None = None
    pid: int | None = None
    upload: bool = False
    uploads: int = 0
    warm: bool = True
    json: str | None = None


@dataclass
class Sample:
    """One timed request of one visitor."""

    kind: str  #: "move", "open" or "upload"
    seconds: float
    view: str
    error: str = ""
    cpu_s: float | None = None  #: the server's CPU for it (measured with one visitor only)


@dataclass
class Level:
    """What N visitors at once measured."""

    sessions: int
    moves: int
    opens: int
    median_s: float | None
    p95_s: float | None
    worst_s: float | None
    open_median_s: float | None
    cpu_ms_per_request: float | None
    cpu_ms_median_move: float | None  #: with one visitor: the server's CPU per slider move
    cpu_use: float | None  #: server CPU seconds per wall second (2.0 = both cores)
    rss_start_mb: float | None
    rss_peak_mb: float | None
    rss_end_mb: float | None
    errors: list[str] = field(default_factory=list)
    slowest: list[str] = field(default_factory=list)  #: views by their median move, slowest first


# ----------------------------------------------------------------- the server


def proc_status(pid: int, field_name: str) -> float:
    """A ``/proc/<pid>/status`` size field in MB (``VmRSS``, ``VmHWM``)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    raise KeyError(field_name)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of ``pid`` so far (fields 14 and 15 of /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Monitor:
    """Samples a process's resident memory every ``period_s`` on a thread."""

    def __init__(self, pid: int | None, period_s: float = 0.2) -> None:
        self.pid, self.period_s = pid, period_s
        self.rss: list[float] = []
        self.cpu = (0.0, 0.0)  #: (CPU seconds, wall seconds) between enter and exit
        self._start = (0.0, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> Monitor:
        if self.pid is not None:
            self._start = (cpu_seconds(self.pid), time.perf_counter())
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.pid is None:
            return
        self._stop.set()
        self._thread.join()
        start_cpu, start_wall = self._start
        self.cpu = (cpu_seconds(self.pid) - start_cpu, time.perf_counter() - start_wall)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.rss.append(proc_status(self.pid, "VmRSS"))
            self._stop.wait(self.period_s)


# ---------------------------------------------------------------- the visitors


def split_path(path: str) -> tuple[str, str]:
    """``"/Convolution?cv_panel=Pooling"`` -> ``("Convolution", "cv_panel=Pooling")``."""
    parts = urllib.parse.urlsplit(path)
    return parts.path.strip("/"), parts.query


def views() -> list[str]:
    """The URL path of every panel of every lab (home excluded)."""
    pages = browser.discover(browser.Options())
    return [t.path for targets in pages for t in targets if t.path != "/"]


async def visitor(
    base: str,
    rng: random.Random,
    paths: list[str],
    deadline: float,
    opts: Options,
    pid: int | None = None,
) -> list[Sample]:
    """One visitor's clicks until ``deadline`` (``time.monotonic()``); with the server's
    ``pid`` (when it is the only visitor) each click's server CPU time too."""
    samples: list[Sample] = []
    session = Session(base)
    await asyncio.sleep(rng.uniform(0, opts.think[1]))  # arrivals spread out
    try:
        await session.connect()
        await session.open("")
        while time.monotonic() < deadline:
            path = rng.choice(paths)
            cpu = cpu_seconds(pid) if pid else None
            run = await session.open(*split_path(path))
            samples.append(
                sample("open", run, path, None if cpu is None else cpu_seconds(pid) - cpu)
            )
            for _ in range(rng.randint(*opts.moves)):
                await asyncio.sleep(rng.uniform(*opts.think))
                if time.monotonic() >= deadline or not run.sliders:
                    break
                cpu = cpu_seconds(pid) if pid else None
                moved = await session.move(rng.choice(run.sliders), rng.random())
                # As a browser does, move the sliders as they are now: a rerun may have
                # changed a range (a step slider's maximum follows the number of steps).
                run.sliders = moved.sliders or run.sliders
                samples.append(
                    sample("move", moved, path, None if cpu is None else cpu_seconds(pid) - cpu)
                )
    except Exception as exc:  # a dropped or refused connection is a result, not a crash
        samples.append(Sample("open", float("nan"), "", f"{type(exc).__name__}: {exc}"))
    finally:
        await session.close()
    return samples


def sample(kind: str, run: Run, view: str, cpu_s: float | None = None) -> Sample:
    """A Sample of ``run``; an exception shown on the page or an early stop is an error."""
    error = "; ".join(run.exceptions)
    if run.status not in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"):
        error = error or run.status
    return Sample(kind, run.seconds, view, error, cpu_s)


# ------------------------------------------------------------------- uploads


def pattern_image(width: int, height: int, seed: int, fmt: str, mode: str = "RGB") -> bytes:
    """A smooth, seeded picture (it compresses like a photo, not like noise) as file bytes."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    fx, fy = rng.uniform(0.002, 0.02, size=2)
    x = np.arange(width, dtype=np.float32)[None, :]
    y = np.arange(height, dtype=np.float32)[:, None]
    bands = [np.sin(fx * x * (k + 1)) * np.cos(fy * y * (k + 2)) for k in range(len(mode))]
    pixels = ((np.stack(bands, axis=-1) + 1) * 127.5).astype(np.uint8)
    if fmt == "PNG":  # posterised, as a drawing would be: it stays under the upload cap
        pixels &= 0xE0
    buf = io.BytesIO()
    Image.fromarray(pixels, mode).save(buf, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return buf.getvalue()


def big_files() -> list[tuple[str, bytes, str | None]]:
    """A 7000 x 7000 photo (accepted: a JPEG is decoded at a reduced scale) and a
    7000 x 7000 RGBA PNG (refused from its header), with the refusal each must show.
    Made before a level starts: drawing them takes seconds of the client's CPU."""
    return [
        ("photo-7000.jpg", pattern_image(7000, 7000, 1, "JPEG"), None),
        ("poster-7000.png", pattern_image(7000, 7000, 2, "PNG", "RGBA"), "decoding it would take"),
    ]


async def big_uploads(base: str, delay_s: float, files) -> list[Sample]:
    """One visitor uploads ``files`` (see :func:`big_files`) after ``delay_s``."""
    await asyncio.sleep(delay_s)
    session, samples = Session(base), []
    try:
        await session.connect()
        run = await session.open(*UPLOAD_PAGE)
        for name, data, refusal in files:
            done = await session.upload(run.uploaders[0], name, data)
            said = " ".join(done.alerts)
            error = sample("upload", done, name).error
            if refusal is not None and refusal not in said:
                error = error or f"{name}: no refusal shown ({said!r})"
            samples.append(Sample("upload", done.seconds, name, error))
    except Exception as exc:  # a refused upload is a result, not a crash
        samples.append(Sample("upload", float("nan"), "", f"{type(exc).__name__}: {exc}"))
    finally:
        await session.close()
    return samples


async def upload_series(base: str, count: int, pid: int | None, seed: int) -> dict:
    """``count`` different uploads (256-2048 px, JPEG and PNG) in a row by one visitor:
    the server's memory before the first and after the last."""
    rng = random.Random(seed)
    session = Session(base)
    await session.connect()
    run = await session.open(*UPLOAD_PAGE)
    errors, rss = [], {}
    for i in range(count + 1):  # upload 0 warms the caches and the decoder up
        side = rng.randint(256, 2048)
        fmt = rng.choice(["JPEG", "PNG"])
        data = pattern_image(side, rng.randint(256, 2048), seed + i, fmt)
        done = await session.upload(run.uploaders[0], f"upload-{i}.{fmt.lower()}", data)
        if error := sample("upload", done, str(i)).error:
            errors.append(error)
        if i == 0 and pid is not None:
            rss["before_mb"] = proc_status(pid, "VmRSS")
    await session.close()
    if pid is not None:
        rss["after_mb"] = proc_status(pid, "VmRSS")
        rss["growth"] = rss["after_mb"] / rss["before_mb"] - 1
    return {"uploads": count, "errors": errors, **rss}


# --------------------------------------------------------------------- levels


async def crowd(
    base: str, n: int, opts: Options, paths: list[str], pid: int | None = None, files=()
) -> list[Sample]:
    """``n`` visitors for ``opts.seconds`` (and one uploading ``files`` if asked)."""
    deadline = time.monotonic() + opts.seconds
    alone = pid if n == 1 and not opts.upload else None  # CPU per click: one visitor only
    tasks = [
        visitor(base, random.Random(opts.seed * 1000 + i), paths, deadline, opts, alone)
        for i in range(n)
    ]
    if opts.upload:
        tasks.append(big_uploads(base, opts.seconds / 3, files))
    done = await asyncio.gather(*tasks)
    return [s for samples in done for s in samples]


def percentile(values: list[float], q: float) -> float | None:
    """The ``q``-th percentile (linear interpolation), None for no values."""
    return float(np.percentile(values, q)) if values else None


def summarise(n: int, samples: list[Sample], monitor: Monitor) -> Level:
    """A Level from a run's samples and the server's CPU and memory."""
    moves = [s.seconds for s in samples if s.kind == "move" and not s.error]
    opens = [s.seconds for s in samples if s.kind == "open" and not s.error]
    cpu, wall = monitor.cpu
    per_move = [s.cpu_s for s in samples if s.kind == "move" and s.cpu_s is not None]
    requests = len(moves) + len(opens)
    rss = monitor.rss
    return Level(
        n,
        len(moves),
        len(opens),
        percentile(moves, 50),
        percentile(moves, 95),
        max(moves, default=None),
        percentile(opens, 50),
        1000 * cpu / requests if rss and requests else None,
        _scaled(percentile(per_move, 50), 1000),
        cpu / wall if rss and wall else None,
        rss[0] if rss else None,
        max(rss, default=None),
        rss[-1] if rss else None,
        sorted({f"{s.kind} {s.view}: {s.error}" for s in samples if s.error}),
        slowest_views(samples),
    )


def slowest_views(samples: list[Sample], count: int = 5) -> list[str]:
    """The ``count`` views whose slider moves were slowest (median), as "view: N ms"."""
    by_view: dict[str, list[float]] = {}
    for s in samples:
        if s.kind == "move" and not s.error:
            by_view.setdefault(s.view, []).append(s.seconds)
    medians = sorted(((float(np.median(t)), v) for v, t in by_view.items()), reverse=True)
    return [f"{urllib.parse.unquote(v)}: {1000 * m:.0f} ms" for m, v in medians[:count]]


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def run_level(n: int, opts: Options, paths: list[str]) -> Level:
    """N visitors against a fresh server (or ``opts.url``)."""
    files = big_files() if opts.upload else []
    with app_server(opts) as (base, pid):
        if opts.warm:  # the first visitor of the day pays for imports: not measured
            run_async(_warm(Session(base), paths))
        with Monitor(pid) as monitor:
            samples = run_async(crowd(base, n, opts, paths, pid, files))
    return summarise(n, samples, monitor)


async def _warm(session: Session, paths: list[str]) -> None:
    await session.connect()
    for path in paths:
        await session.open(*split_path(path))
    await session.close()


@contextlib.contextmanager
def app_server(opts: Options) -> Iterator[tuple[str, int | None]]:
    """The app's base URL and server pid: ``opts.url`` as given, or a fresh ``streamlit run``."""
    if opts.url is not None:
        yield opts.url.rstrip("/"), opts.pid
        return
    log = Path(tempfile.mkdtemp(prefix="bench-load-")) / "app.log"
    server = browser.start_server("app.py", log)
    try:
        browser.wait_healthy(server)
        yield server.url, server.proc.pid
    finally:
        browser.stop_server(server)


# --------------------------------------------------------------------- report


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f}"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def format_levels(levels: list[Level]) -> str:
    """The report: one line per number of visitors."""
    head = (
        f"{'visitors':>8} {'moves':>6} {'opens':>6} {'median ms':>10} {'p95 ms':>8} "
        f"{'worst ms':>9} {'open ms':>8} {'CPU ms/req':>11} {'CPU/move':>9} {'CPU use':>8} "
        f"{'RSS start':>10} {'peak MB':>8} {'end MB':>7}"
    )
    lines = [head, "-" * len(head)]
    for v in levels:
        use = "-" if v.cpu_use is None else f"{v.cpu_use:.2f}"
        cpu = "-" if v.cpu_ms_per_request is None else f"{v.cpu_ms_per_request:.0f}"
        move = "-" if v.cpu_ms_median_move is None else f"{v.cpu_ms_median_move:.0f}"
        lines.append(
            f"{v.sessions:>8} {v.moves:>6} {v.opens:>6} {_ms(v.median_s):>10} {_ms(v.p95_s):>8} "
            f"{_ms(v.worst_s):>9} {_ms(v.open_median_s):>8} {cpu:>11} {move:>9} {use:>8} "
            f"{_mb(v.rss_start_mb):>10} {_mb(v.rss_peak_mb):>8} {_mb(v.rss_end_mb):>7}"
        )
        lines += [f"{'':>8} error: {e}" for e in v.errors[:5]]
        lines += [f"{'':>8} slow: {view}" for view in v.slowest[:3]]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__)
    parser.add_argument("--sessions", default="1,10,30", help="visitors at once, e.g. 1,10,30")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each level")
    parser.add_argument("--think", default="2,3", help="seconds between a visitor's clicks")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--url", help="an app already running at this base URL")
    parser.add_argument("--pid", type=int, help="its server's pid, for CPU and memory")
    parser.add_argument("--upload", action="store_true", help="one visitor uploads 7000 px")
    parser.add_argument("--uploads", type=int, default=0, help="N uploads in a row instead")
    parser.add_argument("--no-warm", action="store_true", help="measure the cold start too")
    parser.add_argument("--json", help="write every figure to this file")
    args = parser.parse_args(argv)
    sessions = [int(n) for n in args.sessions.split(",") if n.strip()]
    if not sessions or min(sessions) < 1 or max(sessions) > MAX_SESSIONS:
        parser.error(f"--sessions: between 1 and {MAX_SESSIONS} visitors")
    if not 1 <= args.seconds <= 600 or not 0 <= args.uploads <= 1000:
        parser.error("--seconds in [1, 600], --uploads in [0, 1000]")
    lo, hi = (float(t) for t in args.think.split(","))
    if not 0 <= lo <= hi:
        parser.error("--think: two numbers, low,high")
    return Options(
        sessions,
        args.seconds,
        (lo, hi),
        (3, 5),
        args.seed,
        args.url,
        args.pid,
        args.upload,
        args.uploads,
        not args.no_warm,
        args.json,
    )


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    if opts.uploads:
        with app_server(opts) as (base, pid):
            result = run_async(upload_series(base, opts.uploads, pid, opts.seed))
        print(json.dumps(result, indent=1))
        bad = result["errors"] or result.get("growth", 0) > 0.2
    else:
        paths = views()
        levels = []
        for n in opts.sessions:
            levels.append(run_level(n, opts, paths))
            print(format_levels(levels[-1:]), flush=True)
        print("\n" + format_levels(levels))
        result = {"levels": [asdict(v) for v in levels], "options": asdict(opts)}
        bad = any(v.errors for v in levels)
    if opts.json:
        Path(opts.json).write_text(json.dumps(result, indent=1))
    return 1 if bad else 0
