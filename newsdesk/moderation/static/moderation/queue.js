// Keyboard shortcuts for the moderators' queue: j/k move, x checks, a/r/s/b act on the
// current comment (they press that comment's own button, so the server does the work).
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
    var button = items[current].querySelector('button[data-key="' + key + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });

  if (items.length) select(0);
})();
