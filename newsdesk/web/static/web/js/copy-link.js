// "Copy link" buttons (<button data-copy-link="URL" hidden>): shown only where this script
// runs, they put the address on the clipboard and say so in the status beside them, in the
// words the page gives (data-copied-text, data-failed-text: translated by the template).
(function () {
  "use strict";

  function copyWithSelection(text) {
    // Where the clipboard API is refused (an insecure origin), copy from a selected field.
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    const copied = document.execCommand("copy");
    field.remove();
    return copied;
  }

  async function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (error) {
        return copyWithSelection(text);
      }
    }
    return copyWithSelection(text);
  }

  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    const status = button.parentElement.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", async function () {
      const copied = await copy(button.dataset.copyLink);
      if (status) {
        status.textContent = copied
          ? button.dataset.copiedText || "Link copied."
          : button.dataset.failedText || "Copy the address from the address bar.";
      }
    });
  });
})();
