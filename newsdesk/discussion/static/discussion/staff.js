/* Editors' and moderators' controls on a thread: "Feature" (an editors' pick) under each
   comment and, in a Q&A thread, "Mark as answer" under each reply to a question. The page is
   shared by the page cache and carries none of them: for a signed-in reader this asks
   /api/threads/<id>/staff (never cached) whether they are staff, and adds the buttons only
   then. Each acts through the JSON API with the CSRF token, and marks the comment in place;
   the server refuses anyone else. Staff also get the thread's slow mode, under its heading. */
(function () {
  "use strict";

  /* The page's words, translated (words.js); the English here is the fallback. */
  var t = window.NewsdeskWords.t;
  var tn = window.NewsdeskWords.tn;

  function call(url, method) {
    return window.NewsdeskApi.request(url, { method: method });
  }

  function say(comment, message) {
    var notice = document.createElement("p");
    notice.className = "discussion__message";
    notice.setAttribute("role", "status");
    notice.setAttribute("data-role", "staff-notice");
    notice.textContent = message;
    comment.querySelector(":scope > .comment__item").appendChild(notice);
    setTimeout(function () { notice.remove(); }, 8000);
  }

  function mark(comment, role, text) {
    var meta = comment.querySelector(":scope > .comment__item .comment__meta");
    var old = meta && meta.querySelector('[data-role="' + role + '"]');
    if (old) { old.remove(); }
    if (!meta || !text) { return; }
    var span = document.createElement("span");
    span.className = "comment__mark comment__mark--" + role;
    span.setAttribute("data-role", role);
    span.textContent = text;
    meta.appendChild(span);
  }

  function button(label, js) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "comment__action";
    element.setAttribute("data-js", js);
    element.textContent = label;
    return element;
  }

  function addPick(comment) {
    var id = comment.getAttribute("data-comment-id");
    var control = button(comment.hasAttribute("data-picked") ?
      t("unfeature", "Unfeature") : t("feature", "Feature"), "pick");
    control.setAttribute("aria-pressed", comment.hasAttribute("data-picked") ? "true" : "false");
    control.addEventListener("click", function () {
      var picked = comment.hasAttribute("data-picked");
      control.disabled = true;
      call("/api/comments/" + id + "/pick", picked ? "DELETE" : "POST").then(function (result) {
        control.disabled = false;
        if (!result.ok) { say(comment, result.body.detail || t("failed", "That did not work.")); return; }
        if (result.body.picked) {
          comment.setAttribute("data-picked", "1");
          comment.classList.add("comment--pick");
          mark(comment, "pick", t("pick_mark", "Editors\u2019 pick \u00b7 picked by %(name)s",
            { name: result.body.picked_by }));
        } else {
          comment.removeAttribute("data-picked");
          comment.classList.remove("comment--pick");
          mark(comment, "pick", "");
        }
        control.textContent = result.body.picked ?
          t("unfeature", "Unfeature") : t("feature", "Feature");
        control.setAttribute("aria-pressed", result.body.picked ? "true" : "false");
        say(comment, result.body.picked ?
          t("featured", "Featured as an editors\u2019 pick.") :
          t("unfeatured", "No longer featured."));
      }).catch(function () {
        control.disabled = false;
        say(comment, t("connection_failed", "The connection failed; please try again."));
      });
    });
    return control;
  }

  function addAnswer(comment) {
    var id = comment.getAttribute("data-comment-id");
    var control = button(comment.hasAttribute("data-answer") ?
      t("unmark_answer", "Unmark answer") : t("mark_answer", "Mark as answer"), "answer");
    control.addEventListener("click", function () {
      var isAnswer = comment.hasAttribute("data-answer");
      control.disabled = true;
      call("/api/comments/" + id + "/answer", isAnswer ? "DELETE" : "POST").then(function (result) {
        control.disabled = false;
        if (!result.ok) { say(comment, result.body.detail || t("failed", "That did not work.")); return; }
        var question = comment.parentElement && comment.parentElement.closest(".comment");
        var author = comment.querySelector(".comment__author");
        if (result.body.is_answer) {
          comment.setAttribute("data-answer", "1");
          comment.classList.add("comment--answer");
          mark(comment, "answer", t("answer_mark", "Answer from %(name)s, staff",
            { name: author ? author.textContent : "" }));
          if (question) { mark(question, "answered", t("answered", "Answered")); }
        } else {
          comment.removeAttribute("data-answer");
          comment.classList.remove("comment--answer");
          mark(comment, "answer", "");
          if (question && !question.querySelector('[data-answer="1"]')) {
            mark(question, "answered", "");
          }
        }
        control.textContent = result.body.is_answer ?
          t("unmark_answer", "Unmark answer") : t("mark_answer", "Mark as answer");
        say(comment, result.body.is_answer ?
          t("marked_answer", "Marked as the answer.") : t("unmarked_answer", "No longer an answer."));
      }).catch(function () {
        control.disabled = false;
        say(comment, t("connection_failed", "The connection failed; please try again."));
      });
    });
    return control;
  }

  // Slow mode: one comment per reader per N seconds in this thread (staff are exempt).
  var SLOW_CHOICES = [0, 10, 30, 60, 120, 300, 600, 3600];

  function slowLabel(seconds) {
    if (!seconds) { return t("slow_off", "Off"); }
    if (seconds % 3600 === 0) {
      return tn("slow_hours", seconds / 3600, "%(count)s hour", "%(count)s hours");
    }
    if (seconds % 60 === 0) {
      return tn("slow_minutes", seconds / 60, "%(count)s minute", "%(count)s minutes");
    }
    return tn("slow_seconds", seconds, "%(count)s second", "%(count)s seconds");
  }

  function addSlowMode(section, articleId, current) {
    var box = document.createElement("form");
    box.className = "discussion__staff-slow";
    box.setAttribute("data-role", "slow-mode-control");
    var label = document.createElement("label");
    label.setAttribute("for", "slow-mode-seconds");
    label.textContent = t("slow_label", "Slow mode (staff): ");
    var select = document.createElement("select");
    select.id = "slow-mode-seconds";
    select.name = "seconds";
    select.className = "input";
    var known = false;
    SLOW_CHOICES.forEach(function (choice) {
      var option = document.createElement("option");
      option.value = String(choice);
      option.textContent = slowLabel(choice);
      if (choice === current) { option.selected = true; known = true; }
      select.appendChild(option);
    });
    if (!known) {
      var own = document.createElement("option");
      own.value = String(current);
      own.textContent = tn("slow_seconds", current, "%(count)s second", "%(count)s seconds");
      own.selected = true;
      select.appendChild(own);
    }
    var submit = document.createElement("button");
    submit.type = "submit";
    submit.className = "button";
    submit.textContent = t("slow_set", "Set slow mode");
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.setAttribute("data-role", "slow-mode-status");
    label.appendChild(select);
    box.appendChild(label);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(submit);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(status);
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      submit.disabled = true;
      window.NewsdeskApi.request("/api/threads/" + articleId + "/slow-mode", {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ seconds: parseInt(select.value, 10) }),
      }).then(function (result) {
        submit.disabled = false;
        if (!result.ok) {
          status.textContent = result.body.detail || t("failed", "That did not work.");
          return;
        }
        var seconds = result.body.slow_mode_seconds;
        status.textContent = seconds ?
          t("slow_on_now", "Slow mode is on.") : t("slow_off_now", "Slow mode is off.");
      }).catch(function () {
        submit.disabled = false;
        status.textContent = t("connection_failed", "The connection failed; please try again.");
      });
    });
    var heading = section.querySelector("#discussion-heading");
    heading.parentNode.insertBefore(box, heading.nextSibling);
  }

  function decorate(root, controls) {
    root.querySelectorAll(".comment").forEach(function (comment) {
      var actions = comment.querySelector(":scope > .comment__item .comment__actions");
      if (!actions || comment.dataset.staffBound) { return; }
      comment.dataset.staffBound = "1";
      if (controls.can_pick) { actions.appendChild(addPick(comment)); }
      if (controls.can_answer && comment.getAttribute("data-depth") === "2") {
        actions.appendChild(addAnswer(comment));
      }
    });
  }

  function start() {
    var section = document.getElementById("discussion");
    if (!section || !document.querySelector("[data-signed-in]") || !window.fetch) { return; }
    var match = /\/articles\/(\d+)\//.exec(section.getAttribute("data-more-url") || "");
    if (!match) { return; }
    fetch("/api/threads/" + match[1] + "/staff", {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (controls) {
        if (!controls || !(controls.can_pick || controls.can_answer)) { return; }
        if (controls.can_pick) { addSlowMode(section, match[1], controls.slow_mode_seconds || 0); }
        decorate(section, controls);
        // Comments added later ("load more", a post, live updates) get the controls too.
        new MutationObserver(function () { decorate(section, controls); })
          .observe(section, { childList: true, subtree: true });
        section.setAttribute("data-staff", "loaded");
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
