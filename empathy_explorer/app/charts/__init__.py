"""Offline, fast Altair charts for the notebooks and the Voilà app.

Everything a chart needs is served from this machine: no CDN, no font or icon from the internet.

How charts render offline, and why this way
-------------------------------------------
Measured on the project's 2-core machine (Voilà 0.5.13, Altair 5.5.0):

- Altair's default ``html`` renderer fetches vega from a CDN: nothing renders offline.
- Altair's ``mimetype`` renderer works offline in JupyterLab and Voilà 0.5 (Altair 5.5 only; Altair 6
  output needs Vega-Lite 6, which Voilà 0.5 does not bundle), but every update re-displays an output
  (≈ 170 ms) and re-displaying big outputs during page load can hang Voilà at "Executing…".
- ``alt.JupyterChart`` (an anywidget) redraws in place. Its JavaScript imports vega-embed from esm.sh;
  ``JupyterChart.enable_offline()`` replaces that with a self-contained bundle (≈ 900 KB) produced by
  ``vl_convert.javascript_bundle``, but importing vl_convert costs ≈ 5 s and ≈ 190 MB in every kernel.

We therefore build the offline bundle **once** (``python -m empathy_explorer.app.charts bundle``, run by
``make`` and by Binder's ``postBuild``) into a git-ignored file inside the package; kernels read the
JavaScript from disk and never import vl_convert. If the file is missing or stale (another Altair or
vl-convert version), :func:`enable_offline` builds it with vl_convert once and caches it.

The bundle is Altair's own JupyterChart front-end with two small additions (see ``_JS_EXTENSION``):

1. **In-place data updates**: :meth:`ChartPanel.update_data` sends only the new rows of a named dataset
   and the browser calls ``view.data(name, rows)``: no Vega-Lite recompilation, no re-embedding. This is
   what keeps a slider step well under 100 ms; :meth:`ChartPanel.update` (replace the whole chart)
   re-embeds and costs more.
2. **Client-side export**: the PNG/SVG buttons ask the browser's own Vega view for the image
   (``view.toImageURL``), so exporting needs neither the network nor vl_convert in the kernel.

One copy of the bundle per page
-------------------------------
An anywidget sends its JavaScript (``_esm``) as part of its widget state, so when every chart carried
the bundle, a page with six charts received ≈ 6 MB over the kernel's websocket on every visit. Now the
bundle travels once per kernel, in the state of one hidden :class:`ChartBundle` widget (created before
the first chart and never displayed: its model still reaches the browser, with its comm in JupyterLab
and with every widget's state when a Voilà page connects). Each :class:`OfflineChart` sends a ≈ 2 kB
stub (:func:`stub_esm`) that, at render time, finds the carrier through the page's widget manager,
imports its bundle once per page (the shared promise lives on ``globalThis`` under a key made from the
bundle's hash, so a stale page never mixes versions) and hands the view to the bundle's ``render``.
The carrier sends the bundle gzip-compressed as a binary buffer (≈ 310 kB), inflated by the browser's
``DecompressionStream``; a browser without it asks the kernel for the plain text once.
Measured in Voilà: notebook 05 (six charts) went from 5.97 MB to 0.76 MB per visit.

Charts use the SVG renderer so that their content is in the page's DOM (readable by screen readers and
by the browser tests).

Display data versus statistics
------------------------------
:func:`downsample_for_display` keeps, per bucket, the minimum and the maximum of each series (an
envelope), so peaks survive and a 50-minute recording never exceeds Altair's 5,000-row limit. It is for
drawing only: every statistic in this package is computed on the full-rate signals.

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make figures and presentations that are
friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import html
import importlib.metadata
import logging
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import altair as alt
import anywidget
import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

__all__ = [
    "BUNDLE_GLOBAL",
    "DASH_PATTERNS",
    "MAX_ROWS",
    "OKABE_ITO",
    "ROLE_COLORS",
    "ROLE_DASHES",
    "TONE_COLORS",
    "ChartBundle",
    "ChartPanel",
    "OfflineChart",
    "build_bundle",
    "bundle_carrier",
    "bundle_key",
    "bundle_path",
    "download_link",
    "downsample_for_display",
    "enable_offline",
    "plain_text",
    "series_dash",
    "stub_esm",
    "with_datasets",
]

log = logging.getLogger(__name__)

#: Altair refuses to embed more rows than this (``MaxRowsError``); display data stays below it.
MAX_ROWS = 5000

#: The Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008), by colour name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Category order used by the theme (black last: it is kept for reference lines).
CATEGORY_RANGE: list[str] = [
    OKABE_ITO[k]
    for k in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "yellow", "black")
]

#: The two people in a session always get the same colours on every page.
ROLE_COLORS: dict[str, str] = {"patient": OKABE_ITO["blue"], "clinician": OKABE_ITO["vermillion"]}

#: Line styles of a chart's series, in order (Vega dash arrays; ``[1, 0]`` is solid). Lines differ by style
#: as well as by colour, so they stay apart in grey print and for colour-blind readers (WCAG 1.4.1).
DASH_PATTERNS: list[list[int]] = [[1, 0], [7, 3], [2, 2], [7, 3, 2, 3], [12, 4]]

#: The two people of a session: the patient solid, the clinician dashed, on every page.
ROLE_DASHES: dict[str, list[int]] = {"patient": [1, 0], "clinician": [7, 3]}


def series_dash(field: str, domain: list[str], **kwargs: Any) -> Any:
    """A ``strokeDash`` encoding that gives every series its own line style (roles keep theirs).

    Parameters
    ----------
    field : str
        The series column, e.g. ``"person"`` (nominal).
    domain : list of str
        The series values in legend order.
    **kwargs
        Passed to ``alt.StrokeDash`` (e.g. ``title``, ``legend``; use the colour encoding's title so the
        two legends merge into one).

    Examples
    --------
    >>> series_dash("person", ["patient", "clinician"]).to_dict()["scale"]["range"]
    [[1, 0], [7, 3]]
    """
    rng = [ROLE_DASHES.get(str(v), DASH_PATTERNS[i % len(DASH_PATTERNS)]) for i, v in enumerate(domain)]
    return alt.StrokeDash(f"{field}:N", scale=alt.Scale(domain=list(domain), range=rng), **kwargs)


#: Shading of session segments by emotional tone.
TONE_COLORS: dict[str, str] = {
    "positive": OKABE_ITO["bluish_green"],
    "neutral": "#BBBBBB",
    "conflict": OKABE_ITO["reddish_purple"],
}

THEME_NAME = "empathy_explorer"
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"  # local fonts only


def _theme() -> dict[str, Any]:
    """Vega-Lite config: readable on a projector, colour-blind-safe categories, local fonts."""
    return {
        "config": {
            "view": {"continuousWidth": 640, "continuousHeight": 220, "strokeWidth": 0},
            "font": _FONT,
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#444"},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "top"},
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "range": {"category": CATEGORY_RANGE},
            "line": {"strokeWidth": 1.6},
        }
    }


# --------------------------------------------------------------------------------------------------
# Display-only downsampling
# --------------------------------------------------------------------------------------------------


def downsample_for_display(
    times_s: np.ndarray, values: np.ndarray, *, max_points: int = 2000
) -> tuple[np.ndarray, np.ndarray]:
    """Thin a long signal for drawing while keeping its peaks (min/max envelope per bucket).

    The samples are cut into equal buckets; in each bucket the sample with the smallest and the one
    with the largest value of every series are kept, in time order, together with the first and the
    last sample. Peaks and troughs therefore survive, which plain decimation would lose. Use it for
    charts only: statistics must use the full-rate data.

    Parameters
    ----------
    times_s : numpy.ndarray, shape (n,)
        Sample times in seconds, increasing.
    values : numpy.ndarray, shape (n,) or (n, k)
        One series, or ``k`` series sharing the same times (e.g. patient and clinician). NaN (gaps) are
        allowed and kept where a bucket holds nothing else.
    max_points : int, default 2000
        Upper bound on the number of rows returned (at least 4, at most :data:`MAX_ROWS`).

    Returns
    -------
    times_s : numpy.ndarray
        The kept times (a subset of the input, in order).
    values : numpy.ndarray
        The kept values, same shape convention as the input.

    Examples
    --------
    >>> t = np.arange(100_000) / 32.0
    >>> x = np.sin(t)
    >>> x[5_000] = 10.0  # a single-sample spike
    >>> td, xd = downsample_for_display(t, x, max_points=1000)
    >>> len(td) <= 1000, bool(xd.max() == 10.0)
    (True, True)
    """
    from empathy_explorer.errors import InputError

    t = np.asarray(times_s, dtype=float)
    v = np.asarray(values, dtype=float)
    if t.ndim != 1:
        raise InputError("times_s must be a one-dimensional array of sample times in seconds.")
    if v.ndim not in (1, 2) or v.shape[0] != t.shape[0]:
        raise InputError(
            f"values must have one row per time ({t.shape[0]} times) and one column per series; "
            f"got shape {v.shape}."
        )
    if not 4 <= int(max_points) <= MAX_ROWS:
        raise InputError(f"max_points must be between 4 and {MAX_ROWS}; got {max_points}.")
    n = t.shape[0]
    if n <= max_points:
        return t.copy(), v.copy()
    v2 = v.reshape(n, -1)
    k = v2.shape[1]
    n_buckets = max(1, (int(max_points) - 2) // (2 * k))
    length = math.ceil(n / n_buckets)
    n_buckets = math.ceil(n / length)
    pad = n_buckets * length - n
    low = np.where(np.isnan(v2), np.inf, v2)
    high = np.where(np.isnan(v2), -np.inf, v2)
    if pad:
        low = np.concatenate([low, np.full((pad, k), np.inf)])
        high = np.concatenate([high, np.full((pad, k), -np.inf)])
    offsets = (np.arange(n_buckets) * length)[:, None]
    i_min = low.reshape(n_buckets, length, k).argmin(axis=1) + offsets
    i_max = high.reshape(n_buckets, length, k).argmax(axis=1) + offsets
    keep = np.unique(np.concatenate([i_min.ravel(), i_max.ravel(), [0, n - 1]]))
    keep = keep[keep < n]
    return t[keep], v[keep]


# --------------------------------------------------------------------------------------------------
# The offline JavaScript bundle
# --------------------------------------------------------------------------------------------------

# Added to Altair's JupyterChart front-end before bundling. Plain JupyterCharts do not have the
# `_ee_data` trait, so for them these functions do nothing.
_JS_EXTENSION = r"""
function eeMergeData(model, spec) {
    const data = model.get("_ee_data");
    if (spec != null && data != null && spec.datasets != null) {
        for (const [name, rows] of Object.entries(data)) {
            if (name in spec.datasets) { spec.datasets[name] = rows; }
        }
    }
    return spec;
}

