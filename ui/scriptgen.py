"""Write a panel's current view as a runnable Python script and a Jupyter notebook.

From a panel's :class:`ui.export.Export` and the arguments its dlcore calls
got in this run: imports, one assignment per parameter (the values the page
used), the calls, the headline numbers printed exactly as the page shows
them (:func:`ui.export.headline_line`'s format), and the main figure with Plotly.
Every value is written as a Python literal (``repr`` of numbers and
strings, constructors of dlcore's settings), so text a visitor typed (a
formula, a file name) reaches the script as a string, never as code.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, NamedTuple

from ui.export import (
    Call,
    Chart,
    Choice,
    Export,
    Lit,
    Picture,
    Recording,
    check_label,
    check_path,
    resolve,
)
from ui.literals import Imports, literal, wrap

#: Who the script is for, in its docstring and the notebook's first cell.
INSTALL = "`pip install .` in a clone of the lab, or `pip install git+<its repository URL>`"

PARAMS_NOTE = "# The parameters, as on the page (the values its link holds)."
_SAMPLE = '''def sample_picture(name, max_side, gray):
    """scikit-learn's sample image as the page prepares it: floats in [0, 1]."""
    img = sample_image(name)
    if gray:
        img = to_gray(img)
    small = Image.fromarray(np.round(img * 255).astype(np.uint8))
    small.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(small, dtype=np.float32) / 255.0
'''
_LOAD = '''def load_picture(path, max_side, gray):
    """An image file as floats in [0, 1], upright, at most max_side pixels a side."""
    im = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    rgb = np.asarray(im, dtype=np.float32) / 255.0
    return to_gray(rgb) if gray else rgb
