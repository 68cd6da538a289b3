/* Readers' own controls on a thread served from the shared page cache: a signed-in reader's
   "Follow this discussion" button, "Ignore" under other readers' comments, and the comments
   of the commenters they ignore collapsed ("Comment by an ignored commenter — show").
   What this reader ignores and follows comes from an uncached endpoint
   (/api/discussion/controls); each comment of an account carries its author's mark
   (data-commenter, absent for guests and staff, who cannot be ignored). Comments added later
   (load more, live updates, a posted reply) are handled as they arrive. Guests see nothing of
   this: ignoring needs an account. */
(function () {
  "use strict";

  /* The page's words, translated (words.js); the English here is the fallback. */
  var t = window.NewsdeskWords.t;
  var tn = window.NewsdeskWords.tn;

  var SETTINGS_URL = "/accounts/discussion/";

  function call(method, url) {
    return window.NewsdeskApi.request(url, { method: method });
  }

  function articleId(section) {
    var match = (section.getAttribute("data-more-url") || "").match(/articles\/(\d+)\//);
    return match ? match[1] : "";
  }

  function say(section, message) {
    var box = section.querySelector('[data-role="controls-status"]');
    if (box) { box.textContent = message; }
  }

  function collapse(comment) {
    var item = comment.querySelector(":scope > .comment__item");
    if (!item || comment.querySelector(':scope > [data-role="ignored"]')) { return; }
    var note = document.createElement("p");
    note.className = "comment__ignored";
    note.setAttribute("data-role", "ignored");
    note.appendChild(document.createTextNode(
      t("ignored_note", "Comment by an ignored commenter — ")));
    var show = document.createElement("button");
    show.type = "button";
    show.className = "comment__action";
    show.textContent = t("show", "show");
    show.addEventListener("click", function () {
      item.hidden = false;
      comment.setAttribute("data-shown-anyway", "1");
      note.remove();
    });
    note.appendChild(show);
    item.hidden = true;
    item.insertAdjacentElement("beforebegin", note);
  }

  function uncollapse(comment) {
    var item = comment.querySelector(":scope > .comment__item");
    var note = comment.querySelector(':scope > [data-role="ignored"]');
    if (note) { note.remove(); }
    if (item) { item.hidden = false; }
  }

  function start() {
    var section = document.getElementById("discussion");
    if (!section || !window.fetch) { return; }
    var id = articleId(section);
    var url = "/api/discussion/controls" + (id ? "?article_id=" + id : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (controls) {
        if (controls && controls.signed_in) { enhance(section, id, controls); }
      })
      .catch(function () { /* the thread works without the controls */ });
  }

  function enhance(section, id, controls) {
    var ignored = new Set(controls.ignored);
    var status = document.createElement("p");
    status.className = "discussion__controls-status";
    status.setAttribute("role", "status");
    status.setAttribute("data-role", "controls-status");

    var bar = document.createElement("div");
    bar.className = "discussion__controls";
    if (id) {
      var follow = document.createElement("button");
      follow.type = "button";
      follow.className = "button button--secondary";
      follow.setAttribute("data-js", "follow");
      var following = controls.following;
      var label = function () {
        follow.textContent = following ?
          t("following", "Following this discussion") : t("follow", "Follow this discussion");
        follow.setAttribute("aria-pressed", following ? "true" : "false");
      };
      label();
      follow.addEventListener("click", function () {
        follow.disabled = true;
        call(following ? "DELETE" : "POST", "/api/threads/" + id + "/follow").then(function (r) {
          follow.disabled = false;
          if (!r.ok) { say(section, r.detail || t("failed_again", "That did not work; please try again.")); return; }
          following = r.body.following;
          label();
          var frequencies = words().frequencies || {};
          say(section, following
            ? t("followed",
              "You follow this discussion: new comments come by e-mail (%(frequency)s).",
              { frequency: frequencies[controls.frequency] || controls.frequency })
            : t("unfollowed", "You no longer follow this discussion."));
        }).catch(function () {
          follow.disabled = false;
          say(section, t("connection_failed", "The connection failed; please try again."));
        });
      });
      bar.appendChild(follow);
    }
    var settings = document.createElement("a");
    settings.href = SETTINGS_URL;
    settings.textContent = t("settings", "Discussion settings");
    bar.appendChild(settings);
    var heading = section.querySelector("#discussion-heading");
    (heading || section.firstChild).insertAdjacentElement("afterend", bar);
    bar.insertAdjacentElement("afterend", status);

    function offerIgnore(comment) {
      var mark = comment.getAttribute("data-commenter");
      if (!mark || mark === controls.me) { return; }
      var actions = comment.querySelector(":scope > .comment__item .comment__actions");
      if (!actions || actions.querySelector('[data-js="ignore"]')) { return; }
      var author = comment.querySelector(":scope > .comment__item .comment__author");
      var name = author ? author.textContent.trim() : t("this_commenter", "this commenter");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "comment__action";
      button.setAttribute("data-js", "ignore");
      button.setAttribute("aria-label", t("ignore_name", "Ignore %(name)s", { name: name }));
      button.textContent = t("ignore", "Ignore");
      button.addEventListener("click", function () {
        button.disabled = true;
        var commentId = comment.getAttribute("data-comment-id");
        call("POST", "/api/comments/" + commentId + "/ignore").then(function (r) {
          button.disabled = false;
          if (!r.ok) { say(section, r.detail || t("failed_again", "That did not work; please try again.")); return; }
          ignored.add(r.body.commenter);
          apply(section);
          say(section, t("ignoring", "You ignore %(name)s: their comments are collapsed. " +
            "Undo it in your discussion settings.", { name: r.body.name }));
        }).catch(function () {
          button.disabled = false;
          say(section, t("connection_failed", "The connection failed; please try again."));
        });
      });
      actions.appendChild(button);
    }

    function apply(root) {
      root.querySelectorAll("li.comment[data-commenter]").forEach(function (comment) {
        offerIgnore(comment);
        if (ignored.has(comment.getAttribute("data-commenter"))) {
          if (!comment.hasAttribute("data-shown-anyway")) { collapse(comment); }
        } else {
          uncollapse(comment);
        }
      });
    }

    apply(section);
    var list = section.querySelector('[data-role="comments"]');
    if (list && window.MutationObserver) {
      new MutationObserver(function (changes) {
        var added = changes.some(function (change) { return change.addedNodes.length; });
        if (added) { apply(section); }
      }).observe(list, { childList: true, subtree: true });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