function eeDownload(url, filename) {
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
}

function eeAttach(model, el, api) {
    el.eeView = api.view;
    if (model.get("_ee_data") === undefined) { return; }
    const stamp = () => { el.setAttribute("data-ee-version", String(model.get("_ee_version"))); };
    const onData = async () => {
        const data = model.get("_ee_data") ?? {};
        for (const [name, rows] of Object.entries(data)) {
            try { api.view.data(name, structuredClone(rows)); } catch (error) { console.warn(error); }
        }
        await api.view.runAsync();
        stamp();
    };
    const onMsg = async (msg) => {
        if (msg == null || msg.type !== "ee-export") { return; }
        const fmt = msg.format === "svg" ? "svg" : "png";
        const url = await api.view.toImageURL(fmt, fmt === "png" ? (msg.scale ?? 2) : 1);
        eeDownload(url, msg.filename ?? ("figure." + fmt));
    };
    if (el.eeHandlers) {
        model.off("change:_ee_version", el.eeHandlers[0]);
        model.off("msg:custom", el.eeHandlers[1]);
    }
    el.eeHandlers = [onData, onMsg];
    model.on("change:_ee_version", onData);
    model.on("msg:custom", onMsg);
    stamp();
}
"""

_JS_PATCHES = (
    (
        'let spec = structuredClone(model.get("spec"));',
        'let spec = eeMergeData(model, structuredClone(model.get("spec")));',
    ),
    (
        "api = await vegaEmbed(el, spec, embedOptions);",
        "api = await vegaEmbed(el, spec, embedOptions);\n            eeAttach(model, el, api);",
    ),
)

_BUNDLE_NAME = "chart-bundle.js"
_HEADER_PREFIX = "// empathy-explorer chart bundle "


def bundle_path() -> Path:
    """Where the offline JavaScript bundle lives (inside the package; git-ignored).

    When the package directory is not writable, ``$XDG_CACHE_HOME/empathy_explorer`` (or
    ``~/.cache/empathy_explorer``) is used instead.
    """
    here = Path(__file__).parent / "static" / _BUNDLE_NAME
    if here.exists() or os.access(here.parent if here.parent.exists() else here.parent.parent, os.W_OK):
        return here
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "empathy_explorer"
    return cache / _BUNDLE_NAME


def _snippet() -> str:
    """Altair's JupyterChart front-end, imports removed, with our extension patched in."""
    from altair.jupyter.jupyter_chart import load_js_src

    lines = load_js_src().split("\n")
    while lines and (not lines[0].strip() or lines[0].startswith("import") or lines[0].startswith("//")):
        lines.pop(0)
    src = "\n".join(lines)
    for old, new in _JS_PATCHES:
        if src.count(old) != 1:
            raise RuntimeError(f"Altair's JupyterChart JavaScript changed; cannot find {old!r}.")
        src = src.replace(old, new)
    return src + "\n" + _JS_EXTENSION


