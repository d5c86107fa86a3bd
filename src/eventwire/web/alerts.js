/* eventwire dashboard: the alerts panel (GET /v1/alerts), refreshed every 30 s. */
"use strict";

(function () {
  const LABELS = {
    new_dyad_conflict: "new conflict dyad",
    conflict_spike: "conflict spike",
    goldstein_turn: "Goldstein turn",
    watch: "watch list",
  };
  const EVERY_MS = 30000;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function item(a) {
    const first = (a.article_ids || [])[0];
    const link = first
      ? el("a", { href: "#/article/" + encodeURIComponent(first), class: "article-link",
                  title: (a.article_ids || []).length + " article(s)" }, "article")
      : null;
    return el("li", { "data-alert-id": a.alert_id, "data-rule": a.rule },
      el("div", { class: "alert-head" },
        el("span", { class: "badge alert-" + a.rule, text: a.rule === "watch" ? a.name : (LABELS[a.rule] || a.rule) }),
        el("strong", { class: "alert-subject", text: a.subject }),
        el("span", { class: "muted small", text: a.window_start === a.window_end ? a.window_end : a.window_start + " – " + a.window_end })),
      el("div", { class: "small", text: a.message }),
      link);
  }

  async function load() {
    const card = document.querySelector("#alerts-card");
    const list = document.querySelector("#alerts");
    if (!card || !list) return;
    try {
      const res = await fetch("/v1/alerts?limit=20", { headers: { Accept: "application/json" } });
      if (!res.ok) throw new Error(res.statusText);
      const body = await res.json();
      list.replaceChildren(...body.items.map(item));
      if (!body.items.length) {
        list.append(el("li", { class: "muted", text: "No alerts yet: `eventwire watch` raises them." }));
      }
      card.dataset.count = String(body.items.length);
    } catch (err) {
      list.replaceChildren(el("li", { class: "muted", text: "Alerts unavailable: " + err.message }));
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    load();
    setInterval(load, EVERY_MS);
  });
})();
