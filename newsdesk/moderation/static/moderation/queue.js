// Keyboard shortcuts for the moderators' queue: j/k move, x checks, a/r/s act on the
// current comment (they press that comment's own button, so the server does the work); b
// opens its "Ban author" panel, where Enter bans with what is checked there.
(function () {
  "use strict";
  var list = document.querySelector("[data-queue]");
  if (!list) return;
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
    var key = event.key;
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

  if (items.length) select(0);
})();
