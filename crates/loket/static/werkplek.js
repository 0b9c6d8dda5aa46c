// The agent workspace on a customer's page. Without JavaScript the contact form works as it is;
// with it: a contact starts with one key (Alt+N) and its timer runs; several contacts can be
// open at once (one per customer, kept in this tab until saved) and the
// agent switches between them; the kladblok and the form are kept as a draft per contact;
// knowledge search sits beside the customer (Alt+K) and whatever the agent opens from it is
// offered under "gebruikte bronnen". Everything is built with DOM methods, never from HTML.
(function () {
  "use strict";
  const root = document.getElementById("werkplek");
  const form = document.querySelector('form[action$="/contacten"]');
  if (!root || !form) return;
  const party = root.dataset.partyId;
  // Drafts hold what a citizen said: they live in this tab's sessionStorage (gone when the tab
  // closes) under a key of this login session, and drafts of an earlier session are removed.
  const PREFIX = "loket.werkplek.";
  const KEY = PREFIX + (root.dataset.session || "");
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const k = sessionStorage.key(i);
    if (k && k.startsWith(PREFIX) && k !== KEY) sessionStorage.removeItem(k);
  }
  const timer = document.getElementById("contact-timer");
  const startButton = document.getElementById("start-contact");
  const openList = document.getElementById("open-contacten");
  const search = document.getElementById("werkplek-zoek");
  const q = document.getElementById("werkplek-q");
  const results = document.getElementById("werkplek-resultaten");
  const sources = document.getElementById("bronnen-lijst");
  const startedField = form.querySelector('input[name="started_at"]');
  const draftFields = ["scratchpad", "channel", "subject", "question", "notes", "outcome"];

  function load() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) || "{}") || {};
    } catch (_) {
      return {};
    }
  }
  function store(all) {
    sessionStorage.setItem(KEY, JSON.stringify(all));
  }
  function current() {
    return load()[party] || null;
  }
  function update(change) {
    const all = load();
    if (!all[party]) return;
    change(all[party]);
    store(all);
  }

  // A saved contact is no longer open.
  if (new URLSearchParams(location.search).get("melding") === "geregistreerd") {
    const all = load();
    delete all[party];
    store(all);
  }

  function elapsed(since) {
    const s = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000));
    const mm = String(Math.floor(s / 60)).padStart(2, "0");
    const ss = String(s % 60).padStart(2, "0");
    return mm + ":" + ss;
  }

  function tick() {
    const c = current();
    timer.textContent = c ? elapsed(c.startedAt) : root.dataset.notStarted;
    for (const li of openList.querySelectorAll("li[data-party]")) {
      const t = li.querySelector("time");
      const entry = load()[li.dataset.party];
      if (t && entry) t.textContent = elapsed(entry.startedAt);
    }
  }

  // Only when the set of open contacts changes: rebuilding the links while the agent clicks one
  // (a field's change event fires on that click) would swallow the click.
  function renderOpen() {
    const all = load();
    const ids = Object.keys(all).sort((a, b) => Date.parse(all[a].startedAt) - Date.parse(all[b].startedAt));
    openList.replaceChildren();
    if (ids.length === 0) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = openList.dataset.none || openList.textContent || "";
      openList.appendChild(li);
      return;
    }
    for (const id of ids) {
      const li = document.createElement("li");
      li.dataset.party = id;
      const a = document.createElement("a");
      a.href = "/klanten/" + encodeURIComponent(id) + "#nieuw-contact";
      a.textContent = all[id].name;
      if (id === party) a.setAttribute("aria-current", "page");
      const t = document.createElement("time");
      t.textContent = elapsed(all[id].startedAt);
      li.append(a, " ", t);
      if (id === party) li.append(" " + root.dataset.current);
      openList.appendChild(li);
    }
  }

  function field(name) {
    return form.elements.namedItem(name);
  }

  function saveDraft() {
    update((c) => {
      c.draft = {};
      for (const name of draftFields) {
        const el = field(name);
        if (el) c.draft[name] = el.value;
      }
      c.sources = [...sources.querySelectorAll('input[name="source"]')].map((i) => ({
        value: i.value,
        title: i.dataset.title || i.value,
        checked: i.checked,
      }));
    });
  }

  function addSource(value, title, checked) {
    for (const existing of sources.querySelectorAll('input[name="source"]')) {
      if (existing.value === value) return;
    }
    const n = sources.querySelectorAll("li").length + 1;
    const li = document.createElement("li");
    li.className = "check";
    const input = document.createElement("input");
    input.type = "checkbox";
    input.name = "source";
    input.value = value;
    input.id = "bron-js-" + n;
    input.checked = checked;
    input.dataset.title = title;
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = title;
    li.append(input, label);
    sources.appendChild(li);
    input.addEventListener("change", saveDraft);
  }

  function start() {
    const all = load();
    if (!all[party]) {
      all[party] = { name: root.dataset.partyName, startedAt: new Date().toISOString(), draft: {}, sources: [] };
      store(all);
    }
    startedField.value = all[party].startedAt;
    renderOpen();
    tick();
    saveDraft();
  }

  function restore() {
    const c = current();
    if (!c) return;
    startedField.value = c.startedAt;
    for (const name of draftFields) {
      const el = field(name);
      // What the server sent back (a form with errors) wins over the older draft.
      if (el && c.draft && c.draft[name] !== undefined && !el.value) el.value = c.draft[name];
      if (el && el.tagName === "SELECT" && c.draft && c.draft[name]) el.value = c.draft[name];
    }
    // The server-rendered list (after an error) shows raw values; the draft knows the titles.
    const titles = new Map((c.sources || []).map((s) => [s.value, s]));
    for (const input of sources.querySelectorAll('input[name="source"]')) {
      const known = titles.get(input.value);
      if (known) {
        input.dataset.title = known.title;
        const label = sources.querySelector('label[for="' + input.id + '"]');
        if (label) label.textContent = known.title;
      }
    }
    for (const s of c.sources || []) addSource(s.value, s.title, s.checked);
  }

  openList.dataset.none = openList.textContent.trim();
  restore();
  renderOpen();
  tick();
  setInterval(tick, 1000);

  startButton.addEventListener("click", () => {
    start();
    field("subject").focus();
  });
  form.addEventListener("input", () => {
    if (!current()) start();
    else saveDraft();
  });
  form.addEventListener("change", () => {
    if (current()) saveDraft();
  });
  document.addEventListener("keydown", (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    if (key === "n") {
      e.preventDefault();
      start();
      field("scratchpad").focus();
    } else if (key === "k") {
      e.preventDefault();
      q.focus();
    }
  });

  // Knowledge search beside the customer.
  let typing = null;
  let latest = 0;
  const sourceKind = { article: "article", notice: "notice", tree: "tree" };
  // While typing the requests are live (not logged); Enter counts as a search for the analytics.
  async function find(live) {
    const text = q.value.trim();
    const mine = ++latest;
    if (text.length === 0) {
      results.replaceChildren();
      return;
    }
    const params = new URLSearchParams({ q: text, limit: "6", live: live ? "true" : "false" });
    let data;
    try {
      const r = await fetch("/api/v1/search?" + params, { credentials: "same-origin", headers: { accept: "application/json" } });
      if (!r.ok) return;
      data = await r.json();
    } catch (_) {
      return;
    }
    if (mine !== latest) return;
    const items = [];
    for (const h of data.hits) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = h.url;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = h.title;
      li.appendChild(a);
      if (sourceKind[h.type]) {
        a.addEventListener("click", () => {
          if (!current()) start();
          addSource(sourceKind[h.type] + ":" + h.id, h.title, true);
          saveDraft();
        });
      }
      if (h.snippet) {
        const p = document.createElement("p");
        p.className = "muted";
        p.textContent = h.snippet;
        li.appendChild(p);
      }
      items.push(li);
    }
    if (items.length === 0) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = root.dataset.noHits;
      items.push(li);
    } else if (!data.confident) {
      // Hits that only share some words with the question: shown, but not as the answer.
      const li = document.createElement("li");
      li.className = "notice unsure";
      li.textContent = root.dataset.notConfident;
      items.unshift(li);
    }
    results.replaceChildren(...items);
  }
  q.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => find(true), 120);
  });
  search.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(typing);
    find(false);
  });
})();
