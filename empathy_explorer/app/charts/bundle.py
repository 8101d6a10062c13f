"""The offline chart JavaScript: built once, carried to the browser once per page.

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

1. **In-place data updates**: :meth:`~empathy_explorer.app.charts.panel.ChartPanel.update_data` sends only
   the new rows of a named dataset and the browser calls ``view.data(name, rows)``: no Vega-Lite
   recompilation, no re-embedding. This is what keeps a slider step well under 100 ms.
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
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import logging
import os
from pathlib import Path
from typing import Any

import altair as alt
import anywidget
import ipywidgets as widgets
import traitlets

from empathy_explorer.app.charts.theme import register_theme

__all__ = [
    "BUNDLE_GLOBAL",
    "ChartBundle",
    "OfflineChart",
    "build_bundle",
    "bundle_carrier",
    "bundle_key",
    "bundle_path",
    "enable_offline",
    "main",
    "stub_esm",
    "vl_version",
]

log = logging.getLogger(__name__)


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


def vl_version() -> str:
    """The Vega-Lite version Altair writes, as vl_convert names it."""
    return "_".join(alt.SCHEMA_VERSION.split(".")[:2])  # 'v5.20.1' -> 'v5_20'


def _bundle_header() -> str:
    """Identifies the inputs of the bundle, so a stale file is rebuilt (cheap: no vl_convert import)."""
    try:
        vlc_version = importlib.metadata.version("vl-convert-python")
    except importlib.metadata.PackageNotFoundError:
        vlc_version = "missing"
    digest = hashlib.sha256(_snippet().encode()).hexdigest()[:16]
    return f"{_HEADER_PREFIX}altair={alt.__version__} vl-convert={vlc_version} vl={vl_version()} src={digest}"


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
    js = vlc.javascript_bundle(_snippet(), vl_version=vl_version())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(_bundle_header() + "\n" + js, encoding="utf-8")
    tmp.replace(path)
    return path


def _current_bundle(path: Path) -> str | None:
    """The JavaScript of the bundle at ``path`` if it exists and was built from today's inputs, else None."""
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        return fh.read() if fh.readline().rstrip("\n") == _bundle_header() else None


def _load_bundle() -> str:
    path = bundle_path()
    js = _current_bundle(path)
    if js is not None:
        return js
    if path.exists():
        log.warning("Offline chart bundle %s is stale; rebuilding it with vl_convert.", path)
    else:
        log.warning("Offline chart bundle %s is missing; building it with vl_convert (once).", path)
    try:
        build_bundle(path)
    except OSError:  # read-only location: build in memory
        import vl_convert as vlc

        return vlc.javascript_bundle(_snippet(), vl_version=vl_version())
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
    if (typeof model.get !== "function" || typeof model.on !== "function") { return () => {}; }
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
    register_theme()
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


def main(argv: list[str] | None = None) -> int:
    """The command line: ``python -m empathy_explorer.app.charts bundle [--force]`` builds the bundle
    (unless it is up to date), ``… where`` prints where it lives."""
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
    if not args.force and _current_bundle(path) is not None:
        print(f"Offline chart bundle is up to date: {path}")
        return 0
    out = build_bundle(path)
    print(f"Wrote offline chart bundle: {out} ({out.stat().st_size / 1e3:.0f} kB)")
    return 0
