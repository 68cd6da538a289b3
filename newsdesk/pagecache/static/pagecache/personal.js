/* The personal parts of a page served from the shared cache.

   - Tells the server this browser runs the script (cookie "newsdesk_js"): a signed-in reader
     is then served the shared copy with their account menu and token filled in, and this
     script fetches the rest; without it they get a page fully rendered for them.
   - Shared copies carry no CSRF token: fetch one from /csrf/ and put it into every form
     before it is sent (a form sent without one gets a confirmation page instead).
   - On an article, a signed-in reader's own state on the comments shown (their votes, edit
     and delete on their comments, their comments awaiting moderation) comes from
     /api/threads/<id>/mine. */
(function () {
  "use strict";

  var FIELD = 'input[name="csrfmiddlewaretoken"]';
  var tokenPromise = null;

  document.cookie = "newsdesk_js=1; path=/; max-age=31536000; SameSite=Lax";

  function emptyTokenInputs(root) {
    return Array.prototype.filter.call(root.querySelectorAll(FIELD), function (input) {
      return !input.value;
    });
  }

  function token() {
    if (!tokenPromise) {
      tokenPromise = fetch("/csrf/", { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) { throw new Error("no token"); }
          return response.json();
        })
        .then(function (body) { return body.token; })
        .catch(function (error) { tokenPromise = null; throw error; });
    }
    return tokenPromise;
  }

  function fillTokens() {
    if (!emptyTokenInputs(document).length) { return Promise.resolve(); }
    return token().then(function (value) {
      emptyTokenInputs(document).forEach(function (input) { input.value = value; });
      return value;
    });
  }

  // A form sent before the token arrived (or added later without one): hold it, fill, resend.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches('form[method="post"]') || !emptyTokenInputs(form).length) {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter;
    token().then(function (value) {
      emptyTokenInputs(form).forEach(function (input) { input.value = value; });
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
    });
  }, true);

  // The words the script writes, in the page's language: a JSON block the page carries
  // (id "pagecache-messages", drawn by the page cache's wagtail_hooks); English otherwise.
  var MESSAGES = { edit: "Edit", delete: "Delete" };
  (function () {
    var block = document.getElementById("pagecache-messages");
    if (!block) { return; }
    try {
      var given = JSON.parse(block.textContent);
      Object.keys(MESSAGES).forEach(function (key) {
        if (typeof given[key] === "string" && given[key]) { MESSAGES[key] = given[key]; }
      });
    } catch (error) { /* keep the English words */ }
  })();

  function commentElement(id) {
    return document.getElementById("c" + id);
  }

  function tokenValue() {
    var input = document.querySelector(FIELD);
    return input ? input.value : "";
  }

  function applyOwn(own) {
    var element = commentElement(own.id);
    if (!element) { return; }
    element.classList.add("comment--own");
    var item = element.querySelector(":scope > .comment__item");
    if (!item) { return; }
    item.querySelectorAll('form[data-js="vote"] button').forEach(function (button) {
      button.disabled = true;
    });
    var actions = item.querySelector(".comment__actions");
    if (!actions) { return; }
    if (own.can_edit && !actions.querySelector('[data-js="edit"]')) {
      var edit = document.createElement("a");
      edit.className = "comment__action";
      edit.href = own.edit_url;
      edit.setAttribute("data-js", "edit");
      edit.textContent = MESSAGES.edit;
      actions.appendChild(edit);
    }
    if (own.can_delete && !actions.querySelector(".comment__delete")) {
      var form = document.createElement("form");
      form.className = "comment__delete";
      form.method = "post";
      form.action = own.delete_url;
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "csrfmiddlewaretoken";
      field.value = tokenValue();
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "comment__action";
      button.textContent = MESSAGES.delete;
      form.appendChild(field);
      form.appendChild(button);
      actions.appendChild(form);
    }
  }

  function applyVote(vote) {
    var element = commentElement(vote.id);
    if (!element) { return; }
    var form = element.querySelector(':scope > .comment__item form[data-js="vote"]');
    if (!form) { return; }
    form.querySelectorAll("button").forEach(function (button) {
      button.disabled = true;
      if (button.value === (vote.value > 0 ? "up" : "down")) {
        button.setAttribute("aria-pressed", "true");
      }
    });
  }

  function applyHeld(held, section) {
    if (commentElement(held.id)) { return; }
    var list = null;
    if (held.parent_id) {
      var parent = commentElement(held.parent_id);
      list = parent && parent.querySelector(':scope > [data-role="replies"]');
    } else {
      list = section.querySelector('[data-role="comments"]');
    }
    if (!list) { return; }
    var template = document.createElement("template");
    template.innerHTML = held.html.trim();
    if (held.parent_id) { list.appendChild(template.content); } else {
      list.insertBefore(template.content, list.firstChild);
    }
  }

  function loadMine() {
    var account = document.querySelector("[data-signed-in]");
    var section = document.getElementById("discussion");
    if (!account || !section) { return; }
    var match = /\/articles\/(\d+)\//.exec(section.getAttribute("data-more-url") || "");
    if (!match) { return; }
    var params = new URLSearchParams(window.location.search);
    var query = "?sort=" + encodeURIComponent(params.get("sort") || "best") +
      "&page=" + encodeURIComponent(params.get("cpage") || "1");
    fetch("/api/threads/" + match[1] + "/mine" + query, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (mine) {
        if (!mine) { return; }
        mine.held.forEach(function (held) { applyHeld(held, section); });
        mine.votes.forEach(applyVote);
        mine.own.forEach(applyOwn);
        section.setAttribute("data-personal", "loaded");
      });
  }

  function start() {
    fillTokens().catch(function () { /* the confirmation page still lets them post */ });
    loadMine();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
