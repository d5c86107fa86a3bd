/* eventwire dashboard: plain JS over the /v1 API; every file is served locally. */
"use strict";

(function () {
  const QUADS = {
    1: { label: "Verbal cooperation", color: "#3f9a6b" },
    2: { label: "Material cooperation", color: "#2f78b7" },
    3: { label: "Verbal conflict", color: "#e09a2d" },
    4: { label: "Material conflict", color: "#c9463d" },
  };
  const ROOTS = [
    "Make public statement", "Appeal", "Express intent to cooperate", "Consult",
    "Engage in diplomatic cooperation", "Engage in material cooperation", "Provide aid",
    "Yield", "Investigate", "Demand", "Disapprove", "Reject", "Threaten", "Protest",
    "Exhibit force posture", "Reduce relations", "Coerce", "Assault", "Fight",
    "Use unconventional mass violence",
  ];
  const PAGE = 50;

  const $ = (sel) => document.querySelector(sel);
  const state = { cursor: null, timeline: null, dyad: null, overview: null, seq: 0 };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function showError(message) {
    const box = $("#error");
    box.textContent = message;
    box.hidden = !message;
  }

  async function api(path, params) {
    const qs = params ? "?" + new URLSearchParams(params).toString() : "";
    const res = await fetch(path + qs, { headers: { Accept: "application/json" } });
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      const msg = body && body.error ? body.error.message : res.statusText;
      throw new Error(msg);
    }
    return body;
  }

  // -- filters --------------------------------------------------------------
  function filterParams() {
    const form = $("#filters");
    const data = new FormData(form);
    const out = {};
    for (const name of ["start", "end", "actor", "side", "cameo_root", "plover", "outlet",
                        "modality", "q"]) {
      const v = (data.get(name) || "").toString().trim();
      if (v) out[name] = v;
    }
    if (!out.actor) delete out.side;
    const quads = data.getAll("quad_class");
    if (quads.length) out.quad_class = quads.join(",");
    return out;
  }

  function pickInterval(params) {
    const chosen = $("#interval").value;
    if (chosen !== "auto") return chosen;
    const ov = state.overview || {};
    const start = new Date(params.start || ov.date_min || "2000-01-01");
    const end = new Date(params.end || ov.date_max || "2000-01-01");
    const days = (end - start) / 86400000;
    if (days > 2 * 365) return "month";
    if (days > 120) return "week";
    return "day";
  }

  // Every period between the first and last, so gaps show as zero, not as nothing.
  function periods(first, last, interval) {
    const out = [];
    const d = new Date(first + "T00:00:00Z");
    const end = new Date(last + "T00:00:00Z");
    for (let i = 0; d <= end && i < 5000; i++) {
      out.push(d.toISOString().slice(0, 10));
      if (interval === "day") d.setUTCDate(d.getUTCDate() + 1);
      else if (interval === "week") d.setUTCDate(d.getUTCDate() + 7);
      else if (interval === "month") d.setUTCMonth(d.getUTCMonth() + 1);
      else d.setUTCFullYear(d.getUTCFullYear() + 1);
    }
    return out;
  }

  function label(period, interval) {
    if (interval === "month") return period.slice(0, 7);
    if (interval === "year") return period.slice(0, 4);
    return period;
  }

  // -- charts ---------------------------------------------------------------
  function baseOptions(stacked) {
    return {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12, font: { size: 11 } } } },
      scales: {
        x: { stacked, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12, font: { size: 11 } } },
        y: { stacked, beginAtZero: true, ticks: { precision: 0, font: { size: 11 } } },
      },
    };
  }

  async function drawTimeline(params, seq) {
    const interval = pickInterval(params);
    const res = await api("/v1/series", { ...params, interval, by: "quad_class" });
    if (seq !== state.seq) return;
    const items = res.items;
    const card = $("#timeline-card");
    const total = items.reduce((s, r) => s + r.count, 0);
    card.dataset.total = String(total);
    card.dataset.interval = interval;
    const labels = items.length ? periods(items[0].period, items[items.length - 1].period, interval) : [];
    const datasets = Object.entries(QUADS).map(([q, meta]) => {
      const byPeriod = new Map(items.filter((r) => r.key === q).map((r) => [r.period, r.count]));
      return { label: meta.label, backgroundColor: meta.color, borderWidth: 0,
               data: labels.map((p) => byPeriod.get(p) || 0) };
    });
    const data = { labels: labels.map((p) => label(p, interval)), datasets };
    if (state.timeline) {
      state.timeline.data = data;
      state.timeline.update();
    } else {
      state.timeline = new Chart($("#timeline"), { type: "bar", data, options: baseOptions(true) });
    }
  }

  async function drawDyad(params, seq) {
    const form = $("#dyad");
    const a = form.a.value.trim().toUpperCase();
    const b = form.b.value.trim().toUpperCase();
    const hint = $("#dyad-hint");
    if (!a || !b) {
      hint.textContent = "Enter two countries (e.g. RUS and UKR).";
      return;
    }
    const shared = { ...params };
    delete shared.actor; delete shared.side;
    const interval = pickInterval(params);
    const res = await api("/v1/series", { ...shared, dyad: `${a},${b}`, interval, by: "direction" });
    if (seq !== state.seq) return;
    const items = res.items;
    const labels = items.length ? periods(items[0].period, items[items.length - 1].period, interval) : [];
    const colors = { [`${a}->${b}`]: "#1f5f99", [`${b}->${a}`]: "#d0622f" };
    const datasets = Object.entries(colors).map(([key, color]) => {
      const byPeriod = new Map(items.filter((r) => r.key === key).map((r) => [r.period, r.goldstein_sum]));
      return { label: `${key.replace("->", " → ")}: Goldstein sum`, backgroundColor: color,
               borderWidth: 0, data: labels.map((p) => (byPeriod.has(p) ? byPeriod.get(p) : 0)) };
    });
    const n = items.reduce((s, r) => s + r.count, 0);
    hint.textContent = n ? `${n} events between ${a} and ${b}` : `No events between ${a} and ${b} for these filters.`;
    $("#dyad-card").dataset.total = String(n);
    const data = { labels: labels.map((p) => label(p, interval)), datasets };
    const opts = baseOptions(false);
    opts.scales.y.ticks.precision = undefined;
    opts.scales.y.grid = { color: (c) => (c.tick && c.tick.value === 0 ? "#9aa7b4" : "#eceff3") };
    if (state.dyad) {
      state.dyad.data = data;
      state.dyad.update();
    } else {
      state.dyad = new Chart($("#dyad-chart"), { type: "bar", data, options: opts });
    }
  }

  // -- map (web/map.js) ----------------------------------------------------
  async function drawMap(params, seq) {
    const res = await api("/v1/events", { ...params, located: "true", limit: "1000" });
    if (seq !== state.seq) return;
    const n = window.EventwireMap.draw(res.items);
    $("#map-hint").textContent = n ? `${n} places` : "no located events";
  }

  // -- tables ---------------------------------------------------------------
  function actorCell(actor) {
    if (!actor) return el("span", { class: "muted", text: "—" });
    return el("span", { class: "actor", title: actor.text || "" }, actor.code || "?");
  }

  // The evidence sentence with the trigger word(s) marked; built from text nodes only.
  function evidence(e) {
    const s = e.sentence || "";
    const wrap = el("div", { class: "evidence" });
    let at = -1;
    let len = 0;
    const trig = (e.trigger || "").trim();
    if (trig) {
      at = s.toLowerCase().indexOf(trig.toLowerCase());
      len = trig.length;
      if (at < 0) {
        const word = trig.split(/\s+/)[0];
        at = s.toLowerCase().indexOf(word.toLowerCase());
        len = word.length;
      }
    }
    if (at >= 0) {
      wrap.append(s.slice(0, at), el("mark", { text: s.slice(at, at + len) }), s.slice(at + len));
    } else {
      wrap.append(s);
    }
    if (e.modality && e.modality !== "asserted") {
      wrap.prepend(el("span", { class: "badge " + e.modality, text: e.modality }), " ");
    }
    return wrap;
  }

  function eventRow(e, lastCell) {
    const q = QUADS[e.quad_class];
    const code = el("div", {},
      el("span", { class: "code", title: e.cameo_name || "" }, e.cameo),
      " ", e.cameo_name || "");
    const plover = e.plover ? el("span", { class: "badge plover", text: e.plover + (e.plover_mode ? " · " + e.plover_mode : "") }) : null;
    const date = el("td", { class: "nowrap" }, e.date || "—");
    if (e.date_precision && e.date_precision !== "day") date.append(el("div", { class: "muted small", text: "(" + e.date_precision + ")" }));
    return el("tr", { "data-event-id": e.event_id },
      date,
      el("td", { class: "nowrap" }, actorCell(e.source), " → ", actorCell(e.target)),
      el("td", { class: "event-cell", style: null },
        el("span", { class: "quad-dot", title: q ? q.label : "", "data-quad": e.quad_class || "" }), code, plover),
      el("td", {}, evidence(e)),
      el("td", {}, (e.reported_by || []).length ? e.reported_by.join(", ") : el("span", { class: "muted", text: "—" })),
      lastCell);
  }

  function articleLink(e) {
    return el("td", {},
      el("a", { href: "#/article/" + encodeURIComponent(e.article_id), class: "article-link" }, e.article_id),
      e.outlet ? el("div", { class: "muted small", text: e.outlet }) : null);
  }

  async function loadEvents(params, seq, append) {
    const query = { ...params, limit: String(PAGE), total: "true" };
    if (append && state.cursor) query.cursor = state.cursor;
    const res = await api("/v1/events", query);
    if (seq !== state.seq) return;
    const body = $("#events-table tbody");
    if (!append) body.replaceChildren();
    for (const e of res.items) body.append(eventRow(e, articleLink(e)));
    if (!append && !res.items.length) {
      body.append(el("tr", {}, el("td", { colspan: "6", class: "empty", text: "No events match these filters." })));
    }
    state.cursor = res.next_cursor;
    $("#more").hidden = !res.next_cursor;
    $("#event-count").textContent = `${res.total} matching`;
    $("#events-card").dataset.total = String(res.total);
  }

  async function drawActors(params, seq) {
    const res = await api("/v1/actors", { ...params, limit: "10" });
    if (seq !== state.seq) return;
    const list = $("#actors");
    list.replaceChildren();
    const max = res.items.length ? res.items[0].events : 1;
    for (const a of res.items) {
      const bar = el("span", { class: "bar" });
      bar.style.width = `${Math.max(4, (100 * a.events) / max)}%`;
      list.append(el("li", {},
        el("span", { class: "actor" }, a.actor),
        el("span", { class: "bar-track" }, bar),
        el("span", { class: "num", text: String(a.events) })));
    }
    if (!res.items.length) list.append(el("li", { class: "muted", text: "none" }));
  }

  // -- views ----------------------------------------------------------------
  async function refresh() {
    const seq = ++state.seq;
    const params = filterParams();
    state.cursor = null;
    showError("");
    try {
      await Promise.all([drawTimeline(params, seq), loadEvents(params, seq, false),
                         drawDyad(params, seq), drawMap(params, seq), drawActors(params, seq)]);
      if (seq === state.seq) document.body.dataset.ready = String(seq);
    } catch (err) {
      if (seq === state.seq) showError(err.message);
    }
  }

  async function showArticle(id) {
    document.body.classList.add("article-mode");
    $("#home").hidden = true;
    $("#article-view").hidden = false;
    showError("");
    try {
      const a = await api("/v1/articles/" + encodeURIComponent(id));
      $("#article-title").textContent = a.title || a.id;
      const meta = $("#article-meta");
      meta.replaceChildren(
        el("span", {}, a.outlet || "unknown outlet"), " · ", el("span", {}, a.date || "undated"),
        " · id ", el("code", {}, a.id),
        a.url ? el("span", {}, " · ", el("a", { href: a.url, rel: "noopener noreferrer nofollow", target: "_blank" }, a.url)) : null);
      // Mark each sentence that carries an event (span = its offsets in the text).
      const text = $("#article-text");
      text.replaceChildren();
      const spans = [...new Map(a.events.map((e) => [e.span[0], e.span])).values()]
        .filter((s) => s[1] > s[0]).sort((x, y) => x[0] - y[0]);
      let pos = 0;
      for (const [s, e] of spans) {
        if (s < pos) continue;
        text.append(a.text.slice(pos, s), el("mark", { class: "sentence", text: a.text.slice(s, e) }));
        pos = e;
      }
      text.append(a.text.slice(pos));
      const body = $("#article-events tbody");
      body.replaceChildren();
      for (const e of a.events) {
        body.append(eventRow(e, el("td", { class: "num", text: (e.confidence ?? 0).toFixed(2) })));
      }
      $("#article-count").textContent = `${a.events.length}`;
      document.body.dataset.article = a.id;
    } catch (err) {
      showError(err.message);
    }
  }

  function route() {
    const m = location.hash.match(/^#\/article\/(.+)$/);
    if (m) {
      showArticle(decodeURIComponent(m[1]));
    } else {
      document.body.classList.remove("article-mode");
      $("#article-view").hidden = true;
      $("#home").hidden = false;
      delete document.body.dataset.article;
    }
  }

  async function init() {
    const roots = $("#cameo-root");
    ROOTS.forEach((name, i) => {
      const code = String(i + 1).padStart(2, "0");
      roots.append(el("option", { value: code }, `${code} ${name}`));
    });
    window.EventwireMap.create($("#map"));
    try {
      const ov = await api("/v1/overview");
      state.overview = ov;
      $("#stats").textContent = `${ov.events.toLocaleString()} events · ${ov.articles.toLocaleString()} articles` +
        (ov.date_min ? ` · ${ov.date_min} – ${ov.date_max}` : "");
      for (const p of ov.plover_types) $("#plover").append(el("option", { value: p }, p));
      for (const o of ov.outlets) $("#outlet").append(el("option", { value: o }, o));
      const net = await api("/v1/network", { by: "country", limit: "20" });
      const edge = net.edges.find((e) => e.source !== e.target);
      if (edge) {
        $("#dyad").a.value = edge.source;
        $("#dyad").b.value = edge.target;
      }
    } catch (err) {
      showError(err.message);
    }
    let timer = null;
    const later = () => { clearTimeout(timer); timer = setTimeout(refresh, 250); };
    $("#filters").addEventListener("change", refresh);
    $("#filters").addEventListener("input", (ev) => { if (ev.target.type === "search" || ev.target.type === "text") later(); });
    $("#filters").addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
    $("#filters").addEventListener("reset", () => setTimeout(refresh, 0));
    $("#dyad").addEventListener("input", later);
    $("#dyad").addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
    $("#interval").addEventListener("change", refresh);
    $("#more").addEventListener("click", () => loadEvents(filterParams(), state.seq, true).catch((e) => showError(e.message)));
    window.addEventListener("hashchange", route);
    route();
    await refresh();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
