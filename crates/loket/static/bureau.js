// Keys that work on every page for an agent: Alt+N starts a new contact (on the desk, or on a
// customer's page with that customer; werkplek.js handles it there and this script steps
// aside), Alt+Z jumps to the customer search in the header.
(function () {
  "use strict";
  window.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || !e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    if (key === "n") {
      e.preventDefault();
      location.href = "/contacten/nieuw?start=1";
    } else if (key === "z") {
      const box = document.getElementById("kop-klant-q");
      if (box) {
        e.preventDefault();
        box.focus();
      }
    }
  });
})();

// Screen pop: when the agent answers a call, the server says so (server-sent events) and the
// desk opens for that call with the caller's customer. A call is opened once, in one tab: the
// tabs share what was opened. An agent in the middle of typing a contact is not taken away
// from it; they get a link instead, and the desk opens for the call once that contact is saved.
(function () {
  "use strict";
  const stream = document.body.dataset.gesprekken;
  if (!stream || !window.EventSource) return;
  const KEY = "loket.gesprek";
  // Without localStorage (blocked), this tab's session remembers; else a page loaded during a
  // call would open the desk again and again.
  const opened = () => {
    try {
      return localStorage.getItem(KEY) || sessionStorage.getItem(KEY);
    } catch (_) {
      return null;
    }
  };
  const remember = (id) => {
    for (const store of ["localStorage", "sessionStorage"]) {
      try {
        window[store].setItem(KEY, id);
      } catch (_) {
        /* blocked: the other one */
      }
    }
  };
  // The desk that was opened for a call counts as opened.
  const desk = document.getElementById("werkplek");
  if (desk && desk.dataset.call) remember(desk.dataset.call);

  function busy() {
    const form = document.getElementById("contactformulier");
    if (!form) return false;
    return ["subject", "question", "notes", "scratchpad"].some((name) => {
      const el = form.elements.namedItem(name);
      return el && el.value && el.value.trim() !== "";
    });
  }

  function offer(href) {
    let box = document.getElementById("gesprek-melding");
    if (!box) {
      box = document.createElement("div");
      box.id = "gesprek-melding";
      box.className = "call-offer";
      box.setAttribute("role", "alert");
      document.body.prepend(box);
    }
    const a = document.createElement("a");
    a.href = href;
    a.textContent = document.body.dataset.callAnswered || "";
    // Announced, not focused: the agent may be typing.
    box.replaceChildren(a);
  }

  function answered(e) {
    let d;
    try {
      d = JSON.parse(e.data);
    } catch (_) {
      return;
    }
    if (!d.call || opened() === d.call) return;
    if (busy()) {
      // Not remembered yet: once this contact is saved, the next page opens the call.
      offer(d.open);
    } else {
      remember(d.call);
      location.href = d.open;
    }
  }

  let source = null;
  function listen() {
    source = new EventSource(stream);
    source.addEventListener("answered", answered);
  }
  listen();
  // Leaving the page closes the stream at once, so the browser never waits on it; a page
  // brought back from the back-forward cache listens again.
  window.addEventListener("pagehide", () => source && source.close());
  window.addEventListener("pageshow", (e) => {
    if (e.persisted) listen();
  });
})();