'''


class Inline(NamedTuple):
    """An argument written in the call itself, not as a parameter (None, or a dead value)."""

    value: Any


class Plan(NamedTuple):
    """What the script assigns and calls, with the values the page used.

    Attributes
    ----------
    params : dict of str to object
        The parameters block, in order.
    calls : list of (Step, dict of str to str or Inline)
        Each step with its arguments as the script's variable names (or values written inline).
    picture : Picture or None
        The image argument, loaded as ``img``.
    namespace : dict of str to object
        Every variable of the script (parameters, ``img``, step results), for
        :func:`ui.export.headline_lines`.
    """

    params: dict[str, Any]
    calls: list
    picture: Picture | None
    namespace: dict[str, Any]


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # arrays and other values without a single truth value
        return a is b


def _earlier(export: Export, namespace: Mapping[str, Any], value: Any) -> str:
    """The path of an earlier step's result (or one of its fields) that ``value`` is, or ""."""
    for step in export.steps:
        if step.name not in namespace or value is None:
            continue
        result = namespace[step.name]
        if result is value:
            return step.name
        if isinstance(value, (bool, int, float, str)):
            continue  # small numbers and strings are shared objects: "is" says nothing
        for field in getattr(result, "_fields", ()):
            if getattr(result, field) is value:
                return f"{step.name}.{field}"
    return ""


def _dead(export: Export, arg: str, arguments: Mapping[str, Any]) -> bool:
    """Whether ``arg`` does not matter for these arguments (:attr:`ui.export.Export.only_when`)."""
    rule = export.only_when.get(arg)
    return rule is not None and rule[0] in arguments and arguments[rule[0]] not in rule[1]


def plan(export: Export, recordings: Mapping[Any, Recording], picture: Picture | None) -> Plan:
    """The script's variables: each argument a parameter, an earlier result, or the image."""
    params: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    calls = []
    used_picture = None
    taken = {step.name for step in export.steps} | {"img", "fig"}
    for step in export.steps:
        rec = recordings[step.fn]
        names = {}
        for arg, value in rec.arguments.items():
            earlier = _earlier(export, namespace, value)
            if earlier:
                names[arg] = earlier
            elif value is None or _dead(export, arg, rec.arguments):
                names[arg] = Inline(value)  # "none given", or a value that does not matter here
            elif picture is not None and value is picture.img:
                names[arg], used_picture = "img", picture
                namespace["img"] = value
            else:
                name, k = arg, 1
                while name in taken or name in params and not _same(params[name], value):
                    name, k = f"{arg}_{k + 1}", k + 1
                params[name] = namespace[name] = value
                names[arg] = name
        calls.append((step, names))
        namespace[step.name] = rec.result
    return Plan(params, calls, used_picture, namespace)


def _arg(value: Any, imports: Imports) -> str:
    if isinstance(value, str):
        return check_path(value)
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        inner = ", ".join(_arg(v, imports) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_arg(v, imports) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{literal(k, imports)}: {_arg(v, imports)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, Lit):
        return literal(value.value, imports)
    if isinstance(value, Call):
        return _call(imports.ref(value.fn), value.args, value.kwargs, imports)
    return literal(value, imports)


def _paths(value: Any):
    """Every path in a chart's arguments (strings, also inside tuples, lists, dicts, calls)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Call):
        yield from _paths(value.args)
        yield from _paths(tuple(value.kwargs.values()))
    elif isinstance(value, (tuple, list)) and not hasattr(value, "_fields"):
        for item in value:
            yield from _paths(item)
    elif isinstance(value, dict):
        yield from _paths(tuple(value.values()))


def chosen_chart(chart: Chart | Choice | None, namespace: Mapping[str, Any]) -> Chart | None:
    """The chart this view draws, every path it reads checked to be there (else ValueError)."""
    if isinstance(chart, Choice):
        chart = chart.charts.get(resolve(chart.path, namespace))
    if chart is not None:
        for path in _paths((*chart.args, *chart.kwargs.values())):
            resolve(path, namespace)
    return chart


def _call(name: str, args: tuple, kwargs: Mapping[str, Any], imports: Imports) -> str:
    parts = [_arg(a, imports) for a in args]
    parts += [f"{k}={_arg(v, imports)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _step_line(step, names: dict[str, str], imports: Imports) -> str:
    """``name = module.fn(a, b, c=c_2, d=d)``: positional while each variable is named as its
    parameter, by keyword from the first one that is not (and for keyword-only parameters)."""
    params = inspect.signature(step.fn).parameters
    parts, by_keyword = [], False
    for arg, var in names.items():
        if isinstance(var, Inline):
            var = literal(var.value, imports)
        by_keyword = by_keyword or var != arg or params[arg].kind is inspect.Parameter.KEYWORD_ONLY
        parts.append(f"{arg}={var}" if by_keyword else var)
    return f"{step.name} = {imports.ref(step.fn)}({', '.join(parts)})"


def _picture_lines(picture: Picture, imports: Imports) -> tuple[str, list[str]]:
    imports.add_from("dlcore.pixels", "to_gray")
    imports.add_module("numpy", "np")
    if picture.file_name is None:
        imports.add_from("dlcore.datasets", "sample_image")
        imports.add_from("PIL", "Image")
        args = (
            f"{literal(picture.sample, imports)}, max_side={picture.max_side}, gray={picture.gray}"
        )
        return _SAMPLE, [
            "# The page's sample image, prepared as the page prepares it.",
            f"img = sample_picture({args})",
        ]
    imports.add_from("PIL", "Image")
    imports.add_from("PIL", "ImageOps")
    name = literal(picture.file_name, imports)
    return _LOAD, [
        "# Your image: put the file you uploaded beside this script (its name is below).",
        "# The page decodes uploads more carefully (transparency, 16-bit files), so a",
        "# number may differ in its last digits for such files.",
        f"img = load_picture({name}, max_side={picture.max_side}, gray={picture.gray})",
    ]


def sections(export: Export, p: Plan) -> dict[str, str]:
    """The script's parts: ``doc``, ``imports``, ``helpers``, ``params``, ``compute``, ``figure``."""
    imports = Imports(reserved=set(p.namespace) | {"fig", "sample_picture", "load_picture"})
    helpers, picture_lines = ("", [])
    if p.picture is not None:
        helpers, picture_lines = _picture_lines(p.picture, imports)
    params = [wrap(f"{name} = {literal(value, imports)}") for name, value in p.params.items()]
    compute = [wrap(_step_line(step, names, imports)) for step, names in p.calls]
    for number in export.headline:
        spec = f":{number.spec}" if number.spec else ""
        path = check_path(number.path)
        if isinstance(resolve(path, p.namespace), Mapping):  # as ui.export.headline_line
            joined = f'" · ".join(f"{{k}} {{v}}" for k, v in {path}.items())'
            compute.append(f'print("{check_label(number.label)}:", {joined})')
        else:
            compute.append(f'print(f"{check_label(number.label)}: {{{path}{spec}}}")')
    figure = ""
    c = chosen_chart(export.chart, p.namespace)
    if c is not None:
        figure = (
            wrap(f"fig = {_call(imports.ref(c.fn), c.args, c.kwargs, imports)}") + "\nfig.show()\n"
        )
    doc = (
        f"DL Math Lab, {export.title}: the page's view, recomputed and drawn.\n\n"
        f"Needs the lab's packages:\n{INSTALL}."
    )
    if picture_lines:
        picture_lines.append("")
    return {
        "doc": doc,
        "imports": imports.block(),
        "helpers": helpers,
        "params": "\n".join([*picture_lines, PARAMS_NOTE, *params]) + "\n",
        "compute": "\n".join(compute) + "\n",
        "figure": figure,
    }


def script(parts: Mapping[str, str]) -> str:
    """The sections as one ``.py`` file, laid out as ``ruff format`` lays it out."""
    text = f'"""{parts["doc"]}\n"""\n\n' + parts["imports"]
    if parts["helpers"]:
        text += "\n\n" + parts["helpers"] + "\n"
    for key in ("params", "compute", "figure"):
        if parts[key]:
            text += "\n" + parts[key]
    return text


def notebook(parts: Mapping[str, str]) -> str:
    """The sections as a Jupyter notebook (nbformat 4), one cell each."""
    import nbformat  # only when a notebook is asked for: it is not needed to draw a page

    title, _, rest = parts["doc"].partition("\n\n")
    cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\n{rest}")]
    code = [parts["imports"] + ("\n\n" + parts["helpers"] if parts["helpers"] else "")]
    code += [parts[k] for k in ("params", "compute", "figure") if parts[k]]
    cells += [nbformat.v4.new_code_cell(c.rstrip("\n")) for c in code]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nbformat.writes(nb)