def _vl_version() -> str:
    return "_".join(alt.SCHEMA_VERSION.split(".")[:2])  # 'v5.20.1' -> 'v5_20'


def _bundle_header() -> str:
    """Identifies the inputs of the bundle, so a stale file is rebuilt (cheap: no vl_convert import)."""
    try:
        vlc_version = importlib.metadata.version("vl-convert-python")
    except importlib.metadata.PackageNotFoundError:
        vlc_version = "missing"
    digest = hashlib.sha256(_snippet().encode()).hexdigest()[:16]
    return (
        f"{_HEADER_PREFIX}altair={alt.__version__} vl-convert={vlc_version} vl={_vl_version()} src={digest}"
    )


def build_bundle(path: Path | None = None) -> Path:
    """Build the offline chart JavaScript with vl_convert and write it to ``path``.

    Parameters
    ----------
    path : pathlib.Path, optional
        Destination; defaults to :func:`bundle_path`.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    import vl_convert as vlc  # slow (≈ 5 s, ≈ 190 MB): only here, never in a normal kernel

    path = bundle_path() if path is None else Path(path)
    js = vlc.javascript_bundle(_snippet(), vl_version=_vl_version())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(_bundle_header() + "\n" + js, encoding="utf-8")
    tmp.replace(path)
    return path


def _load_bundle() -> str:
    path = bundle_path()
    header = _bundle_header()
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            first = fh.readline().rstrip("\n")
            if first == header:
                return fh.read()
        log.warning("Offline chart bundle %s is stale; rebuilding it with vl_convert.", path)
    else:
        log.warning("Offline chart bundle %s is missing; building it with vl_convert (once).", path)
    try:
        build_bundle(path)
    except OSError:  # read-only location: build in memory
        import vl_convert as vlc

        return vlc.javascript_bundle(_snippet(), vl_version=_vl_version())
    return path.read_text(encoding="utf-8").split("\n", 1)[1]


# --------------------------------------------------------------------------------------------------
# One copy of the bundle per page: a hidden carrier widget and a small stub in every chart
# --------------------------------------------------------------------------------------------------

#: Name of the object on the browser's ``globalThis`` that holds the loaded bundles, by bundle key.
BUNDLE_GLOBAL = "__empathyExplorerChartBundles"

# The JavaScript of every OfflineChart (≈ 2 kB instead of the ≈ 900 kB bundle). anywidget imports a
# widget's `_esm` when the widget's model is created and awaits its `initialize`; anywidget gives up on
# a model whose initialisation takes over 2 s (and would then drop its updates), so `initialize` only
# starts loading the bundle and returns at once. Only `render` waits for the bundle. Loading finds the
# carrier widget named in the chart's `_ee_bundle` trait through the page's widget manager, checks
# that the carrier holds the same bundle version, and imports the bundle from it ONCE per page (the
# import's promise is shared on globalThis under a key made from the bundle's hash, so charts
# rendering at the same moment, a chart shown twice, and charts of another kernel in the same
# JupyterLab window all reuse one module, and a page never mixes two versions); `render` then hands
# the view to Altair's own `render`.
_STUB_ESM = r"""
const KEY = "@@KEY@@";
const STORE = "@@STORE@@";
const PREFIX = "IPY_MODEL_";
const WAIT_FOR_CARRIER_MS = 20000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function findCarrier(model) {
    const ref = model.get("_ee_bundle");
    if (typeof ref !== "string" || !ref.startsWith(PREFIX)) {
        throw new Error("the chart names no bundle carrier");
    }
    const id = ref.slice(PREFIX.length);
    // The carrier's model is normally registered before the chart's; a widget manager that creates
    // models in another order registers it moments later, so look again for a while.
    for (let waited = 0; ; waited += 50) {
        try {
            const carrier = await model.widget_manager.get_model(id);
            if (carrier) { return carrier; }
        } catch (error) {
            if (waited >= WAIT_FOR_CARRIER_MS) { throw error; }
        }
        if (waited >= WAIT_FOR_CARRIER_MS) { throw new Error("bundle carrier " + id + " not found"); }
        await sleep(50);
    }
}

