// Empathy Explorer: the capture widget of page 08 (mirror game and joint tapping). Offline, no imports.
//
// Motion is drawn here at screen rate; nothing travels to the kernel during a round. What is recorded is
// an event log with times from the round's start (performance.now(), ms): for each player, key changes
// ["v", direction] and pointer positions ["p", position]. The kernel rebuilds the 50-Hz samples from it
// (empathy_explorer.games.capture.positions_from_events, the same rule as positionAt below), so the data do
// not depend on how often the browser drew a frame. Taps are logged as times. When a round ends, one
// message {type: "ee-round", ...} goes to the kernel.

const SPEED = 0.6; // track lengths per second while a key is held (the kernel uses the same number)
const KEYS = {
  a: { up: ["w", "W"], down: ["s", "S"], tap: ["f", "F"] },
  b: { up: ["ArrowUp"], down: ["ArrowDown"], tap: ["j", "J"] },
};
const MIN_WIDTH_PX = 260;
const MIN_HEIGHT_PX = 260;
const HELD_WARN_MS = 8000;

function clip(x) {
  return Math.min(1, Math.max(0, x));
}

// Position at time t (ms) from an event log, starting at 0.5 at rest: the kernel's rule.
function positionAt(events, t) {
  let pos = 0.5;
  let v = 0;
  let last = 0;
  for (const [te, type, value] of events) {
    if (te > t) break;
    pos = clip(pos + (v * SPEED * (te - last)) / 1000);
    last = te;
    if (type === "v") v = value;
    else if (type === "p") pos = clip(value);
  }
  return clip(pos + (v * SPEED * (t - last)) / 1000);
}

