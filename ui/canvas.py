"""A square drawing canvas: white ink on black, sent as a PNG the moment the pen lifts.

Our own small ``st.components.v2`` component rather than streamlit-drawable-canvas: that
component waits a fixed 200 ms after every stroke before it sends the drawing (its
frontend's debounce, no option), which alone took two thirds of the 0.3 s a drawn digit
has to reach its probabilities. This one sends on pointer-up, and is about sixty lines of
JavaScript with no dependency.
"""

from __future__ import annotations

import base64
import binascii

import streamlit as st

PNG_URL = "data:image/png;base64,"
#: the largest drawing accepted from the browser (characters of its data URL); a 224 x 224
#: drawing is about 10 kB, and anything a client sends is checked before it is decoded
MAX_URL = 2_000_000

HTML = """
<div class="pad">
  <canvas class="digit-canvas" aria-label="Drawing canvas: draw one digit"></canvas>
  <button type="button" class="clear">Clear the drawing</button>
</div>
"""

CSS = """
.pad { display: flex; flex-direction: column; align-items: flex-start; gap: 0.4rem; }
.digit-canvas { touch-action: none; cursor: crosshair; border-radius: 0.25rem;
                border: 1px solid var(--st-border-color, #888); }
.clear { font: inherit; padding: 0.2rem 0.75rem; border-radius: 0.5rem; cursor: pointer;
         border: 1px solid var(--st-border-color, #888); background: transparent;
         color: var(--st-text-color, inherit); }
"""

# The drawing lives in the canvas element, which persists across reruns: each render only
# (re)binds the handlers, so a rerun never wipes what is drawn. One stroke = pointer down,
# moves, pointer up; the PNG is sent on the up, a rerun follows at once.
JS = """
export default function (component) {
  const { parentElement, setStateValue, data } = component;
  const canvas = parentElement.querySelector("canvas");
  const clear = parentElement.querySelector("button");
  const side = data.side;
  const ctx = canvas.getContext("2d");
  const wipe = () => {
    ctx.fillStyle = "#000000";
    ctx.fillRect(0, 0, side, side);
  };
  if (canvas.width !== side) {
    canvas.width = side;
    canvas.height = side;
    canvas.style.width = side + "px";
    canvas.style.height = side + "px";
    wipe();
  }
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * side) / r.width, ((e.clientY - r.top) * side) / r.height];
  };
  const segment = (a, b) => {
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = data.ink;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(a[0], a[1]);
    ctx.lineTo(b[0], b[1]);
    ctx.stroke();
  };
  canvas.onpointerdown = (e) => {
    canvas.setPointerCapture(e.pointerId);
    canvas.last = at(e);
    segment(canvas.last, canvas.last);
  };
  canvas.onpointermove = (e) => {
    if (!canvas.last) return;
    const p = at(e);
    segment(canvas.last, p);
    canvas.last = p;
  };
  canvas.onpointerup = canvas.onpointercancel = () => {
    if (!canvas.last) return;
    canvas.last = null;
    setStateValue("png", canvas.toDataURL("image/png"));
  };
  clear.onclick = () => {
    wipe();
    setStateValue("png", null);
  };
}
"""

_COMPONENT = st.components.v2.component("dlmathlab.digit_canvas", html=HTML, css=CSS, js=JS)


def png_of_url(text: object) -> bytes | None:
    """The PNG bytes of a ``data:image/png;base64,...`` URL, or None for anything else.

    What the browser sends is not trusted: a wrong type or prefix, an over-long string or
    bad base64 gives None (the PNG itself is checked by the image loader).

    Examples
    --------
    >>> png_of_url("data:image/png;base64,iVBORw0KGgo=")
    b'\\x89PNG\\r\\n\\x1a\\n'
    >>> png_of_url(None), png_of_url("data:text/html;base64,PGI+"), png_of_url(PNG_URL + "@@")
    (None, None, None)
    """
    if not isinstance(text, str) or not text.startswith(PNG_URL) or len(text) > MAX_URL:
        return None
    try:
        return base64.b64decode(text[len(PNG_URL) :], validate=True) or None
    except (binascii.Error, ValueError):
        return None


def digit_canvas(key: str, side: int, ink: int) -> bytes | None:
    """Draw the canvas (``side`` x ``side`` pixels, strokes ``ink`` pixels wide).

    Returns
    -------
    bytes or None
        The drawing as PNG bytes (RGBA, white on black), or None before the first stroke,
        after "Clear the drawing", and for anything malformed the browser sent.
    """
    result = _COMPONENT(
        key=key,
        data={"side": int(side), "ink": int(ink)},
        default={"png": None},
        on_png_change=lambda: None,
        width="content",
    )
    return png_of_url(result.get("png"))
