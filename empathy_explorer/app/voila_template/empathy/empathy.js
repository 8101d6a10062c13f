/* Empathy Explorer's page script (included inline by index.html.j2; runs before Voilà's own script).

   1. Accessible names and values for the widgets ipywidgets draws without them (WCAG 4.1.2):
      - slider handles are named by their visible label (aria-labelledby) and announce their value with
        its unit (aria-valuetext "30 seconds"; the unit comes from the label's brackets, "Window (s)");
      - drop-downs and toggle-button groups are named by their visible label;
      - a quiz's options form a radio group named by its question; quiz feedback and takeaways are polite
        live regions, so a screen reader reads the answer's explanation and the chart's new takeaway.
   2. Loading: "Starting your page" with the progress of the page's cells, instead of a bare spinner.
   3. A lost kernel (Binder's idle shutdown, a crash): a message with a reload button, instead of widgets
      that silently stop answering.
   Plain DOM code, no library, nothing from another machine. */
(function () {
  "use strict";

  var UNIT_WORDS = {
    s: ["second", "seconds"], ms: ["millisecond", "milliseconds"], min: ["minute", "minutes"],
    h: ["hour", "hours"], Hz: ["hertz", "hertz"], bpm: ["beat per minute", "beats per minute"],
    "µS": ["microsiemens", "microsiemens"], "%": ["percent", "percent"], mm: ["millimetre", "millimetres"],
    "°": ["degree", "degrees"]
  };
  var uid = 0;

  function ensureId(el, prefix) {
    if (!el.id) { uid += 1; el.id = prefix + "-" + uid; }
    return el.id;
  }

  /* "Delay of the fast route (ms)" -> "ms"; "(0–1)" or other non-units -> "" */
  function unitOf(label) {
    var m = /\(([^()]*)\)\s*:?\s*$/.exec(label || "");
    if (!m) { return ""; }
    var unit = m[1].trim();
    if (/^[0-9.,\s–\-−+]+$/.test(unit) || /\d\s*[–\-]\s*\d/.test(unit)) { return ""; }
    return unit;
  }

  /* The value as the slider's readout shows it ("0.47"): noUiSlider rounds aria-valuenow to one
     decimal, so for fine steps the readout is the only exact value in the page. */
  function valueText(value, shown, unit) {
    var text = /^-?[0-9]+([.,][0-9]+)?$/.test(shown || "") ? shown : String(value);
    var num = Number(text.replace(",", "."));
    if (!unit) { return text; }
    var words = UNIT_WORDS[unit];
    if (!words) { return text + " " + unit; }
    return text + " " + (Math.abs(num) === 1 ? words[0] : words[1]);
  }

  function describeSlider(box) {
    var label = box.querySelector(":scope > .widget-label");
    var handles = box.querySelectorAll(".noUi-handle");
    if (!label || !handles.length) { return; }
    var labelId = ensureId(label, "ee-label");
    var unit = unitOf(label.textContent);
    var readout = box.querySelector(".widget-readout");
    handles.forEach(function (handle) {
      if (handle.getAttribute("aria-labelledby") !== labelId) {
        handle.setAttribute("aria-labelledby", labelId);
        handle.removeAttribute("aria-label");
      }
      var now = handle.getAttribute("aria-valuenow");
      if (now === null) { return; }
      var text = valueText(now, readout ? readout.textContent.trim() : now, unit);
      if (handle.getAttribute("aria-valuetext") !== text) { handle.setAttribute("aria-valuetext", text); }
    });
    if (readout && !readout.getAttribute("aria-labelledby")) {
      readout.setAttribute("aria-labelledby", labelId);
    }
  }

  function nameByLabel(box, selector) {
    var label = box.querySelector(":scope > .widget-label");
    var control = box.querySelector(selector);
    if (!label || !control || !label.textContent.trim()) { return; }
    var labelId = ensureId(label, "ee-label");
    if (control.getAttribute("aria-labelledby") !== labelId) { control.setAttribute("aria-labelledby", labelId); }
  }

  function describeQuiz(quiz) {
    var question = quiz.querySelector(".ee-quiz-question");
    var group = quiz.querySelector(".ee-quiz-choices .widget-radio-box") || quiz.querySelector(".ee-quiz-choices");
    if (question && group && group.getAttribute("role") !== "radiogroup") {
      group.setAttribute("role", "radiogroup");
      group.setAttribute("aria-labelledby", ensureId(question, "ee-question"));
    }
  }

  function liveRegion(el) {
    if (el.getAttribute("aria-live") !== "polite") {
      el.setAttribute("aria-live", "polite");
      el.setAttribute("aria-atomic", "true");
    }
  }

  function enhance(root) {
    if (!root || !root.querySelectorAll) { return; }
    /* ipywidgets writes title="null" on labels without a tooltip: a hover would show "null" */
    root.querySelectorAll('.widget-label[title="null"]').forEach(function (l) { l.removeAttribute("title"); });
    root.querySelectorAll(".widget-slider").forEach(describeSlider);
    root.querySelectorAll(".widget-dropdown").forEach(function (b) { nameByLabel(b, "select"); });
    root.querySelectorAll(".widget-text, .widget-textarea").forEach(function (b) { nameByLabel(b, "input, textarea"); });
    root.querySelectorAll(".widget-toggle-buttons").forEach(function (b) {
      var group = b.querySelector(".widget-toggle-buttons > div, .widget-toggle-button-group") || null;
      if (group) { group.setAttribute("role", "group"); nameByLabel(b, ".widget-toggle-buttons > div, .widget-toggle-button-group"); }
    });
    root.querySelectorAll(".ee-quiz").forEach(describeQuiz);
    root.querySelectorAll(".ee-quiz-feedback, .ee-takeaway").forEach(liveRegion);
  }

  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; enhance(document.getElementById("rendered_cells")); });
  }

  function watchWidgets() {
    var cells = document.getElementById("rendered_cells");
    if (!cells) { return; }
    new MutationObserver(schedule).observe(cells, {
      subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-valuenow"]
    });
    schedule();
  }

  /* ---- loading ----------------------------------------------------------------------------------- */
  window.ee_loading_progress = function (cellIndex, cellCount) {
    var el = document.getElementById("loading_text");
    if (el) { el.textContent = "Preparing part " + cellIndex + " of " + cellCount + "…"; }
  };

  /* ---- a lost kernel --------------------------------------------------------------------------------
     A kernel shut down by the server (Binder's idle culling) often leaves the page's websocket open and
     "idle": widgets simply stop answering. So when the student acts on the page (a click, a key, a
     touch, or coming back to the tab), the page asks the kernel for its info; no answer within
     ANSWER_MS while the kernel is not busy means it is gone. The page never pings on its own: a timer
     would keep idle kernels alive and defeat the culling that frees a classroom's memory. A kernel that
     reports "dead" or restarts (a new kernel has none of the page's widgets), or a connection that stays
     down, is also shown at once. */
  var ANSWER_MS = 8000;
  var CHECK_EVERY_MS = 5000;
  var LOST_AFTER_MS = 8000;
  var downSince = null;
  var lastCheck = 0;

  function showKernelLost(reason) {
    var box = document.getElementById("ee-kernel-lost");
    if (!box || !box.hidden) { return; }
    box.hidden = false;
    box.setAttribute("data-reason", reason);
    var button = box.querySelector("button");
    if (button) { button.focus(); }
  }

  function kernelOf() {
    var app = window.jupyterapp;
    var manager = app && app.widgetManager;
    return (manager && (manager.kernel || manager._kernel)) || null;
  }

  function checkStatus() {
    var kernel = kernelOf();
    if (!kernel) { return null; }
    var status = kernel.status;
    if (kernel.isDisposed || status === "dead" || status === "restarting" || status === "autorestarting") {
      showKernelLost("kernel " + (kernel.isDisposed ? "disposed" : status));
      return null;
    }
    if (kernel.connectionStatus && kernel.connectionStatus !== "connected") {
      if (downSince === null) { downSince = Date.now(); }
      if (Date.now() - downSince > LOST_AFTER_MS || kernel.connectionStatus === "disconnected") {
        showKernelLost("connection " + kernel.connectionStatus);
      }
      return null;
    }
    downSince = null;
    return kernel;
  }

  function askKernel() {
    var kernel = checkStatus();
    if (!kernel || Date.now() - lastCheck < CHECK_EVERY_MS || typeof kernel.requestKernelInfo !== "function") {
      return;
    }
    lastCheck = Date.now();
    var answered = false;
    Promise.resolve(kernel.requestKernelInfo()).then(function () { answered = true; }, function () {});
    window.setTimeout(function () {
      if (!answered && kernel.status !== "busy" && kernel === kernelOf()) { showKernelLost("no answer"); }
    }, ANSWER_MS);
  }

  window.ee_check_kernel = askKernel;

  document.addEventListener("DOMContentLoaded", function () {
    watchWidgets();
    var reload = document.querySelector("#ee-kernel-lost button");
    if (reload) { reload.addEventListener("click", function () { window.location.reload(); }); }
    window.setInterval(checkStatus, 1000);
    ["pointerdown", "keydown", "touchstart"].forEach(function (type) {
      document.addEventListener(type, function (event) {
        if (!event.target.closest || !event.target.closest("#ee-kernel-lost")) { askKernel(); }
      }, true);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { askKernel(); }
    });
  });
})();
