// Search as you type in the kennisbank. Without JavaScript the form works as it is; with it,
// results follow the typing (live requests are not logged), and once typing stops for a moment
// the query counts as a search (logged for the redacteuren's analytics). Results are built
// with DOM methods only: no HTML from the server is ever parsed here.
(function () {
  "use strict";
  const form = document.getElementById("zoekformulier");
  const input = document.getElementById("q");
  const kind = document.getElementById("type");
  const box = document.getElementById("zoeken");
  const list = document.getElementById("resultaten");
  const status = document.getElementById("zoekstatus");
  const suggestion = document.getElementById("suggestie");
  const unsure = document.getElementById("geen-antwoord");
  if (!form || !input || !kind || !box || !list || !status || !suggestion || !unsure) return;

  let typing = null;
  let settled = null;
  let latest = 0;

  function label(k) {
    return box.dataset["kind" + k.charAt(0).toUpperCase() + k.slice(1)] || k;
  }

  function pieces(parent, parts) {
    for (const p of parts) {
      if (p.mark) {
        const m = document.createElement("mark");
        m.textContent = p.text;
        parent.appendChild(m);
      } else {
        parent.appendChild(document.createTextNode(p.text));
      }
    }
  }

  function render(data) {
    const items = [];
    if (data.hits.length === 0) {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = box.dataset.none;
      items.push(li);
    }
    for (const h of data.hits) {
      const li = document.createElement("li");
      const k = document.createElement("span");
      k.className = "kind";
      k.textContent = label(h.type);
      const a = document.createElement("a");
      a.href = h.url;
      pieces(a, h.title_marked);
      li.append(k, " ", a);
      if (h.detail) {
        const d = document.createElement("span");
        d.className = "detail";
        d.textContent = h.detail;
        li.append(" ", d);
      }
      if (h.snippet_marked.length > 0) {
        const p = document.createElement("p");
        pieces(p, h.snippet_marked);
        li.appendChild(p);
      }
      items.push(li);
    }
    list.replaceChildren(...items);
    // Hits that only share some words with the question are shown, but not as an answer.
    unsure.hidden = data.confident || data.hits.length === 0;
    // The status is the polite live region: it also says when nothing answers the question.
    status.textContent = (data.total_capped ? box.dataset.moreThan + " " : "") + data.total + " " + box.dataset.results +
      (unsure.hidden ? "" : ". " + box.dataset.notConfident);
    if (data.suggestion) {
      const a = document.createElement("a");
      a.href = "/kennisbank?" + new URLSearchParams({ q: data.suggestion });
      a.textContent = data.suggestion;
      suggestion.replaceChildren(box.dataset.didYouMean + " ", a, "?");
      suggestion.hidden = false;
    } else {
      suggestion.hidden = true;
    }
  }

  async function run(live) {
    const q = input.value;
    if (q.trim() === "") return;
    const mine = ++latest;
    const params = new URLSearchParams({ q: q, limit: "10", marked: "true" });
    if (kind.value) params.set("type", kind.value);
    if (live) params.set("live", "true");
    let response;
    try {
      response = await fetch("/api/v1/search?" + params, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
    } catch (e) {
      return; // offline for a moment: the form still works
    }
    if (!response.ok || mine !== latest) return;
    const data = await response.json();
    if (mine !== latest) return;
    render(data);
    const shown = new URLSearchParams({ q: q });
    if (kind.value) shown.set("type", kind.value);
    history.replaceState(null, "", "/kennisbank?" + shown);
  }

  input.addEventListener("input", function () {
    clearTimeout(typing);
    clearTimeout(settled);
    typing = setTimeout(function () { run(true); }, 120);
    settled = setTimeout(function () { run(false); }, 1500);
  });
  kind.addEventListener("change", function () { run(false); });

  // Arrow keys walk from the search box through the results and back; Escape returns.
  function links() {
    return Array.from(list.querySelectorAll("a"));
  }
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      const first = links()[0];
      if (first) {
        e.preventDefault();
        first.focus();
      }
    }
  });
  list.addEventListener("keydown", function (e) {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (e.key === "ArrowDown" && at + 1 < all.length) {
      e.preventDefault();
      all[at + 1].focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    } else if (e.key === "Escape") {
      input.focus();
    }
  });
})();
