// Keyboard shortcuts for the moderators' queue: j/k move, x checks, a/r/s act on the
// current comment (they press that comment's own button, so the server does the work); b
// opens its "Ban author" panel, where Enter bans with what is checked there; w watches or
// unwatches its author (the row's button), n focuses the note field on its author, h opens
// or closes its author's history; ? opens the list of shortcuts (a dialog; Escape closes).
(function () {
  "use strict";
  var help = document.querySelector("[data-shortcuts]");
  var helpOpener = null;
  function helpOpen() {
    if (!help || help.open) return;
    helpOpener = document.activeElement;
    help.showModal();
    var close = help.querySelector("[data-shortcuts-close]");
    if (close) close.focus();
  }
  if (help) {
    // The dialog closes on Escape by itself; focus goes back where it was.
    help.addEventListener("close", function () {
      if (helpOpener && helpOpener.focus) helpOpener.focus({ preventScroll: true });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-shortcuts-open]"), function (b) {
      b.addEventListener("click", helpOpen);
    });
  }
  var list = document.querySelector("[data-queue]");
  if (!list) {
    document.addEventListener("keydown", function (event) {
      var t = event.target;
      if (event.key === "?" && !(t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) helpOpen();
    });
    return;
  }
  var items = Array.prototype.slice.call(list.querySelectorAll(".moderation-item"));
  var current = -1;

  function select(index) {
    if (!items.length) return;
    index = Math.max(0, Math.min(items.length - 1, index));
    if (current >= 0) items[current].classList.remove("is-current");
    current = index;
    items[current].classList.add("is-current");
    items[current].focus({ preventScroll: true });
    items[current].scrollIntoView({ block: "nearest" });
  }

  items.forEach(function (item, index) {
    item.addEventListener("click", function () { select(index); });
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.type !== "checkbox") return;
    // Inside a ban panel the keys are the panel's (no approving from its checkboxes).
    if (target && target.closest && target.closest("[data-ban-panel] .moderation-ban__body")) return;
    if (help && help.open) return;
    var key = event.key;
    if (key === "?") { event.preventDefault(); helpOpen(); return; }
    if (key === "j") { select(current + 1); event.preventDefault(); return; }
    if (key === "k") { select(current - 1); event.preventDefault(); return; }
    if (current < 0) return;
    if (key === "x") {
      var box = items[current].querySelector("input[type=checkbox]");
      if (box) box.checked = !box.checked;
      event.preventDefault();
      return;
    }
    if (key === "b") {
      var panel = items[current].querySelector("[data-ban-panel]");
      if (panel) {
        event.preventDefault();
        panel.open = true;
        var first = panel.querySelector("input:not([type=hidden]), select, button");
        if (first) first.focus();
      }
      return;
    }
    if (key === "n") {
      var note = items[current].querySelector("[data-note-field]");
      if (note) { event.preventDefault(); note.focus(); }
      return;
    }
    if (key === "h") {
      var history = items[current].querySelector("[data-history]");
      if (history) { event.preventDefault(); history.open = !history.open; }
      return;
    }
    var button = items[current].querySelector('button[data-key="' + key + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });

  // Enter inside a ban panel bans with that panel (the form's first button would approve).
  list.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var panel = event.target.closest && event.target.closest("[data-ban-panel]");
    if (!panel || event.target.tagName === "BUTTON" || event.target.tagName === "SUMMARY") return;
    event.preventDefault();
    panel.querySelector("[data-ban-submit]").click();
  });

  // Escape in a note field goes back to the comment, and so to the shortcuts.
  list.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.matches || !event.target.matches("[data-note-field]")) return;
    event.preventDefault();
    if (current >= 0) items[current].focus({ preventScroll: true });
  });

  // Back from an action on a row (watching its author, say): carry on from that row.
  var start = 0;
  if (location.hash) {
    var wanted = document.getElementById(location.hash.slice(1));
    if (wanted && items.indexOf(wanted) >= 0) start = items.indexOf(wanted);
  }
  if (items.length) select(start);
})();
