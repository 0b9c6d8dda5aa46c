// The wall board follows the server's figures (server-sent events); without JavaScript the page
// shows the figures of the moment it was loaded.
(() => {
  // Full screen for a TV on the wall: the figures alone, large.
  const full = document.getElementById('wb-fullscreen');
  const screen = document.getElementById('wallboard-screen');
  if (full && screen && document.fullscreenEnabled) {
    full.hidden = false;
    full.addEventListener('click', () => screen.requestFullscreen());
  }
})();
(() => {
  const board = document.getElementById('wallboard');
  if (!board || !window.EventSource) return;
  const text = (id, value) => { const el = document.getElementById(id); if (el) el.textContent = value; };
  const pct = (v) => (v === null || v === undefined) ? 'n.v.t.' : (v * 100).toFixed(1).replace('.', ',') + '%';
  const secs = (v) => (v === null || v === undefined) ? 'n.v.t.' : v.toFixed(1).replace('.', ',') + ' s';
  const source = new EventSource(board.dataset.stream);
  source.addEventListener('figures', (e) => {
    const b = JSON.parse(e.data);
    text('wb-sl', pct(b.today.service_level));
    text('wb-offered', String(b.today.offered));
    text('wb-answered', String(b.today.answered));
    text('wb-abandonment', pct(b.today.abandonment));
    text('wb-asa', secs(b.today.asa_s));
    text('wb-waiting', String(b.waiting));
    text('wb-longest', b.longest_wait_s === null ? '–' : b.longest_wait_s + ' s');
    text('wb-over', String(b.over_threshold));
    document.getElementById('wb-over-tile')?.classList.toggle('alert', b.over_threshold > 0);
    const queues = document.getElementById('wb-queues');
    if (queues && b.queues) {
      queues.replaceChildren(...b.queues.map((q) => {
        const tr = document.createElement('tr');
        const th = document.createElement('th'); th.scope = 'row'; th.textContent = q.queue;
        const n = document.createElement('td'); n.textContent = String(q.waiting);
        const longest = document.createElement('td'); longest.textContent = q.longest_wait_s + ' s';
        tr.append(th, n, longest);
        return tr;
      }));
      document.getElementById('wb-queues-none')?.toggleAttribute('hidden', b.queues.length > 0);
    }
    if (b.work) {
      for (const w of b.work) {
        const id = (what) => `wb-${w.kind}-${what}`;
        text(id('open'), String(w.open));
        text(id('overdue'), String(w.overdue));
        text(id('near'), String(w.near_breach));
        const ages = document.getElementById(id('age'));
        if (ages) {
          ages.replaceChildren(...w.by_age.map((a) => {
            const tr = document.createElement('tr');
            const th = document.createElement('th'); th.scope = 'row'; th.textContent = a.label;
            const td = document.createElement('td'); td.textContent = String(a.count);
            tr.append(th, td);
            return tr;
          }));
        }
      }
      const risk = document.getElementById('wb-risk');
      if (risk) {
        risk.replaceChildren(...b.at_risk.map((a) => {
          const li = document.createElement('li');
          li.className = a.remaining.overdue ? 'overdue' : 'near';
          const strong = document.createElement('strong'); strong.textContent = a.label;
          const kind = risk.dataset[a.kind] ?? a.kind;
          li.append(`${kind}: ${a.subject} · ${a.holder} · `, strong);
          return li;
        }));
        document.getElementById('wb-risk-none')?.toggleAttribute('hidden', b.at_risk.length > 0);
      }
    }
    const at = new Date(b.at);
    const t = document.getElementById('wb-at');
    if (t) { t.dateTime = b.at; t.textContent = at.toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam' }); }
    board.dataset.updated = String(Date.now());
  });
})();