async function bundleText(carrier) {
    const gz = carrier.get("_ee_bundle_gz");
    if (typeof DecompressionStream === "function" && gz != null && gz.byteLength > 0) {
        const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
        return await new Response(stream).text();
    }
    // A browser without DecompressionStream (Safari < 16.4, Firefox < 113) asks the kernel for the
    // plain text instead (once per page).
    if (!carrier.get("_ee_bundle_js")) {
        await new Promise((resolve) => {
            carrier.once("change:_ee_bundle_js", resolve);
            carrier.send({type: "ee-bundle-text"});
        });
    }
    return carrier.get("_ee_bundle_js");
}

async function importBundle(model) {
    const carrier = await findCarrier(model);
    const key = carrier.get("_ee_bundle_key");
    if (key !== KEY) {
        throw new Error("chart bundle version " + key + " does not match this chart's " + KEY);
    }
    const text = await bundleText(carrier);
    const url = URL.createObjectURL(new Blob([text], {type: "text/javascript"}));
    try {
        return await import(url);
    } finally {
        URL.revokeObjectURL(url);
    }
}

function loadBundle(model) {
    const store = (globalThis[STORE] ??= {});
    if (!(KEY in store)) {
        const loading = importBundle(model);
        store[KEY] = loading;
        loading.catch(() => { if (store[KEY] === loading) { delete store[KEY]; } });  // next render retries
    }
    return store[KEY];
}

function initialize({model}) {
    // Start loading while the page builds its other widgets; not awaited, so the model is ready at once.
    loadBundle(model).catch(() => {});  // a failure is shown (and retried) by render
}

// What the chart shows now, for screen readers: the chart element (vega-embed makes it a
// "graphics-document") and Vega's SVG inside it (an image) are named by the chart's `_ee_description`
// (its title and the demo's current takeaway), also after the SVG is redrawn or the description changes.
function describe(model, el) {
    const apply = () => {
        const text = model.get("_ee_description") || "";
        if (!text) { return; }
        if (el.getAttribute("aria-label") !== text) { el.setAttribute("aria-label", text); }
        const svg = el.querySelector("svg.marks");
        if (svg && svg.getAttribute("aria-label") !== text) {
            svg.setAttribute("role", "img");
            svg.setAttribute("aria-label", text);
        }
    };
    apply();
    model.on("change:_ee_description", apply);
    const observer = new MutationObserver(apply);
    observer.observe(el, {childList: true, subtree: true});
    return () => { observer.disconnect(); model.off("change:_ee_description", apply); };
}

