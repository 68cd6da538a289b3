/* The discussion scripts' one way to call the site's JSON API (/api/), loaded before them:
   window.NewsdeskApi.request(url, init, form) sends the reader's session or guest cookie and
   the CSRF token in X-CSRFToken, and answers {ok, status, body, detail}, ``detail`` being a
   refusal's message ("" for ninja's 422, which lists problems instead, and for a 204). */
window.NewsdeskApi = (function () {
  "use strict";

  /* The form's own token; for a form without one (the delete button is a GET) or no form,
     the page's (personal.js fills it in on a cached page), else the cookie. */
  function csrfToken(form) {
    var input = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (input && input.value) { return input.value; }
    var filled = Array.prototype.find.call(
      document.querySelectorAll('input[name="csrfmiddlewaretoken"]'),
      function (field) { return field.value; });
    if (filled) { return filled.value; }
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function request(url, init, form) {
    init = init || {};
    init.credentials = "same-origin";
    init.headers = Object.assign({ Accept: "application/json", "X-CSRFToken": csrfToken(form) },
      init.headers || {});
    return fetch(url, init).then(function (response) {
      if (response.status === 204) {
        return { ok: true, status: 204, body: {}, detail: "" };
      }
      return response.json().then(function (body) {
        var detail = typeof body.detail === "string" ? body.detail : "";
        return { ok: response.ok, status: response.status, body: body, detail: detail };
      });
    });
  }

  return { csrfToken: csrfToken, request: request };
})();
