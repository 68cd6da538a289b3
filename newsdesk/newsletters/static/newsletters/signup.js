/* The newsletter sign-up box: sends the form in the page and shows the answer in the box.

   The box is the same on every reader's cached page, with no CSRF token: the page cache's
   script (pagecache/personal.js) fills it in before the form goes (it holds the submit until
   then and submits again), so this listener sees the form with its token. Without this
   script the form posts as a plain form and the answer is a page. */
(function () {
  "use strict";

  function field(form, name) {
    return form.querySelector('[data-error-for="' + name + '"]');
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-error-for]").forEach(function (node) {
      node.textContent = "";
      node.hidden = true;
    });
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (input) {
      input.removeAttribute("aria-invalid");
    });
  }

  function show(form, text, ok) {
    var status = form.querySelector('[data-role="status"]');
    status.textContent = text;
    status.hidden = false;
    status.classList.toggle("alert--success", ok);
    status.classList.toggle("alert--warning", !ok);
  }

  function showErrors(form, errors) {
    Object.keys(errors || {}).forEach(function (name) {
      var node = field(form, name);
      if (!node) { return; }
      node.textContent = errors[name].join(" ");
      node.hidden = false;
      var input = form.querySelector('[name="' + name + '"]');
      if (input && input.type !== "checkbox") { input.setAttribute("aria-invalid", "true"); }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches('form[data-js="newsletter-signup"]')) { return; }
    var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (!token || !token.value || !window.fetch) { return; }
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    clearErrors(form);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token.value }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      show(form, answer.body.detail, answer.ok);
      if (answer.ok) {
        form.querySelector('input[name="email"]').value = "";
      } else {
        showErrors(form, answer.body.errors);
      }
    }).catch(function () {
      // The words come from the page, in its language (the box's data-failed).
      show(form, form.getAttribute("data-failed") ||
        "The sign-up could not be sent: check your connection and try again.", false);
    }).then(function () { button.disabled = false; });
  });
})();