async function render(context) {
    let widget;
    try {
        const bundle = await loadBundle(context.model);
        widget = typeof bundle.default === "function" ? await bundle.default() : bundle.default;
    } catch (error) {
        console.error("[empathy-explorer] the chart's drawing code could not be loaded:", error);
        context.el.textContent = "This chart could not load its drawing code; please reload the page.";
        return;
    }
    const stopDescribing = describe(context.model, context.el);
    const cleanup = await widget.render(context);
    return () => { stopDescribing(); if (typeof cleanup === "function") { cleanup(); } };
}

export default { initialize, render };
"""


def bundle_key(js: str) -> str:
    """The version key of a chart bundle: a hash of its text (two bundles share a key only if equal).

    Examples
    --------
    >>> bundle_key("export default {};")
    'ee-chart-bundle-9f085b1079ab38f7'
    """
    return "ee-chart-bundle-" + hashlib.sha256(js.encode("utf-8")).hexdigest()[:16]


def stub_esm(key: str) -> str:
    """The small JavaScript module each :class:`OfflineChart` sends instead of the whole bundle.

    Parameters
    ----------
    key : str
        The :func:`bundle_key` of the bundle the stub must load (from its chart's carrier).

    Returns
    -------
    str
        An ES module whose ``render`` imports the bundle once per page and delegates to it.
    """
    lines = (
        line for line in _STUB_ESM.split("\n") if not line.lstrip().startswith("//")
    )  # comments stay here
    return "\n".join(lines).replace("@@KEY@@", key).replace("@@STORE@@", BUNDLE_GLOBAL)


class ChartBundle(anywidget.AnyWidget):
    """The hidden widget that carries the offline chart bundle to the browser, once per kernel.

    It is never displayed: its model reaches the browser with its state when it is created (JupyterLab)
    or with every other widget's state when the page connects to its kernel (Voilà). Get it with
    :func:`bundle_carrier`; charts reference it in their ``_ee_bundle`` trait.

    The bundle travels gzip-compressed as a binary buffer (≈ 310 kB instead of ≈ 920 kB of JSON text);
    the browser inflates it with ``DecompressionStream``. A browser without it sends an
    ``{"type": "ee-bundle-text"}`` message and receives the plain text in ``_ee_bundle_js``.

    Parameters
    ----------
    js : str
        The bundle's JavaScript.
    """

    _esm = "export default {};"
    _ee_bundle_key = traitlets.Unicode("").tag(sync=True)
    _ee_bundle_gz = traitlets.Bytes(b"").tag(sync=True)
    _ee_bundle_js = traitlets.Unicode("").tag(sync=True)

    def __init__(self, js: str = "", **kwargs: Any) -> None:
        self._plain_js = js
        super().__init__(
            _ee_bundle_key=bundle_key(js), _ee_bundle_gz=gzip.compress(js.encode("utf-8"), mtime=0), **kwargs
        )
        self.on_msg(self._on_front_end_msg)

    def _on_front_end_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ee-bundle-text":
            self._ee_bundle_js = self._plain_js


class OfflineChart(alt.JupyterChart):
    """An ``alt.JupyterChart`` whose named datasets can be replaced in the browser without re-embedding.

    Its JavaScript is a small stub (:func:`stub_esm`) that loads the offline bundle from the kernel's
    :class:`ChartBundle` widget, so a page with many charts receives the bundle once. Use it through
    :class:`ChartPanel`.
    """

    _ee_data = traitlets.Dict().tag(sync=True)
    _ee_version = traitlets.Int(0).tag(sync=True)
    #: What the chart shows now, in words (read by screen readers; see :meth:`ChartPanel.describe`).
    _ee_description = traitlets.Unicode("").tag(sync=True)
    _ee_bundle = traitlets.Instance(ChartBundle, allow_none=True).tag(
        sync=True, **widgets.widget_serialization
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The carrier is created (its comm opened) before the chart, so a front-end that builds models
        # in the order the kernel creates them already has it when the chart's model arrives.
        kwargs.setdefault("_ee_bundle", bundle_carrier())
        super().__init__(*args, **kwargs)


_offline_js: str | None = None
_offline_key: str | None = None
_carrier: ChartBundle | None = None


def enable_offline() -> None:
    """Make every Altair chart render with no network, and switch on the project's theme.

    Loads the offline JavaScript bundle from disk (building it once if needed): :class:`OfflineChart`
    gets the small stub that loads it from the kernel's :class:`ChartBundle` (one copy per page), and
    plain ``alt.JupyterChart`` widgets get the whole, self-contained bundle. Also enables the
    colour-blind-safe theme and selects Altair's ``mimetype`` renderer for plain ``chart`` displays
    (offline in JupyterLab and Voilà 0.5 with Altair 5.5). Safe to call many times; the work is done
    once per kernel.
    """
    global _offline_js, _offline_key
    if _offline_js is None:
        js = _load_bundle()
        _offline_key = bundle_key(js)
        alt.JupyterChart._esm = js
        alt.JupyterChart._is_offline = True
        OfflineChart._esm = stub_esm(_offline_key)
        OfflineChart._is_offline = True
        _offline_js = js
    _register_theme()
    alt.renderers.enable("mimetype")


def bundle_carrier() -> ChartBundle:
    """The kernel's :class:`ChartBundle` widget (created on first use, again if it was closed).

    Returns
    -------
    ChartBundle
        The one widget whose state holds the offline chart bundle for every :class:`OfflineChart`.
    """
    global _carrier
    enable_offline()
    if _carrier is None or _carrier.comm is None:
        _carrier = ChartBundle(_offline_js or "")
    return _carrier


def _register_theme() -> None:
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(_theme)
    alt.theme.enable(THEME_NAME)


# --------------------------------------------------------------------------------------------------
# Named datasets and the chart panel
# --------------------------------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe rows (NaN and infinities become null)."""
    clean = frame.replace([np.inf, -np.inf], np.nan)
    clean = clean.astype(object).where(clean.notna(), None)
    return clean.to_dict(orient="records")


def with_datasets(chart: alt.TopLevelMixin, datasets: Mapping[str, pd.DataFrame]) -> alt.TopLevelMixin:
    """Attach named datasets to a chart built on ``alt.NamedData(name)``.

    Charts built this way can have their data replaced in place by :meth:`ChartPanel.update_data`.

    Parameters
    ----------
    chart : altair chart
        A top-level chart whose layers read ``alt.NamedData(name)``.
    datasets : mapping of str to pandas.DataFrame
        The rows of each named dataset (each at most :data:`MAX_ROWS` rows).

    Returns
    -------
    altair chart
        A copy of ``chart`` carrying the datasets.

    Examples
    --------
    >>> df = pd.DataFrame({"t_s": [0.0, 1.0], "value": [1.0, 2.0]})
    >>> base = alt.Chart(alt.NamedData("signal")).mark_line().encode(x="t_s:Q", y="value:Q")
    >>> chart = with_datasets(base, {"signal": df})
    >>> chart.to_dict()["datasets"]["signal"][1]["value"]
    2.0
    """
    for name, frame in datasets.items():
        _check_rows(name, frame)
    return chart.properties(datasets={name: _records(frame) for name, frame in datasets.items()})


def _check_rows(name: str, frame: pd.DataFrame) -> None:
    if len(frame) > MAX_ROWS:
        raise ValueError(
            f"Dataset {name!r} has {len(frame)} rows; charts take at most {MAX_ROWS}. "
            "Use downsample_for_display() for long signals."
        )


def download_link(data: bytes | str, filename: str, label: str, *, mime: str = "text/csv") -> str:
    """HTML for a link that downloads ``data`` as ``filename`` (a data: URL; works offline, no server file).

    Examples
    --------
    >>> download_link("a,b\\n1,2\\n", "numbers.csv", "Download CSV")[:30]
    '<a download="numbers.csv" href'
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    b64 = base64.b64encode(raw).decode("ascii")
    return (
        f'<a download="{html.escape(filename)}" href="data:{mime};base64,{b64}" '
        f'class="ee-download">{html.escape(label)}</a>'
    )


def plain_text(markup: str) -> str:
    """Text of a small piece of HTML: tags dropped, entities decoded, white space collapsed.

    Examples
    --------
    >>> plain_text("<div><b>Takeaway:</b> r &gt; 0.5</div>")
    'Takeaway: r > 0.5'
    """
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", str(markup))).split())


def _title_of(obj: Any) -> list[str]:
    title = getattr(obj, "title", alt.Undefined)
    if title is alt.Undefined or title is None:
        return []
    if isinstance(title, str):
        return [title]
    text = getattr(title, "text", alt.Undefined)
    if isinstance(text, str):
        return [text]
    if isinstance(text, list | tuple):
        return [" ".join(str(t) for t in text)]
    return []


def _chart_title_text(chart: Any) -> str:
    """The titles of a chart and of its layers or sub-charts, joined ("A; B; C"); no spec is built."""
    if chart is None:
        return ""
    found: list[str] = []
    stack = [chart]
    while stack:
        obj = stack.pop(0)
        for t in _title_of(obj):
            if t not in found:
                found.append(t)
        for key in ("vconcat", "hconcat", "concat"):
            parts = getattr(obj, key, alt.Undefined)
            if parts is not alt.Undefined and parts:
                stack.extend(parts)
    return "; ".join(found)


def _field_titles(chart: Any) -> dict[str, str]:
    """Column name -> axis/legend title, from the chart's encodings (for the numbers tables)."""
    if chart is None:
        return {}
    try:
        spec = chart.to_dict(validate=False)
    except Exception:  # a chart Altair cannot serialise: plain column names
        return {}
    spec.pop("datasets", None)
    titles: dict[str, str] = {}
    stack: list[Any] = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            field, title = node.get("field"), node.get("title")
            if isinstance(field, str) and isinstance(title, str) and field not in titles:
                titles[field] = title
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return titles


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, float | np.floating):
        return f"{float(value):.4g}"
    return str(value)


