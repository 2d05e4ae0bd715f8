"""Take it with you, beyond the page: the package a script imports, a notebook in a real
kernel, and text a visitor typed, which must reach a script as a string and never as code.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import numpy as np
import pytest

from dlcore.views import gradient_descent as gd_views
from labs.gradient_descent import step_size
from ui.export import forget, note_call
from ui.literals import Imports, literal, wrap
from ui.takeaway import files

ROOT = Path(__file__).resolve().parent.parent
ARGS = {"name": "Quadratic", "curvature": 2.0, "text": "", "x0": 1.6, "lr": 0.3, "steps": 20}


def _step_size_files(**changes) -> tuple[list[str], str, str]:
    """The step-size panel's headline, script and notebook for ``ARGS`` with ``changes``."""
    forget()
    args = ARGS | changes
    try:
        result = gd_views.step_size_view(**args)
    except ValueError:  # a formula the parser refuses: the page shows an error, never a view
        result = gd_views.step_size_view(**ARGS)
    note_call(gd_views.step_size_view, args, result)
    lines, script, notebook = files(step_size.EXPORT)
    return lines, script(), notebook()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """``pip wheel .`` of a copy of the project (a build leaves files in the tree it builds)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for package in ("dlcore", "charts"):
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
         "-q", "-w", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    return next(out.glob("*.whl"))


def test_the_wheel_holds_dlcore_charts_and_the_shipped_weights(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "dlcore/data/digits_cnn.npz" in names
    assert "dlcore/views/gradient_descent.py" in names and "charts/descent.py" in names
    assert not [n for n in names if n.split("/")[0] in ("ui", "labs", "pages", "tests", "bench")]


def test_a_script_runs_against_the_installed_package(wheel, tmp_path):
    env = tmp_path / "venv"
    venv.create(env, system_site_packages=True, with_pip=False)  # numpy & co. from this Python
    python = env / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True)
    lines, script, _ = _step_size_files(lr=0.9)
    (tmp_path / "view.py").write_text(script)
    done = subprocess.run(
        [str(python), "view.py"], cwd=tmp_path, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "PLOTLY_RENDERER": "json"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    located = subprocess.run(
        [str(python), "-c", "import dlcore; print(dlcore.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert str(env) in located.stdout  # the installed copy, not the work tree
    assert done.stdout.splitlines()[: len(lines)] == lines


def test_a_notebook_runs_in_a_kernel():
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    lines, _, notebook = _step_size_files(x0=-2.0, steps=7)
    nb = nbformat.reads(notebook, as_version=4)
    nbclient.NotebookClient(nb, timeout=60, resources={"metadata": {"path": str(ROOT)}}).execute()
    printed = "".join(
        out.get("text", "") for cell in nb.cells for out in cell.get("outputs", ())
        if out.get("output_type") == "stream"
    )  # fmt: skip
    assert printed.splitlines() == lines


HOSTILE = "x'); __import__('os').system('touch /tmp/pwned') #\n\"\"\"\nimport os\n\\"


def test_typed_text_is_a_string_literal_never_code(tmp_path):
    _, script, notebook = _step_size_files(name=gd_views.TYPED, text=HOSTILE)
    tree = ast.parse(script)
    assigned = {
        node.targets[0].id: node.value for node in tree.body if isinstance(node, ast.Assign)
    }
    assert isinstance(assigned["text"], ast.Constant) and assigned["text"].value == HOSTILE
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert "__import__" not in names and "os" not in names
    cells = [c for c in json.loads(notebook)["cells"] if c["cell_type"] == "code"]
    assert any(HOSTILE.splitlines()[0][:10] in "".join(c["source"]) for c in cells)
    with pytest.raises(ValueError):  # dlcore's own parser refuses it, as on the page
        exec(compile(script, "view.py", "exec"), {"__name__": "__main__"})  # noqa: S102
    assert not Path("/tmp/pwned").exists()


@pytest.mark.parametrize(
    "value",
    ["", "a\"b'c", "line\nbreak\ttab\\", "\x00\x1f\u2028é", 0.1, float("nan"), -float("inf"),
     (1, "x"), [1.5, None, True], {"k": (2,)}],
)  # fmt: skip
def test_literals_rebuild_their_values(value):
    text = literal(value, Imports())
    rebuilt = eval(text, {"float": float})  # noqa: S307 - our own literal, checked here
    assert rebuilt == value or (value != value and rebuilt != rebuilt)


def test_wrap_breaks_only_at_the_outermost_brackets():
    line = 'f = g(a, "x, (y", [1, 2], k=h(3, 4))'
    assert wrap(line, width=100) == line
    assert wrap(line, width=20).splitlines() == [
        "f = g(", "    a,", '    "x, (y",', "    [1, 2],", "    k=h(3, 4),", ")",
    ]  # fmt: skip


def test_an_uploaded_image_becomes_a_file_the_script_loads(tmp_path, monkeypatch):
    from PIL import Image

    from dlcore.views import convolution as cv_views
    from labs.convolution import stack
    from ui.export import Picture, note_picture
    from ui.images import load_image

    rng = np.random.default_rng(0)
    pixels = (rng.random((48, 64, 3)) * 255).astype(np.uint8)
    Image.fromarray(pixels).save(tmp_path / "my photo.png")
    img = load_image((tmp_path / "my photo.png").read_bytes(), gray=True, max_side=256)
    forget()
    note_picture(Picture(img, None, "my photo.png", True, 256))
    note_call(cv_views.stack_view, {"img": img}, cv_views.stack_view(img))
    lines, write, _ = files(stack.EXPORT)
    script = write()
    assert 'img = load_picture("my photo.png", max_side=256, gray=True)' in script
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(script, "view.py", "exec"), {"__name__": "__main__", "print": print})  # noqa: S102
    assert printed.getvalue().splitlines() == lines


def test_an_uploaded_or_drawn_digit_becomes_a_file_the_script_loads(tmp_path, monkeypatch):
    from PIL import Image
    from sklearn.datasets import load_digits

    from dlcore.views import cnn as cnn_views
    from labs.cnn import network
    from ui.export import Picture, note_picture
    from ui.images import load_image

    ink = np.kron(load_digits().images[7] / 16, np.ones((20, 20)))  # white ink on black
    Image.fromarray((255 * ink).astype(np.uint8)).save(tmp_path / network.DRAWING)
    gray = load_image((tmp_path / network.DRAWING).read_bytes(), gray=True, max_side=224)
    forget()
    note_picture(Picture(gray, None, network.DRAWING, True, network.CANVAS_SIDE))
    arguments = {"index": 0, "temperature": 2.0, "unit": ("conv 2", 3, 4, 5), "gray": gray}
    note_call(cnn_views.network_view, arguments, cnn_views.network_view(**arguments))
    lines, write, _ = files(network.EXPORT)
    script = write()
    assert f'img = load_picture("{network.DRAWING}", max_side=224, gray=True)' in script
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(script, "view.py", "exec"), {"__name__": "__main__", "print": print})  # noqa: S102
    assert printed.getvalue().splitlines() == lines
    assert lines[0] == "Predicted digit: 7"


def test_a_run_grown_by_presses_is_one_call_from_scratch():
    """The training panels' scripts replay a run kept between presses as one call
    (``note_call``): that is honest only if chunks add up exactly, bit for bit."""
    from dlcore import playground as pg
    from dlcore.rnn_train import RNNTrainConfig
    from dlcore.views import backprop as bp
    from dlcore.views import playground as pv
    from dlcore.views import rnn

    cfg = bp.DEFAULT_CONFIG
    split = bp.load_split(cfg)
    grown = bp.train_run(cfg, split, bp.train_run(cfg, split, None, 2), 3)
    assert np.array_equal(grown.loss, bp.train_run(cfg, split, None, 5).loss)
    rcfg = RNNTrainConfig()
    grown = rnn.train_run_rnn(rcfg, rnn.train_run_rnn(rcfg, None, 20), 10)
    assert np.array_equal(grown.loss, rnn.train_run_rnn(rcfg, None, 30).loss)
    data = pv.play_data(pv.DataSpec(), None, None)
    arch, knobs = pg.Architecture(outputs=data.outputs, task=data.task), pv.Knobs(dropout=0.1)
    grown = pv.play_tick(
        arch, knobs, data, pv.play_tick(arch, knobs, data, pg.initial_state(arch), 1), 2
    )
    once = pv.play_tick(arch, knobs, data, pg.initial_state(arch), 3)
    assert all(np.array_equal(a, b) for a, b in zip(grown.weights, once.weights, strict=True))
