"use strict";
// The stepper page's script. It writes text with textContent only (labels are shown, never run),
// loads nothing, and keeps the step in the URL (#step=24).
(() => {
  const data = JSON.parse(document.getElementById("steps").textContent);
  const ui = data.ui;
  const steps = data.steps;
  const last = steps.length - 1;
  const $ = (id) => document.getElementById(id);
  const graph = $("graph");
  const svg = graph.querySelector("svg");
  const slider = $("slider");
  const READABLE_PX = 18.5; // the current step's smallest text, on screen, at least this big
  const SMALLEST_FONT = 15; // the smallest font in a box, in SVG units (see svg.py)
  const ZOOM = { normal: 1.5, presenter: 2.0 };
  let position = 0;
  let whole = false;
  let presenter = false;
  let timer = null;
  let manual = false; // the user has panned or zoomed since the last step

  // ---- words -----------------------------------------------------------------------------
  $("prev").textContent = "◀ " + ui.previous;
  $("next").textContent = ui.next + " ▶";
  $("speed-word").textContent = ui.speed;
  $("speed-slow").textContent = ui.slow;
  $("speed-normal").textContent = ui.normal;
  $("speed-fast").textContent = ui.fast;
  const keyed = (action, key) => ui.keyed.replace("{action}", action).replace("{key}", key);
  $("whole").textContent = keyed(ui.wholeGraph, "W");
  $("presenter").textContent = keyed(ui.presenter, "P");
  $("jump-word").textContent = ui.jump;
  $("jump").setAttribute("aria-label", ui.jump);
  for (const [label, at] of data.sections) {
    const option = document.createElement("option");
    option.value = String(at);
    option.textContent = label;
    $("jump").appendChild(option);
  }
  $("controls").setAttribute("aria-label", ui.controls);
  graph.setAttribute("aria-label", ui.graph);
  $("explain").setAttribute("aria-label", ui.explanation);
  slider.setAttribute("aria-label", ui.step);
  slider.max = String(last);
  const legend = $("legend");
  const heading = document.createElement("h2");
  heading.textContent = ui.legend;
  heading.style.fontSize = "1em";
  heading.style.margin = "0";
  legend.appendChild(heading);
  const note = document.createElement("p");
  note.textContent = ui.gradNote;
  note.style.margin = "0.3em 0";
  legend.appendChild(note);
  if (ui.sampleNote) {
    const samples = document.createElement("p");
    samples.textContent = ui.sampleNote;
    samples.style.margin = "0.3em 0";
    legend.appendChild(samples);
  }
  const list = document.createElement("ul");
  const NS = "http://www.w3.org/2000/svg";
  for (const [role, shape] of [["input", "input"], ["parameter", "parameter"], ["output", "output"],
                               ["constant", "constant"], ["current", "current"],
                               ["receiving", "receiving"]]) {
    const item = document.createElement("li");
    const swatch = document.createElementNS(NS, "svg");
    swatch.setAttribute("width", "46");
    swatch.setAttribute("height", "30");
    swatch.setAttribute("viewBox", "0 0 46 30");
    swatch.setAttribute("aria-hidden", "true");
    swatch.setAttribute("class", "stepgrad-graph");
    const group = document.createElementNS(NS, "g");
    group.setAttribute("class", shape === "current" ? "box value intermediate current"
      : shape === "receiving" ? "box value intermediate current receiving" : "box value " + shape);
    const rect = (cls, x, y, w, h, rx) => {
      const r = document.createElementNS(NS, "rect");
      for (const [k, v] of Object.entries({ class: cls, x, y, width: w, height: h, rx })) r.setAttribute(k, v);
      group.appendChild(r);
    };
    if (shape === "current" || shape === "receiving") rect("halo", 3, 3, 40, 24, 5);
    rect("shape", 8, 7, 30, 16, shape === "input" ? 7 : 2);
    if (shape === "parameter") rect("inner", 10, 9, 26, 12, 1);
    if (shape === "receiving") rect("changed-bg", 12, 13, 22, 6, 1);
    swatch.appendChild(group);
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(ui[role]));
    list.appendChild(item);
  }
  legend.appendChild(list);

  // ---- text in the drawing ----------------------------------------------------------------
  const boxText = (id, cls) => {
    const box = document.getElementById(id);
    return box ? box.querySelector("text." + cls) : null;
  };
  // Squeeze a text that would overflow its box (or label) in this browser's fonts.
  function fit(text) {
    const holder = text.closest("[data-width]");
    if (!holder) return;
    const room = parseFloat(holder.dataset.width) - 10;
    text.removeAttribute("textLength");
    text.removeAttribute("lengthAdjust");
    if (text.getComputedTextLength() > room) {
      text.setAttribute("textLength", String(room));
      text.setAttribute("lengthAdjust", "spacingAndGlyphs");
    }
  }
  function setText(id, cls, value) {
    const text = boxText(id, cls);
    if (!text) return;
    const shown = data.words[cls] + " " + value;
    if (text.textContent !== shown) {
      text.textContent = shown;
      fit(text);
    }
  }
  graph.querySelectorAll("svg text").forEach(fit);

  // ---- the camera: pan and zoom by the viewBox --------------------------------------------
  const full = svg.viewBox.baseVal;
  const whole0 = { x: full.x, y: full.y, w: full.width, h: full.height };
  let view = { ...whole0 };
  let animation = null;
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const sane = (v) => v && Object.values(v).every(Number.isFinite) && v.w > 0 && v.h > 0;
  function apply(v) {
    if (!sane(v)) return;
    view = v;
    svg.setAttribute("viewBox", `${v.x} ${v.y} ${v.w} ${v.h}`);
  }
  function moveTo(target) {
    if (animation) cancelAnimationFrame(animation);
    if (!sane(target)) {
      document.body.dataset.moving = "0"; // not laid out yet (a hidden iframe): wait for resize
      return;
    }
    const from = { ...view };
    if (reduced) {
      apply(target);
      document.body.dataset.moving = "0";
      return;
    }
    document.body.dataset.moving = "1";
    const start = performance.now();
    const frame = (now) => {
      const t = Math.min(1, (now - start) / 220);
      const e = 1 - Math.pow(1 - t, 3); // ease-out: most of the way in the first 100 ms
      apply({
        x: from.x + (target.x - from.x) * e, y: from.y + (target.y - from.y) * e,
        w: from.w + (target.w - from.w) * e, h: from.h + (target.h - from.h) * e,
      });
      if (t < 1) animation = requestAnimationFrame(frame);
      else { animation = null; document.body.dataset.moving = "0"; }
    };
    animation = requestAnimationFrame(frame);
  }
  // The graph area on screen, and the margin kept clear inside it (px): what the camera frames
  // stays that far from the toolbar, the panel and the window's edges.
  function area() {
    const W = graph.clientWidth, H = graph.clientHeight;
    return { W, H, m: Math.max(12, Math.min(40, 0.025 * Math.min(W, H))) };
  }
  // The viewBox that shows region r (in SVG units) at zoom z (screen px per unit), centred,
  // with the same aspect ratio as the graph area (so preserveAspectRatio changes nothing).
  function framing(r, z) {
    const { W, H } = area();
    if (!(W > 0 && H > 0 && z > 0)) return null; // not laid out yet: moveTo waits for a resize
    const w = W / z, h = H / z;
    return { x: r.x + r.w / 2 - w / 2, y: r.y + r.h / 2 - h / 2, w, h };
  }
  // The largest zoom at which region r fits inside the graph area, margins kept clear.
  function fitting(r) {
    const { W, H, m } = area();
    return Math.min((W - 2 * m) / r.w, (H - 2 * m) / r.h);
  }
  const readable = () => (presenter ? ZOOM.presenter : ZOOM.normal);
  const wholeView = () => framing(whole0, fitting(whole0));
  function region(ids) {
    let box = null;
    for (const id of ids) {
      const e = document.getElementById(id);
      if (!e) continue;
      const b = e.getBBox();
      const pad = 10; // the halo (7 units) around a current box, and a little air
      const r = { x: b.x - pad, y: b.y - pad, w: b.width + 2 * pad, h: b.height + 2 * pad };
      if (!box) box = r;
      else {
        const x = Math.min(box.x, r.x), y = Math.min(box.y, r.y);
        box = { x, y, w: Math.max(box.x + box.w, r.x + r.w) - x, h: Math.max(box.y + box.h, r.y + r.h) - y };
      }
    }
    return box;
  }
  // The start and the end show the whole graph when it is readable whole. Otherwise they frame
  // as much of their list as is readable: the first computation and then the leaves (start),
  // the last step and then the leaves (end; the table lists every gradient).
  function follow(ids, { overview = false } = {}) {
    // Projected full screen, text of 18.5 px on a 1920-px-wide page is as big as text of
    // 12.3 px on a 1280-px one: the whole-graph views judge readability by that.
    const least = (READABLE_PX * Math.min(1, innerWidth / 1920)) / SMALLEST_FONT;
    if (whole || (overview && fitting(whole0) >= least)) {
      moveTo(wholeView());
      return;
    }
    let r = region(ids.slice(0, 1));
    if (overview) {
      for (const id of ids.slice(1)) {
        const wider = region([id]) && r ? region([...ids.slice(0, 1), id]) : null;
        if (!wider) continue;
        const both = unite(r, wider);
        if (fitting(both) >= least) r = both;
      }
    } else r = region(ids);
    if (!r) { moveTo(wholeView()); return; }
    // Readable if it fits; the whole region in view comes first otherwise.
    const z = Math.min(Math.max(readable(), READABLE_PX / SMALLEST_FONT), fitting(r));
    moveTo(framing(r, z));
  }
  function unite(a, b) {
    const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
    return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
  }
  function focusOf(position) {
    const s = steps[position];
    if (s.kind === "start" || s.kind === "end") return { ids: s.view || [], overview: true };
    return { ids: s.focus, overview: false };
  }
  const followStep = () => { const f = focusOf(position); follow(f.ids, f); };

  // ---- showing a step ----------------------------------------------------------------------
  function explain(s) {
    $("title").textContent = s.title;
    $("count").textContent = s.count ? " · " + s.count : "";
    $("subtitle").textContent = s.subtitle || "";
    const dl = $("lines");
    dl.replaceChildren();
    for (const [term, text] of s.lines) {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = text;
      dl.append(dt, dd);
    }
    const table = $("table");
    table.hidden = !s.table;
    if (s.table) {
      const head = table.querySelector("thead tr");
      head.replaceChildren(...s.table.header.map((h) => {
        const th = document.createElement("th");
        th.textContent = h;
        th.scope = "col";
        return th;
      }));
      table.querySelector("tbody").replaceChildren(...s.table.rows.map((row) => {
        const tr = document.createElement("tr");
        for (const cell of row) {
          const td = document.createElement("td");
          td.textContent = cell;
          tr.appendChild(td);
        }
        return tr;
      }));
    }
  }
  function show(target, { moveCamera = true } = {}) {
    position = Math.max(0, Math.min(last, Math.round(Number(target)) || 0));
    slider.value = String(position);
    const s = steps[position];
    // The state of every box after `position` steps, replayed from the start.
    const known = new Set(data.leaves);
    const computed = new Set();
    const grads = {};
    for (let i = 1; i <= position; i++) {
      const t = steps[i];
      if (t.kind === "forward") {
        known.add(t.reveal);
        for (const e of t.edges) computed.add(e);
      } else if (t.kind === "backward") {
        grads[data.output] = grads[data.output] ?? data.seed;
        grads[t.target] = t.grad;
      }
    }
    for (const [id, value] of Object.entries(data.values)) {
      const box = document.getElementById(id);
      if (!box) continue;
      const isKnown = known.has(id);
      box.classList.toggle("pending", !isKnown);
      setText(id, "data", isKnown ? value : "?");
      setText(id, "grad", grads[id] ?? "0");
    }
    svg.querySelectorAll(".edge.input").forEach((e) => e.classList.toggle("unknown", !computed.has(e.id)));
    svg.querySelectorAll(".current, .receiving, .sending").forEach((e) =>
      e.classList.remove("current", "receiving", "sending"));
    svg.querySelectorAll(".badge, .changed-bg").forEach((e) => e.remove());
    svg.querySelectorAll("text.changed").forEach((e) => e.classList.remove("changed"));
    for (const id of s.focus) {
      const e = document.getElementById(id);
      if (e) e.classList.add("current");
    }
    // What just changed: the box that receives the new number (its line boxed, bold, and a
    // "=" or "+=" badge beside it) is told apart from the box the gradient comes from.
    if (s.kind === "forward") mark(s.reveal, "data", "=");
    if (s.kind === "backward") {
      if (s.source !== s.target) document.getElementById(s.source)?.classList.add("sending");
      mark(s.target, "grad", "+=");
    }
    explain(s);
    $("counter").textContent = position + " / " + last;
    slider.setAttribute("aria-valuetext", position + " / " + last + ": " + s.title);
    try { history.replaceState(null, "", "#step=" + position); } catch (error) { /* srcdoc */ }
    manual = false;
    let section = 0;
    data.sections.forEach(([_label, at], i) => { if (at <= position) section = i; });
    $("jump").selectedIndex = section;
    if (moveCamera) followStep();
    if (position === last) stop();
  }
  const step = (delta) => show(position + delta);
  // Page Down / Page Up: the first step of the next (previous) part, a part being the steps of
  // one box (of one sample, in a collapsed network).
  function jumpPart(delta) {
    const here = steps[position].part;
    let i = position + delta;
    while (i > 0 && i < last && steps[i].part === here) i += delta;
    if (delta < 0) while (i > 0 && steps[i - 1].part === steps[i].part) i -= 1;
    show(i);
  }
  function mark(id, cls, sign) {
    const box = document.getElementById(id);
    if (!box) return;
    box.classList.add("receiving");
    const text = box.querySelector("text." + cls) || box.querySelector("text");
    if (!text) return;
    text.classList.add("changed");
    const shape = box.querySelector(".shape").getBBox();
    const t = text.getBBox();
    const bg = document.createElementNS(NS, "rect");
    for (const [k, v] of Object.entries({ class: "changed-bg", x: shape.x + 3, y: t.y - 1,
                                          width: shape.width - 6, height: t.height + 2, rx: 3 }))
      bg.setAttribute(k, v);
    text.before(bg);
    const badge = document.createElementNS(NS, "g");
    badge.setAttribute("class", "badge");
    badge.setAttribute("aria-hidden", "true");
    const w = 16 + 11 * sign.length, h = 26;
    const x = shape.x - w / 2 - 2, y = shape.y - h / 2 - 2; // on the box's top left corner
    const r = document.createElementNS(NS, "rect");
    for (const [k, v] of Object.entries({ x, y, width: w, height: h, rx: 13 })) r.setAttribute(k, v);
    const label = document.createElementNS(NS, "text");
    for (const [k, v] of Object.entries({ x: x + w / 2, y: y + h / 2 })) label.setAttribute(k, v);
    label.textContent = sign;
    badge.append(r, label);
    box.appendChild(badge);
  }

  // ---- play ----------------------------------------------------------------------------------
  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    $("play").textContent = "▶ " + keyed(ui.play, ui.space);
    $("play").setAttribute("aria-pressed", "false");
  }
  function play() {
    if (position === last) show(0);
    timer = setInterval(() => step(1), Number($("speed").value));
    $("play").textContent = "⏸ " + keyed(ui.pause, ui.space);
    $("play").setAttribute("aria-pressed", "true");
  }
  const toggle = () => (timer ? stop() : play());
  $("speed").addEventListener("change", () => { if (timer) { stop(); play(); } });

  // ---- modes ---------------------------------------------------------------------------------
  function setWhole(on) {
    whole = on;
    $("whole").setAttribute("aria-pressed", String(on));
    followStep();
  }
  function setPresenter(on) {
    presenter = on;
    document.body.classList.toggle("presenter", on);
    $("presenter").setAttribute("aria-pressed", String(on));
    requestAnimationFrame(followStep);
  }

  // ---- input ---------------------------------------------------------------------------------
  $("prev").addEventListener("click", () => step(-1));
  $("next").addEventListener("click", () => step(1));
  $("play").addEventListener("click", toggle);
  $("whole").addEventListener("click", () => setWhole(!whole));
  $("presenter").addEventListener("click", () => setPresenter(!presenter));
  slider.addEventListener("input", () => show(slider.value));
  $("jump").addEventListener("change", () => show($("jump").value));
  // Keys are taken before anything else sees them (capture), so a focused slider, select or
  // button does not also act on them: each press moves exactly one step.
  const KEYS = {
    ArrowRight: () => step(1), ArrowLeft: () => step(-1),
    Home: () => show(0), End: () => show(last),
    PageDown: () => jumpPart(1), PageUp: () => jumpPart(-1),
    " ": toggle, w: () => setWhole(!whole), W: () => setWhole(!whole),
    p: () => setPresenter(!presenter), P: () => setPresenter(!presenter),
  };
  window.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const action = KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  }, true);
  window.addEventListener("keyup", (event) => {
    if (event.key === " ") { event.preventDefault(); event.stopPropagation(); }
  }, true);
  window.addEventListener("hashchange", () => {
    const wanted = /step=(\d+)/.exec(location.hash);
    if (wanted && Number(wanted[1]) !== position) show(Number(wanted[1]));
  });
  // Wheel zoom around the pointer, drag to pan.
  graph.addEventListener("wheel", (event) => {
    event.preventDefault();
    const rect = graph.getBoundingClientRect();
    const fx = (event.clientX - rect.left) / rect.width, fy = (event.clientY - rect.top) / rect.height;
    const factor = Math.exp(event.deltaY * 0.0015);
    const w = view.w * factor, h = view.h * factor;
    manual = true;
    apply({ x: view.x + (view.w - w) * fx, y: view.y + (view.h - h) * fy, w, h });
  }, { passive: false });
  let drag = null;
  graph.addEventListener("pointerdown", (event) => {
    drag = { x: event.clientX, y: event.clientY, view: { ...view } };
    graph.setPointerCapture(event.pointerId);
    graph.classList.add("dragging");
  });
  graph.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const scale = view.w / graph.clientWidth;
    manual = true;
    apply({ ...drag.view, x: drag.view.x - (event.clientX - drag.x) * scale, y: drag.view.y - (event.clientY - drag.y) * scale });
  });
  const endDrag = () => { drag = null; graph.classList.remove("dragging"); };
  graph.addEventListener("pointerup", endDrag);
  graph.addEventListener("pointercancel", endDrag);
  window.addEventListener("resize", () => { if (!manual) followStep(); });

  stop();
  const start = /step=(\d+)/.exec(location.hash);
  moveTo(wholeView());
  show(start ? Number(start[1]) : 0);
})();