class ChartPanel(widgets.VBox):
    """A chart that updates in place, with PNG/SVG export buttons.

    Put the panel in the page once; afterwards change what it shows with :meth:`update_data` (fast:
    only new rows travel to the browser) or :meth:`update` (replace the whole chart). Callbacks never
    re-display outputs.

    Parameters
    ----------
    chart : altair chart, optional
        The first chart to show.
    filename : str, default "figure"
        Base name of exported files.
    export : bool, default True
        Show the "Save PNG" / "Save SVG" buttons (the browser draws the image; works offline).

    Attributes
    ----------
    chart_widget : OfflineChart
        The wrapped ``alt.JupyterChart``.
    datasets : dict of str to pandas.DataFrame
        The named datasets currently shown (what the chart draws, for tests and CSV export).

    Examples
    --------
    >>> df = pd.DataFrame({"t_s": [0.0, 1.0], "value": [1.0, 2.0]})
    >>> base = alt.Chart(alt.NamedData("signal")).mark_line().encode(x="t_s:Q", y="value:Q")
    >>> panel = ChartPanel(with_datasets(base, {"signal": df}))
    >>> panel.update_data(signal=df.assign(value=[3.0, 4.0]))
    >>> panel.datasets["signal"]["value"].tolist()
    [3.0, 4.0]
    """

    def __init__(
        self, chart: alt.TopLevelMixin | None = None, *, filename: str = "figure", export: bool = True
    ):
        enable_offline()
        self.filename = filename
        self.chart_widget = OfflineChart(
            chart,
            embed_options={"renderer": "svg", "actions": False},
        )
        self.datasets: dict[str, pd.DataFrame] = {}
        self._set_datasets_from(chart)
        self._png = widgets.Button(description="Save PNG", icon="", tooltip="Download the figure as PNG")
        self._svg = widgets.Button(description="Save SVG", icon="", tooltip="Download the figure as SVG")
        for button in (self._png, self._svg):
            button.layout = widgets.Layout(width="auto")
        self._png.on_click(lambda _b: self.export_image("png"))
        self._svg.on_click(lambda _b: self.export_image("svg"))
        # "Show the numbers": the displayed data as tables, built only while shown (no cost per slider
        # step when hidden).
        self.numbers_button = widgets.ToggleButton(
            value=False,
            description="Show the numbers",
            tooltip="Show the numbers the chart draws, as tables (for screen readers and for checking)",
            layout=widgets.Layout(width="auto"),
        )
        self.numbers = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.numbers.add_class("ee-numbers")
        self.numbers_button.observe(lambda _change: self._show_numbers(), names="value")
        buttons = [self.numbers_button, self._png, self._svg] if export else [self.numbers_button]
        self.toolbar = widgets.HBox(buttons)
        self.toolbar.add_class("ee-chart-toolbar")
        self._title = _chart_title_text(chart)
        self._takeaway = ""
        self.describe()
        super().__init__(children=[self.chart_widget, self.toolbar, self.numbers])
        self.add_class("ee-chart-panel")

    # --- words for screen readers ------------------------------------------------------------------

    @property
    def description(self) -> str:
        """What the chart shows now, in words (its title, then the current takeaway)."""
        return self.chart_widget._ee_description

    def describe(self, takeaway: str | None = None) -> str:
        """Set the chart's text alternative: its title(s) and what it shows now.

        Parameters
        ----------
        takeaway : str, optional
            One plain sentence on what the chart shows now (a demo's takeaway; HTML tags are dropped).
            ``None`` keeps the last one.

        Returns
        -------
        str
            The description screen readers now read for the chart.

        Examples
        --------
        >>> df = pd.DataFrame({"t_s": [0.0, 1.0], "value": [1.0, 2.0]})
        >>> base = alt.Chart(alt.NamedData("signal")).mark_line().encode(x="t_s:Q", y="value:Q")
        >>> panel = ChartPanel(with_datasets(base.properties(title="A signal"), {"signal": df}))
        >>> panel.describe("It rises from 1 to 2.")
        'Chart: A signal. It rises from 1 to 2.'
        """
        if takeaway is not None:
            self._takeaway = plain_text(takeaway)
        parts = [f"Chart: {self._title}." if self._title else "Chart."]
        if self._takeaway:
            parts.append(self._takeaway)
        text = " ".join(parts)
        if self.chart_widget._ee_description != text:
            self.chart_widget._ee_description = text
        return text

    def describe_from(self, widget: widgets.HTML) -> None:
        """Keep the description equal to an HTML widget's text (a demo's takeaway line), now and after."""
        self.describe(widget.value)
        widget.observe(lambda change: self.describe(change["new"]), names="value")

    # --- "Show the numbers" ------------------------------------------------------------------------

    def _show_numbers(self) -> None:
        shown = bool(self.numbers_button.value)
        self.numbers_button.description = "Hide the numbers" if shown else "Show the numbers"
        self.numbers.value = self.numbers_html() if shown else ""
        self.numbers.layout.display = None if shown else "none"

    def numbers_html(self, max_rows: int = 200) -> str:
        """The displayed data as HTML tables (one per named dataset), with a CSV download of each.

        Parameters
        ----------
        max_rows : int, default 200
            Rows shown per table; the CSV link holds every displayed row.

        Returns
        -------
        str
            HTML: ``<table>`` elements with captions and column headers (the chart's axis titles
            where the chart names them).
        """
        titles = _field_titles(self.chart)
        blocks = []
        for name, frame in self.datasets.items():
            if frame.empty:
                continue
            columns = [c for c in frame.columns if not str(c).startswith("_")]
            shown = frame[columns].head(max_rows)
            head = "".join(f'<th scope="col">{html.escape(titles.get(str(c), str(c)))}</th>' for c in columns)
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
                for row in shown.itertuples(index=False, name=None)
            )
            note = (
                f"the first {len(shown):,} of {len(frame):,} rows"
                if len(frame) > len(shown)
                else f"all {len(frame):,} rows"
            )
            link = download_link(
                frame[columns].to_csv(index=False), f"{self.filename}-{name}.csv", f"Download {name} as CSV"
            )
            blocks.append(
                "<div class='ee-numbers-scroll' tabindex='0' role='region' "
                f"aria-label='Numbers: {html.escape(name)}'>"
                f"<table><caption>Numbers drawn in the chart: {html.escape(name)} ({note})</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div><p>{link}</p>"
            )
        return "".join(blocks) or "<p>The chart shows no data yet.</p>"

    @property
    def chart(self) -> alt.TopLevelMixin | None:
        """The Altair chart last given to :meth:`update` (its datasets may be older than :attr:`datasets`)."""
        return self.chart_widget.chart

    def _set_datasets_from(self, chart: alt.TopLevelMixin | None) -> None:
        self.datasets = {}
        if chart is None:
            return
        ds = getattr(chart, "datasets", alt.Undefined)
        if ds is not alt.Undefined and ds:
            self.datasets = {name: pd.DataFrame.from_records(rows) for name, rows in dict(ds).items()}

    def update(self, chart: alt.TopLevelMixin) -> None:
        """Replace the whole chart (re-embeds it in the browser; use :meth:`update_data` when you can)."""
        with self.chart_widget.hold_sync():
            self.chart_widget._ee_data = {}
            self.chart_widget.chart = chart
        self._set_datasets_from(chart)
        self._title = _chart_title_text(chart)
        self.describe()
        if self.numbers_button.value:
            self.numbers.value = self.numbers_html()

    def update_data(self, datasets: Mapping[str, pd.DataFrame] | None = None, **frames: pd.DataFrame) -> None:
        """Replace named datasets in place (the fast path: no re-embedding).

        Parameters
        ----------
        datasets, **frames : pandas.DataFrame
            New rows for datasets the current chart already has (by name).
        """
        new = dict(datasets or {}, **frames)
        unknown = sorted(set(new) - set(self.datasets))
        if unknown:
            raise ValueError(f"The chart has no dataset named {unknown}; it has {sorted(self.datasets)}.")
        for name, frame in new.items():
            _check_rows(name, frame)
        payload = dict(self.chart_widget._ee_data)
        payload.update({name: _records(frame) for name, frame in new.items()})
        with self.chart_widget.hold_sync():
            self.chart_widget._ee_data = payload
            self.chart_widget._ee_version += 1
        self.datasets.update({name: frame.reset_index(drop=True) for name, frame in new.items()})
        if self.numbers_button.value:
            self.numbers.value = self.numbers_html()

    def current_spec(self) -> dict[str, Any]:
        """The Vega-Lite spec as shown now (the chart with its latest datasets)."""
        if self.chart is None:
            return {}
        spec = self.chart.to_dict()
        if "datasets" in spec:
            for name, frame in self.datasets.items():
                if name in spec["datasets"]:
                    spec["datasets"][name] = _records(frame)
        return spec

    def export_image(self, fmt: str = "png") -> None:
        """Ask the browser to download the figure as ``fmt`` ("png" or "svg"); drawn client-side."""
        if fmt not in ("png", "svg"):
            raise ValueError(f"Unknown image format {fmt!r}; use 'png' or 'svg'.")
        self.chart_widget.send({"type": "ee-export", "format": fmt, "filename": f"{self.filename}.{fmt}"})

    def to_image(self, fmt: str = "svg", *, scale: float = 2.0) -> bytes | str:
        """Render the current figure in Python (imports vl_convert lazily: slow the first time).

        For scripts and tests; in the page, the export buttons are cheaper.
        """
        import vl_convert as vlc

        spec = self.current_spec()
        if fmt == "svg":
            return vlc.vegalite_to_svg(spec, vl_version=_vl_version())
        if fmt == "png":
            return vlc.vegalite_to_png(spec, vl_version=_vl_version(), scale=scale)
        raise ValueError(f"Unknown image format {fmt!r}; use 'png' or 'svg'.")


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m empathy_explorer.app.charts",
        description="Offline chart JavaScript for Empathy Explorer.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bundle", help="build the offline chart JavaScript bundle (once, with vl_convert)")
    b.add_argument("--force", action="store_true", help="rebuild even if the bundle is up to date")
    sub.add_parser("where", help="print where the bundle lives")
    args = parser.parse_args(argv)
    path = bundle_path()
    if args.command == "where":
        print(path)
        return 0
    if not args.force and path.exists():
        with path.open(encoding="utf-8") as fh:
            if fh.readline().rstrip("\n") == _bundle_header():
                print(f"Offline chart bundle is up to date: {path}")
                return 0
    out = build_bundle(path)
    print(f"Wrote offline chart bundle: {out} ({out.stat().st_size / 1e3:.0f} kB)")
    return 0
