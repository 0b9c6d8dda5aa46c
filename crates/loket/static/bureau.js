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