function el(tag, cls, attrs = {}, text = "") {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

function render({ model, el: host }) {
  const root = el("div", "ee-capture", {
    role: "group",
    tabindex: "0",
    "aria-label": "Game area. Player A: W and S keys (tap: F). Player B: arrow up and down (tap: J).",
  });
  const status = el("p", "ee-capture-status", { role: "status", "aria-live": "polite" });
  const timer = el("span", "ee-capture-timer", { "aria-hidden": "true" });
  const bar = el("div", "ee-capture-bar");
  const start = el("button", "ee-capture-start", { type: "button" }, "Start round");
  const stop = el("button", "ee-capture-stop", { type: "button" }, "Stop");
  stop.disabled = true;
  bar.append(start, stop, timer);

  const stage = el("div", "ee-capture-stage");
  const tracks = {};
  for (const who of ["a", "b"]) {
    const track = el("div", `ee-track ee-track-${who}`);
    const handle = el("div", `ee-handle ee-handle-${who}`, {
      role: "slider",
      tabindex: "-1",
      "aria-valuemin": "0",
      "aria-valuemax": "100",
      "aria-valuenow": "50",
    });
    const label = el("div", "ee-track-label", { "aria-hidden": "true" });
    track.append(handle, label);
    tracks[who] = { track, handle, label };
    stage.append(track);
  }
  const pad = el("div", "ee-tap-pad");
  const pads = {};
  for (const who of ["a", "b"]) {
    const half = el("button", `ee-tap ee-tap-${who}`, { type: "button" });
    pads[who] = half;
    pad.append(half);
  }
  const metro = el("div", "ee-metronome", { "aria-hidden": "true" }, "●");
  root.append(status, bar, stage, pad, metro);
  host.append(root);

  let st = null; // state of the round under way
  let raf = 0;
  let ticker = 0;
  let timers = [];

  const isTap = () => model.get("mode") === "tap";
  const kind = () => model.get("kind");
  const virtualB = () => ["mirror_solo_follow", "mirror_solo_lead", "tap_solo"].includes(kind());

  function say(text) {
    status.textContent = text;
  }

  function tooSmall() {
    const w = root.clientWidth || window.innerWidth;
    return w < MIN_WIDTH_PX || window.innerHeight < MIN_HEIGHT_PX;
  }

  function labels() {
    const names = model.get("labels") || {};
    const a = names.a || "Player A";
    const b = names.b || "Player B";
    tracks.a.handle.setAttribute("aria-label", `${a} handle`);
    tracks.b.handle.setAttribute("aria-label", `${b} handle`);
    tracks.a.label.textContent = a;
    tracks.b.label.textContent = b;
    pads.a.textContent = `${a}: tap here or press F`;
    pads.b.textContent = virtualB() ? `${b} (computer)` : `${b}: tap here or press J`;
    pads.b.disabled = virtualB();
    stage.hidden = isTap();
    pad.hidden = !isTap();
    metro.hidden = !isTap();
  }

  function draw(who, pos) {
    const h = tracks[who].handle;
    h.style.bottom = `calc(${(pos * 100).toFixed(2)}% - ${pos * 44}px)`;
    h.setAttribute("aria-valuenow", String(Math.round(pos * 100)));
  }

  function now() {
    return st ? performance.now() - st.t0 : 0;
  }

  function virtualPos(t) {
    if (kind() === "mirror_solo_follow") {
      const path = model.get("leader_path") || [];
      if (!path.length) return 0.5;
      const x = (t / 1000) * model.get("fs_hz");
      const i = Math.min(Math.max(Math.floor(x), 0), path.length - 1);
      const j = Math.min(i + 1, path.length - 1);
      return path[i] + (path[j] - path[i]) * Math.min(Math.max(x - i, 0), 1);
    }
    const f = model.get("follower") || {};
    const d = f.delay_ms ?? 300;
    const g = f.gain ?? 1;
    const past = t - d < 0 ? 0 : t - d;
    return clip(0.5 + g * (positionAt(st.events.a, past) - 0.5));
  }

  function frame() {
    if (!st || !st.running) return;
    const t = now();
    draw("a", positionAt(st.events.a, t));
    draw("b", virtualB() ? virtualPos(t) : positionAt(st.events.b, t));
    const left = Math.max(0, st.planned_ms - t);
    timer.textContent = `${Math.ceil(left / 1000)} s left`;
    raf = requestAnimationFrame(frame);
  }

  function log(who, type, value) {
    if (!st || !st.running) return;
    st.events[who].push([now(), type, value]);
  }

  function keyDir(who) {
    const k = st.keys[who];
    return (k.up ? 1 : 0) - (k.down ? 1 : 0);
  }

  function flash(node) {
    node.classList.add("ee-flash");
    setTimeout(() => node.classList.remove("ee-flash"), 90);
  }

  let audio = null;
  function click() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const o = audio.createOscillator();
      const g = audio.createGain();
      g.gain.value = 0.15;
      o.frequency.value = 1000;
      o.connect(g).connect(audio.destination);
      o.start();
      o.stop(audio.currentTime + 0.03);
    } catch (e) {
      /* no sound: the visual beat is enough */
    }
  }

  function tap(who) {
    if (!st || !st.running || !isTap()) return;
    if (who === "b" && virtualB()) return;
    st.taps[who].push(now());
    st.input = st.input || "keys";
    flash(pads[who]);
  }

  function scheduleMetronome() {
    const m = model.get("metronome") || {};
    const period = m.period_ms || 0;
    if (!period) return;
    const beats = m.beats || Math.floor((st.planned_ms - 1000) / period) + 1;
    for (let k = 0; k < beats; k++) {
      const at = 1000 + k * period;
      if (at >= st.planned_ms) break;
      st.metronome.push(at);
      timers.push(setTimeout(() => { flash(metro); click(); }, at));
    }
  }

  function scheduleTapper(at) {
    // The virtual tapper taps at `at`; half a period later it corrects its next tap (kernel: virtual_tapper).
    const tp = model.get("tapper") || {};
    const period = tp.period_ms || 600;
    const alpha = tp.alpha ?? 0.5;
    if (at >= st.planned_ms) return;
    timers.push(setTimeout(() => {
      if (!st || !st.running) return;
      st.taps.b.push(at);
      flash(pads.b);
    }, Math.max(0, at - now())));
    timers.push(setTimeout(() => {
      if (!st || !st.running) return;
      let asyn = 0;
      let best = Infinity;
      for (const a of st.taps.a) {
        if (Math.abs(a - at) < best) { best = Math.abs(a - at); asyn = at - a; }
      }
      if (best > period / 2) asyn = 0;
      scheduleTapper(at + period - alpha * asyn);
    }, Math.max(0, at + period / 2 - now())));
  }

  function begin() {
    if (st && (st.running || st.counting)) return;
    if (tooSmall()) {
      say("This window is too small to play. Make the window bigger or turn your phone sideways, then press Start round.");
      return;
    }
    labels();
    const planned = Math.round(model.get("duration_s") * 1000);
    st = {
      counting: true, running: false, t0: 0, planned_ms: planned,
      events: { a: [], b: [] }, keys: { a: { up: false, down: false }, b: { up: false, down: false } },
      held: { a: 0, b: 0 }, pressed_at: {}, taps: { a: [], b: [] }, metronome: [],
      hidden_ms: 0, hidden_at: null, max_gap_ms: 0, last_tick: 0, input: "",
    };
    draw("a", 0.5);
    draw("b", 0.5);
    start.disabled = true;
    stop.disabled = false;
    root.focus();
    let n = 3;
    say(`Get ready: ${n}`);
    const count = () => {
      n -= 1;
      if (!st) return;
      if (n > 0) { say(`Get ready: ${n}`); timers.push(setTimeout(count, 1000)); return; }
      st.counting = false;
      st.running = true;
      st.t0 = performance.now();
      st.last_tick = st.t0;
      say(isTap() ? "Go! Tap together." : "Go! Move together.");
      model.set("state", "running");
      model.save_changes();
      if (isTap()) {
        scheduleMetronome();
        if (kind() === "tap_solo") scheduleTapper(1000);
      }
      raf = requestAnimationFrame(frame);
      ticker = setInterval(tick, 100);
    };
    timers.push(setTimeout(count, 1000));
    model.set("state", "countdown");
    model.save_changes();
  }

  function tick() {
    if (!st || !st.running) return;
    const p = performance.now();
    st.max_gap_ms = Math.max(st.max_gap_ms, p - st.last_tick);
    st.last_tick = p;
    for (const who of ["a", "b"]) {
      for (const key of ["up", "down"]) {
        const since = st.pressed_at[`${who}${key}`];
        if (since !== undefined && now() - since > HELD_WARN_MS) {
          say(`Player ${who.toUpperCase()}: a key has been held for ${Math.round((now() - since) / 1000)} s. Let go and move both ways.`);
        }
      }
    }
    if (now() >= st.planned_ms) finish(false);
  }

  function finish(stopped) {
    if (!st) return;
    if (st.counting) {
      for (const t of timers) clearTimeout(t);
      timers = [];
      st = null;
      start.disabled = false;
      stop.disabled = true;
      say("Round cancelled before it started. Press Start round when you are ready.");
      model.set("state", "idle");
      model.save_changes();
      return;
    }
    if (!st.running) return;
    const end = Math.min(now(), st.planned_ms);
    st.running = false;
    cancelAnimationFrame(raf);
    clearInterval(ticker);
    for (const t of timers) clearTimeout(t);
    timers = [];
    if (st.hidden_at !== null) st.hidden_ms += performance.now() - st.hidden_at;
    for (const [k, since] of Object.entries(st.pressed_at)) {
      st.held[k[0]] = Math.max(st.held[k[0]], end - since);
    }
    const msg = {
      type: "ee-round",
      kind: kind(),
      mode: model.get("mode"),
      planned_ms: st.planned_ms,
      elapsed_ms: end,
      stopped_early: stopped,
      hidden_ms: st.hidden_ms,
      max_gap_ms: st.max_gap_ms,
      held_ms: st.held,
      events_a: st.events.a,
      events_b: st.events.b,
      taps_a: st.taps.a,
      taps_b: st.taps.b,
      metronome_ms: st.metronome,
      input: st.input || "none",
      speed: SPEED,
      width_px: root.clientWidth,
      sent_at: Date.now(),
    };
    st = null;
    start.disabled = false;
    stop.disabled = true;
    timer.textContent = "";
    say("Round over. Analysing…");
    model.set("state", "done");
    model.save_changes();
    model.send(msg);
  }

  function onKey(e, down) {
    if (!st || !st.running) return;
    for (const who of ["a", "b"]) {
      const keys = KEYS[who];
      if (isTap()) {
        if (down && !e.repeat && keys.tap.includes(e.key)) { e.preventDefault(); tap(who); }
        continue;
      }
      if (who === "b" && virtualB()) continue;
      for (const dir of ["up", "down"]) {
        if (!keys[dir].includes(e.key)) continue;
        e.preventDefault();
        if (e.repeat) return; // the operating system's key repeat: the key is still down
        if (st.keys[who][dir] === down) return;
        st.keys[who][dir] = down;
        const id = `${who}${dir}`;
        if (down) st.pressed_at[id] = now();
        else {
          st.held[who] = Math.max(st.held[who], now() - st.pressed_at[id]);
          delete st.pressed_at[id];
        }
        st.input = st.input || "keys";
        log(who, "v", keyDir(who));
      }
    }
  }
  root.addEventListener("keydown", (e) => onKey(e, true));
  root.addEventListener("keyup", (e) => onKey(e, false));

  // Pointer: each track follows its own pointers (multi-touch: one finger per track; mouse: one handle).
  for (const who of ["a", "b"]) {
    const track = tracks[who].track;
    const move = (e) => {
      if (!st || !st.running || (who === "b" && virtualB())) return;
      const r = track.getBoundingClientRect();
      const pos = clip(1 - (e.clientY - r.top) / r.height);
      st.input = e.pointerType === "touch" ? "touch" : st.input || "mouse";
      log(who, "p", pos);
    };
    track.addEventListener("pointerdown", (e) => {
      if (!st || !st.running) return;
      e.preventDefault();
      try { track.setPointerCapture(e.pointerId); } catch (err) { /* synthetic pointers */ }
      track.dataset.pointer = String(e.pointerId);
      move(e);
    });
    track.addEventListener("pointermove", (e) => {
      if (track.dataset.pointer === String(e.pointerId)) move(e);
    });
    const up = (e) => {
      if (track.dataset.pointer === String(e.pointerId)) delete track.dataset.pointer;
    };
    track.addEventListener("pointerup", up);
    track.addEventListener("pointercancel", up);
    pads[who].addEventListener("pointerdown", (e) => {
      e.preventDefault();
      if (st && st.running) st.input = e.pointerType === "touch" ? "touch" : "mouse";
      tap(who);
    });
  }

  const onVisibility = () => {
    if (!st || !st.running) return;
    if (document.hidden) st.hidden_at = performance.now();
    else if (st.hidden_at !== null) {
      st.hidden_ms += performance.now() - st.hidden_at;
      st.hidden_at = null;
    }
  };
  document.addEventListener("visibilitychange", onVisibility);

  start.addEventListener("click", begin);
  stop.addEventListener("click", () => finish(true));
  const onChange = () => {
    labels();
    if (!st) say(model.get("message") || "Press Start round (or Enter) to begin.");
  };
  model.on("change:kind", onChange);
  model.on("change:mode", onChange);
  model.on("change:labels", onChange);
  model.on("change:message", () => say(model.get("message")));
  root.addEventListener("keydown", (e) => {
    if (!st && e.key === "Enter" && e.target === root) { e.preventDefault(); begin(); }
  });
  labels();
  say(model.get("message") || "Press Start round (or Enter) to begin.");
  draw("a", 0.5);
  draw("b", 0.5);
  host.eeCapture = { begin, finish: () => finish(true), positionAt, root };
  return () => {
    document.removeEventListener("visibilitychange", onVisibility);
    cancelAnimationFrame(raf);
    clearInterval(ticker);
    for (const t of timers) clearTimeout(t);
  };
}

export default { render };
