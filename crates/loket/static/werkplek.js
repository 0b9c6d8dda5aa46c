// The agent's desk, on /contacten/nieuw and on a customer's page. Without JavaScript the form
// works as it is. With it:
// - Alt+N starts a new contact (timer running, cursor in Onderwerp); several can be open at
//   once and the agent switches between them ("Open contacten").
// - Every open contact is a draft on the server (/api/v1/contact-drafts), saved as the agent
//   types, so a reload or a crashed tab loses nothing; saving the contact removes its draft.
// - Ctrl+Enter saves from any field; Enter in a one-line field does not; Alt+R jumps to
//   Resultaat.
// - Knowledge search beside the form (Alt+K), knowledge first; an article is read in the side
//   panel and marked as used with Alt+G, without a new tab.
// - On the desk a customer can be found and attached (or detached) within the same contact.
// Everything is built with DOM methods; the article's body is HTML the server cleaned.
(function () {
  "use strict";
  const root = document.getElementById("werkplek");
  const form = document.getElementById("contactformulier");
  if (!root || !form) return;
  const onDesk = root.classList.contains("desk");
  const fixedParty = onDesk ? "" : root.dataset.partyId;
  const csrf = form.querySelector('input[name="csrf_token"]').value;
  const timer = document.getElementById("contact-timer");
  const startButton = document.getElementById("start-contact");
  const openList = document.getElementById("open-contacten");
  const discardButton = document.getElementById("contact-verwerpen");
  const sources = document.getElementById("bronnen-lijst");
  const draftField = form.querySelector('input[name="draft_id"]');
  const startedField = form.querySelector('input[name="started_at"]');
  const partyField = document.getElementById("c-party");
  const draftStatus = document.getElementById("concept-status");
  const textFields = ["channel", "subject", "question", "notes", "outcome", "scratchpad"];
  const noneText = openList.textContent.trim();

  let drafts = [];
  let current = null; // the draft shown in the form
  let saving = null;
  // Once the form is sent the server owns the contact: a late draft save would bring back the
  // draft that saving the contact removed.
  let submitted = false;
  // The draft save on its way to the server, if any: the form waits for it before it is sent.
  let inflight = null;

  function field(name) {
    return form.elements.namedItem(name);
  }
  function partyId() {
    return fixedParty || (partyField ? partyField.value : "");
  }

  async function api(method, path, body) {
    const r = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: { accept: "application/json", "content-type": "application/json", "x-csrf-token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
      keepalive: method !== "GET",
    });
    if (!r.ok) throw new Error(method + " " + path + ": " + r.status);
    return r.status === 204 ? null : r.json();
  }

  function elapsed(since) {
    const s = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000));
    return String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
  }
  function tick() {
    timer.textContent = current ? elapsed(current.started_at) : root.dataset.notStarted;
    for (const t of openList.querySelectorAll("time[data-since]")) t.textContent = elapsed(t.dataset.since);
  }

  // A contact with a customer is continued on the customer's page, one without on the desk.
  function hrefOf(d) {
    return d.party_id
      ? "/klanten/" + encodeURIComponent(d.party_id) + "?concept=" + d.id + "#nieuw-contact"
      : "/contacten/nieuw?concept=" + d.id;
  }
  function renderOpen() {
    openList.replaceChildren();
    if (drafts.length === 0) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = noneText;
      openList.appendChild(li);
    }
    for (const d of drafts) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = hrefOf(d);
      const who = d.fields.party_name ? d.fields.party_name + ": " : "";
      a.textContent = who + (d.fields.subject || root.dataset.noSubject);
      if (current && d.id === current.id) a.setAttribute("aria-current", "page");
      const t = document.createElement("time");
      t.dataset.since = d.started_at;
      t.textContent = elapsed(d.started_at);
      li.append(a, " ", t);
      if (current && d.id === current.id) li.append(" " + root.dataset.current);
      openList.appendChild(li);
    }
    discardButton.hidden = !current;
  }

  function collect() {
    const f = {};
    for (const name of textFields) {
      const el = field(name);
      f[name] = el ? el.value : "";
    }
    f.confidential = field("confidential").checked;
    f.not_reached = field("not_reached").checked;
    f.sources = [...sources.querySelectorAll('input[name="source"]')].map((i) => ({
      value: i.value,
      title: i.dataset.title || i.value,
      checked: i.checked,
    }));
    f.party_name = root.dataset.partyName || "";
    return f;
  }

  // Saves the shown draft soon (typing), or now (leaving the page).
  function save(now) {
    clearTimeout(saving);
    if (!current || submitted) return;
    const run = () => {
      current.fields = collect();
      current.party_id = partyId() || null;
      const body = { party_id: current.party_id, started_at: current.started_at, fields: current.fields };
      // A draft that cannot be kept is said at once (the contact itself can still be saved);
      // the next save that works clears the message.
      const sent = api("PUT", "/api/v1/contact-drafts/" + current.id, body)
        .then(() => {
          if (draftStatus) draftStatus.textContent = "";
        })
        .catch(() => {
          if (draftStatus) draftStatus.textContent = draftStatus.dataset.failed;
        })
        .finally(() => {
          if (inflight === sent) inflight = null;
        });
      inflight = sent;
      const known = drafts.find((d) => d.id === current.id);
      if (!known) drafts.push(current);
      renderOpen();
    };
    if (now) run();
    else saving = setTimeout(run, 400);
  }

  function addSource(value, title, checked) {
    for (const existing of sources.querySelectorAll('input[name="source"]')) {
      if (existing.value === value) {
        existing.checked = true;
        return;
      }
    }
    const li = document.createElement("li");
    li.className = "check";
    const input = document.createElement("input");
    input.type = "checkbox";
    input.name = "source";
    input.value = value;
    input.id = "bron-js-" + (sources.querySelectorAll("li").length + 1);
    input.checked = checked;
    input.dataset.title = title;
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = title;
    li.append(input, label);
    sources.appendChild(li);
  }

  function show(d) {
    current = d;
    draftField.value = d.id;
    startedField.value = d.started_at;
    const url = new URL(location.href);
    // After a refused save the address is the form's (POST only): back to the page's own.
    url.pathname = onDesk ? "/contacten/nieuw" : "/klanten/" + encodeURIComponent(fixedParty);
    url.searchParams.set("concept", d.id);
    url.searchParams.delete("start");
    url.searchParams.delete("melding");
    history.replaceState(null, "", url);
    for (const name of textFields) {
      const el = field(name);
      // What the server sent back (a form with errors) wins over the draft.
      if (el && d.fields[name] !== undefined && !el.value) el.value = d.fields[name];
      else if (el && el.tagName === "SELECT" && d.fields[name]) el.value = d.fields[name];
    }
    if (d.fields.confidential) field("confidential").checked = true;
    if (d.fields.not_reached) field("not_reached").checked = true;
    const titles = new Map((d.fields.sources || []).map((s) => [s.value, s.title]));
    for (const input of sources.querySelectorAll('input[name="source"]')) {
      const title = titles.get(input.value);
      const label = sources.querySelector('label[for="' + input.id + '"]');
      if (title && label) {
        input.dataset.title = title;
        label.textContent = title;
      }
    }
    for (const s of d.fields.sources || []) addSource(s.value, s.title, s.checked);
    if (onDesk && d.party_id && !partyField.value) {
      attach(d.party_id, d.fields.party_name || "");
    }
    renderOpen();
    tick();
  }

  function start() {
    if (current && !onDesk) return;
    // A contact for an answered call (screen pop) started when the call was answered.
    const since = root.dataset.callStarted || new Date().toISOString();
    const d = { id: crypto.randomUUID(), party_id: partyId() || null, started_at: since, fields: {} };
    if (onDesk && current) {
      // A new call while another is open: the other stays in "Open contacten".
      location.href = "/contacten/nieuw?start=1";
      return;
    }
    current = d;
    draftField.value = d.id;
    startedField.value = d.started_at;
    save(true);
    show(d);
  }

  // Customer on the desk: attach, detach.
  const attached = document.getElementById("gekoppelde-klant");
  const detachButton = document.getElementById("klant-ontkoppelen");
  function attach(id, name) {
    if (!onDesk) return;
    partyField.value = id;
    root.dataset.partyName = name;
    const a = document.createElement("a");
    a.href = "/klanten/" + encodeURIComponent(id);
    a.textContent = name;
    attached.replaceChildren(a, " ", detachButton);
    detachButton.hidden = false;
    save();
  }
  if (onDesk) {
    detachButton.addEventListener("click", () => {
      partyField.value = "";
      root.dataset.partyName = "";
      const span = document.createElement("span");
      span.className = "muted";
      span.textContent = "—";
      attached.replaceChildren(span, " ", detachButton);
      detachButton.hidden = true;
      save();
    });
    // A call from a number several customers share: the one chosen joins the contact already
    // open for the call (without JavaScript the link opens the desk with that customer).
    for (const choice of document.querySelectorAll("a.gesprek-keuze")) {
      choice.addEventListener("click", (e) => {
        if (!current) return;
        e.preventDefault();
        attach(choice.dataset.partyId, choice.dataset.partyName.split(" — ")[0]);
        choice.closest("ul").querySelectorAll("a").forEach((a) => a.removeAttribute("aria-current"));
        choice.setAttribute("aria-current", "true");
      });
    }
    const finder = document.getElementById("klant-zoek");
    const who = document.getElementById("klant-q");
    const found = document.getElementById("klant-resultaten");
    finder.addEventListener("submit", async (e) => {
      e.preventDefault();
      const text = who.value.trim();
      if (!text) return;
      let list = [];
      try {
        const r = await fetch("/api/v1/parties?" + new URLSearchParams({ q: text }), {
          credentials: "same-origin",
          headers: { accept: "application/json" },
        });
        if (r.ok) list = await r.json();
      } catch (_) {
        return;
      }
      const items = list.map((p) => {
        const li = document.createElement("li");
        const b = document.createElement("button");
        b.type = "button";
        b.className = "secondary";
        b.textContent = root.dataset.attach;
        const span = document.createElement("span");
        span.textContent = " " + p.display_name;
        b.addEventListener("click", () => {
          if (!current) start();
          attach(p.id, p.display_name);
          found.replaceChildren();
          field("subject").focus();
        });
        li.append(b, span);
        return li;
      });
      if (items.length === 0) {
        const li = document.createElement("li");
        li.className = "muted";
        li.append(root.dataset.noCustomer + " ");
        const a = document.createElement("a");
        a.href = "/klanten?" + new URLSearchParams({ q: text }) + "#nieuwe-klant";
        a.textContent = root.dataset.newCustomer;
        li.appendChild(a);
        items.push(li);
      }
      found.replaceChildren(...items);
    });
  }

  // Keys.
  form.addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      form.requestSubmit();
    } else if (e.target.tagName === "INPUT" && e.target.type !== "submit" && e.target.type !== "button") {
      // A stray Enter in Onderwerp must not register a half-typed contact.
      e.preventDefault();
    }
  });
  document.addEventListener("keydown", (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    if (key === "n") {
      e.preventDefault();
      start();
      field("subject").focus();
    } else if (key === "k") {
      e.preventDefault();
      q.focus();
    } else if (key === "r") {
      // Resultaat: the last thing to choose before Ctrl+Enter, without tabbing through notes.
      e.preventDefault();
      field("outcome").focus();
    } else if (key === "g" && reading) {
      e.preventDefault();
      useReading();
    }
  });
  startButton.addEventListener("click", () => {
    start();
    field("subject").focus();
  });
  form.addEventListener("input", () => {
    if (!current) start();
    else save();
  });
  form.addEventListener("change", () => save());
  form.addEventListener("submit", (e) => {
    clearTimeout(saving);
    submitted = true;
    // A draft save that reached the server after the contact would bring its draft back.
    if (inflight) {
      e.preventDefault();
      inflight.then(() => form.submit());
    }
  });
  addEventListener("pagehide", () => save(true));
  discardButton.addEventListener("click", async () => {
    if (!current) return;
    clearTimeout(saving);
    submitted = true; // leaving the page must not save it again
    await (inflight || Promise.resolve());
    await api("DELETE", "/api/v1/contact-drafts/" + current.id).catch(() => {});
    location.href = onDesk ? "/contacten/nieuw" : location.pathname;
  });

  // Knowledge beside the contact.
  const search = document.getElementById("werkplek-zoek");
  const q = document.getElementById("werkplek-q");
  const results = document.getElementById("werkplek-resultaten");
  const suggestion = document.getElementById("werkplek-suggestie");
  const reader = document.getElementById("werkplek-artikel");
  const usedButton = document.getElementById("werkplek-gebruikt");
  let reading = null;
  let typing = null;
  let latest = 0;
  const sourceKind = { article: "article", notice: "notice", tree: "tree" };

  function useReading() {
    if (!reading) return;
    if (!current) start();
    addSource(reading.kind + ":" + reading.id, reading.title, true);
    save();
    usedButton.setAttribute("aria-pressed", "true");
  }
  usedButton.addEventListener("click", useReading);

  async function read(hit) {
    let article;
    try {
      const r = await fetch("/api/v1/articles/" + encodeURIComponent(hit.id), {
        credentials: "same-origin",
        headers: { accept: "application/json" },
      });
      if (!r.ok) return;
      article = await r.json();
    } catch (_) {
      return;
    }
    const v = article.version;
    reading = { kind: "article", id: hit.id, title: v.title };
    reader.querySelector("h3").textContent = v.title;
    reader.querySelector(".short-answer").textContent = v.short_answer;
    const body = new DOMParser().parseFromString(v.body_html + (v.instructions_html || ""), "text/html").body;
    reader.querySelector(".reader-body").replaceChildren(...[...body.childNodes].map((n) => document.importNode(n, true)));
    document.getElementById("werkplek-artikel-link").href = hit.url;
    usedButton.setAttribute("aria-pressed", "false");
    reader.hidden = false;
    reader.focus();
  }

  // While typing the requests are live (not logged); Enter counts as a search for the analytics.
  async function find(live, text) {
    text = (text === undefined ? q.value : text).trim();
    const mine = ++latest;
    if (text.length === 0) {
      results.replaceChildren();
      suggestion.hidden = true;
      return;
    }
    // Knowledge first: people and teams are found on the organisation page.
    const params = new URLSearchParams({ q: text, limit: "6", live: live ? "true" : "false", type: "article,notice,tree" });
    let data;
    try {
      const r = await fetch("/api/v1/search?" + params, { credentials: "same-origin", headers: { accept: "application/json" } });
      if (!r.ok) return;
      data = await r.json();
    } catch (_) {
      return;
    }
    if (mine !== latest) return;
    suggestion.replaceChildren();
    suggestion.hidden = !data.suggestion;
    if (data.suggestion) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "link";
      b.textContent = data.suggestion;
      b.addEventListener("click", () => {
        q.value = data.suggestion;
        find(false);
      });
      suggestion.append(root.dataset.didYouMean + " ", b, "?");
    }
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
          if (!current) start();
          addSource(sourceKind[h.type] + ":" + h.id, h.title, true);
          save();
        });
      }
      if (h.type === "article") {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "secondary";
        b.textContent = root.dataset.read;
        const hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = ": " + h.title;
        b.appendChild(hidden);
        b.addEventListener("click", () => read(h));
        li.append(" ", b);
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

  // Open drafts: resume the one in the address, or this customer's, or start when asked.
  (async function init() {
    try {
      drafts = await api("GET", "/api/v1/contact-drafts");
    } catch (_) {
      drafts = [];
    }
    const params = new URLSearchParams(location.search);
    // After a refused save the address no longer names the draft; the form still does.
    const wanted = params.get("concept") || draftField.value;
    const resume =
      drafts.find((d) => d.id === wanted) ||
      (!onDesk && params.get("melding") !== "geregistreerd" && drafts.find((d) => d.party_id === fixedParty)) ||
      null;
    if (resume) show(resume);
    else if (params.get("start") === "1") {
      start();
      field("subject").focus();
    }
    renderOpen();
    tick();
    setInterval(tick, 1000);
  })();
})();
