/* Progressive enhancement of the discussion: post, reply, vote, delete (through the JSON API)
   and load more without a page reload; the comment count follows. Without this script every
   action works as a plain form or link (deleting asks on a page of its own). */
(function () {
  "use strict";

  /* The page's words, translated (words.js); the English here is the fallback. */
  var t = window.NewsdeskWords.t;
  var tn = window.NewsdeskWords.tn;

  /* Every write goes to the JSON API (/api/) through api.js, as the API's other callers'
     do: the reader is known by their session or guest cookie, and the form's CSRF token
     goes along in X-CSRFToken. */
  function api(url, form, init) {
    return window.NewsdeskApi.request(url, init, form);
  }

  /* The comment form's fields as they are (multipart, for its picture), under the API's
     names: the parent's id is parent_id, and an empty one is no parent. */
  function postComment(form) {
    var data = new FormData(form);
    var parent = data.get("parent");
    data.delete("parent");
    if (parent) { data.append("parent_id", parent); }
    return api(form.getAttribute("data-api"), form, { method: "POST", body: data });
  }

  function postVote(form, commentId, up) {
    return api("/api/comments/" + commentId + "/votes", form, {
      method: "POST",
      body: JSON.stringify({ value: up ? 1 : -1 }),
      headers: { "Content-Type": "application/json" },
    });
  }

  /* The heading's "N comments": published comments only, as the server counts them. */
  function countChange(section, delta) {
    var count = section.querySelector('[data-role="count"]');
    if (!count) { return; }
    var value = Math.max(0, (parseInt(count.getAttribute("data-count"), 10) || 0) + delta);
    count.setAttribute("data-count", String(value));
    count.textContent = tn("comments", value, "%(count)s comment", "%(count)s comments");
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  function showError(form, message) {
    var box = form.querySelector('[data-role="error"]');
    if (box) {
      box.textContent = message || "";
    }
  }

  function showNotice(element, message) {
    var notice = document.createElement("p");
    notice.className = "discussion__message";
    notice.setAttribute("role", "status");
    notice.setAttribute("data-role", "notice");
    notice.textContent = message;
    element.insertAdjacentElement("afterend", notice);
    setTimeout(function () { notice.remove(); }, 8000);
  }

  function bindCommentForm(form, section) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      showError(form, "");
      postComment(form).then(function (result) {
        button.disabled = false;
        if (!result.ok) {
          showError(form, result.detail || t("post_failed", "Your comment could not be posted."));
          return;
        }
        var parentId = form.querySelector('input[name="parent"]').value;
        if (result.body.html && result.body.comment) {
          var list;
          if (parentId) {
            var parent = document.getElementById("c" + parentId);
            list = parent.querySelector(':scope > [data-role="replies"]');
            list.appendChild(fragment(result.body.html));
          } else {
            list = section.querySelector('[data-role="comments"]');
            list.insertBefore(fragment(result.body.html), list.firstChild);
          }
          var empty = section.querySelector('[data-role="empty"]');
          if (empty) { empty.remove(); }
          var added = document.getElementById("c" + result.body.comment.id);
          if (added) { bindComment(added, section); }
          if (!result.body.comment.awaiting_moderation) { countChange(section, 1); }
        }
        form.querySelector("textarea").value = "";
        var file = form.querySelector('input[type="file"]');
        if (file) { file.value = ""; }
        showNotice(form, result.body.message);
        if (parentId) { form.remove(); }
      }).catch(function () {
        button.disabled = false;
        showError(form, t("connection_failed", "The connection failed; please try again."));
      });
    });
  }

  function replyFormFor(section, link) {
    var main = section.querySelector('form[data-js="comment-form"]');
    if (!main) { return null; }
    var parentId = link.getAttribute("data-parent");
    var form = main.cloneNode(true);
    form.id = "reply-form-" + parentId;
    form.querySelectorAll("[id]").forEach(function (element) {
      element.id = element.id + "-r" + parentId;
    });
    form.querySelectorAll("label[for]").forEach(function (label) {
      label.htmlFor = label.htmlFor + "-r" + parentId;
    });
    form.querySelectorAll("[aria-describedby]").forEach(function (element) {
      element.setAttribute("aria-describedby",
        element.getAttribute("aria-describedby") + "-r" + parentId);
    });
    form.querySelector('input[name="parent"]').value = parentId;
    if (section.hasAttribute("data-qa")) {
      // The main form asks a question (Q&A mode); this one replies to it.
      form.querySelector('button[type="submit"]').textContent = t("post_reply", "Post reply");
      form.querySelector('label[for$="-body-r' + parentId + '"]').textContent =
        t("your_reply", "Your reply");
    }
    form.querySelector("textarea").value = "";
    showError(form, "");
    var heading = document.createElement("p");
    heading.className = "comment-form__replying";
    heading.textContent = t("replying_to", "Replying to %(name)s",
      { name: link.getAttribute("data-author") });
    form.insertBefore(heading, form.firstChild);
    bindCommentForm(form, section);
    return form;
  }

  function bindComment(root, section) {
    root.querySelectorAll('a[data-js="reply"]').forEach(function (link) {
      if (link.dataset.bound) { return; }
      link.dataset.bound = "1";
      link.addEventListener("click", function (event) {
        var comment = link.closest(".comment");
        var open = comment.querySelector(':scope > form[data-js="comment-form"]');
        if (open) { event.preventDefault(); open.querySelector("textarea").focus(); return; }
        var form = replyFormFor(section, link);
        if (!form) { return; }
        event.preventDefault();
        comment.querySelector(":scope > .comment__item").insertAdjacentElement("afterend", form);
        form.querySelector("textarea").focus();
      });
    });
    root.querySelectorAll('form[data-js="vote"]').forEach(function (form) {
      if (form.dataset.bound) { return; }
      form.dataset.bound = "1";
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var submitter = event.submitter;
        var commentId = form.closest(".comment").getAttribute("data-comment-id");
        var up = !submitter || submitter.value !== "down";
        postVote(form, commentId, up).then(function (result) {
          if (!result.ok) {
            showNotice(form, result.detail || t("vote_failed", "Your vote was not counted."));
            return;
          }
          form.querySelector('[data-role="upvotes"]').textContent = result.body.upvotes;
          form.querySelector('[data-role="downvotes"]').textContent = result.body.downvotes;
          form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
          if (submitter) { submitter.setAttribute("aria-pressed", "true"); }
        });
      });
    });
  }

  /* "Delete" asks in place first ("Delete it" / "Keep it"), then deletes through the API and
     says it is done. Listened for on the whole section: the reader's own comments get their
     delete button from the server, after posting, or from personal.js later. */
  function bindDelete(section) {
    section.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form.comment__delete")) { return; }
      event.preventDefault();
      var comment = form.closest(".comment");
      var item = comment && comment.querySelector(":scope > .comment__item");
      if (!item || item.querySelector('[data-role="delete-confirm"]')) { return; }
      var box = document.createElement("div");
      box.className = "comment__confirm";
      box.setAttribute("role", "group");
      box.setAttribute("aria-labelledby", "delete-ask-" + comment.getAttribute("data-comment-id"));
      box.setAttribute("data-role", "delete-confirm");
      var question = document.createElement("p");
      question.id = "delete-ask-" + comment.getAttribute("data-comment-id");
      question.textContent = t("delete_ask", "Delete this comment? This cannot be undone.");
      var yes = document.createElement("button");
      yes.type = "button";
      yes.className = "button";
      yes.textContent = t("delete_yes", "Delete it");
      var no = document.createElement("button");
      no.type = "button";
      no.className = "button button--secondary";
      no.textContent = t("delete_no", "Keep it");
      var status = document.createElement("p");
      status.className = "comment-form__error";
      status.setAttribute("role", "alert");
      box.append(question, yes, no, status);
      form.hidden = true;
      item.appendChild(box);
      yes.focus();
      no.addEventListener("click", function () {
        box.remove();
        form.hidden = false;
        form.querySelector("button").focus();
      });
      yes.addEventListener("click", function () {
        yes.disabled = true;
        var id = comment.getAttribute("data-comment-id");
        var wasPublic = !item.querySelector('[data-role="pending"]');
        api("/api/comments/" + id, form, { method: "DELETE" }).then(function (result) {
          if (!result.ok) {
            yes.disabled = false;
            status.textContent = result.detail ||
              t("delete_failed", "Your comment could not be deleted.");
            return;
          }
          var done = document.createElement("p");
          done.className = "discussion__message";
          done.setAttribute("role", "status");
          done.setAttribute("data-role", "deleted-notice");
          done.setAttribute("tabindex", "-1");
          done.textContent = t("deleted", "Your comment is deleted.");
          var replies = comment.querySelector(':scope > [data-role="replies"]');
          if (replies && replies.children.length) {
            // Its replies keep their place under a placeholder, as the server shows them.
            var placeholder = document.createElement("p");
            placeholder.className = "comment__placeholder";
            placeholder.textContent = t("placeholder_deleted", "This comment was deleted.");
            item.replaceWith(placeholder);
            placeholder.insertAdjacentElement("afterend", done);
          } else {
            // Without replies the server shows nothing of it: only the notice takes its place.
            var gone = document.createElement("li");
            gone.className = "comment comment--gone";
            gone.appendChild(done);
            comment.replaceWith(gone);
          }
          done.focus();
          if (wasPublic) { countChange(section, -1); }
        }).catch(function () {
          yes.disabled = false;
          status.textContent = t("connection_failed", "The connection failed; please try again.");
        });
      });
    });
  }

  function bindLoadMore(section) {
    var link = section.querySelector('a[data-js="load-more"]');
    if (!link) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var url = section.getAttribute("data-more-url") + "?page=" + link.dataset.page +
        "&sort=" + encodeURIComponent(link.dataset.sort);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          var list = section.querySelector('[data-role="comments"]');
          var content = fragment(body.html);
          var added = Array.prototype.slice.call(content.children);
          list.appendChild(content);
          added.forEach(function (element) { bindComment(element, section); });
          if (body.has_more) {
            link.dataset.page = String(body.page + 1);
            link.href = "?sort=" + encodeURIComponent(link.dataset.sort) + "&cpage=" +
              link.dataset.page + "#discussion";
          } else {
            link.parentNode.remove();
          }
        });
    });
  }

  /* Live threads: the page asks the thread's live document (the same answer for every
     reader, cached and revalidated: a 304 when nothing changed) every data-live-poll
     seconds whether comments were published since it was drawn, and offers them in a polite
     bar ("3 new comments — show them"; "NAME replied to you — show" when one answers a
     comment of this reader's: their own are marked comment--own, by the server or by
     personal.js). "show" fetches them as the thread draws them and puts each in its place.
     It asks less often in a hidden tab and after failures (429 and Retry-After included),
     and stops after data-live-idle-hours without a touch (until the next one). */
  function bindLive(section) {
    var box = section.querySelector('[data-role="live"]');
    if (!box || !window.fetch) { return; }
    var poll = (parseFloat(box.getAttribute("data-live-poll")) || 0) * 1000;
    if (!poll) { return; }
    // A comment published just before the page was drawn may have missed it (its commit).
    var MARGIN_SECONDS = 10;
    var since = (parseFloat(box.getAttribute("data-live-since")) || Date.now() / 1000) -
      MARGIN_SECONDS;
    var idleLimit = (parseFloat(box.getAttribute("data-live-idle-hours")) || 0) * 3600000;
    var nestDepth = parseInt(box.getAttribute("data-nest-depth"), 10) || 5;
    var status = box.querySelector('[data-role="live-status"]');
    var button = box.querySelector('[data-js="live-show"]');
    var etag = "";
    var latest = null;
    var pending = [];
    var failures = 0;
    var timer = null;
    var stopped = false;
    var lastTouch = Date.now();

    function ownIds() {
      var ids = {};
      section.querySelectorAll(".comment--own").forEach(function (element) {
        ids[element.getAttribute("data-comment-id")] = true;
      });
      return ids;
    }

    function render() {
      if (!pending.length) {
        button.hidden = true;
        box.classList.remove("discussion__live--new");
        // An offer no longer standing (its comments reached the page another way) goes.
        if (/ —$/.test(status.textContent)) { status.textContent = ""; }
        return;
      }
      var own = ownIds();
      var replies = pending.filter(function (comment) {
        return comment.parent && own[String(comment.parent)] && !own[String(comment.id)];
      });
      var count = pending.length;
      var plural = function (n) {
        return tn("live_new", n, "%(count)s new comment", "%(count)s new comments");
      };
      var text = plural(count) + (latest && latest.bounded && count >= 50 ? "+" : "");
      if (replies.length) {
        var author = replies[0].author;
        text = replies.length > 1 ?
          tn("live_replied_more", replies.length - 1, "%(name)s and %(count)s more replied to you",
            "%(name)s and %(count)s more replied to you", { name: author }) :
          t("live_replied", "%(name)s replied to you", { name: author });
        if (count > replies.length) {
          text = t("live_and", "%(replies)s, and %(comments)s",
            { replies: text, comments: plural(count - replies.length) });
        }
      }
      text += " —";
      if (status.textContent !== text) { status.textContent = text; }
      button.textContent = tn("live_show", count, "show", "show them");
      button.hidden = false;
      box.classList.add("discussion__live--new");
    }

    function update() {
      pending = latest.comments.filter(function (comment) {
        return comment.at >= since && !document.getElementById("c" + comment.id);
      });
      render();
    }

    function delay() {
      var wait = document.hidden ? Math.max(poll * 8, 120000) : poll;
      if (failures) { wait = Math.min(poll * Math.pow(2, failures), 600000); }
      return wait * (0.9 + Math.random() * 0.2);  // spread readers who opened it together
    }

    function schedule(wait) {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(check, wait === undefined ? delay() : wait);
    }

    function check() {
      timer = null;
      if (idleLimit && Date.now() - lastTouch > idleLimit) { stopped = true; return; }
      var headers = { Accept: "application/json" };
      if (etag) { headers["If-None-Match"] = etag; }
      fetch(box.getAttribute("data-live-url"),
        { credentials: "omit", cache: "no-store", headers: headers })
        .then(function (response) {
          if (response.status === 304) { return null; }
          if (!response.ok) {
            var error = new Error("live " + response.status);
            error.retryAfter = parseFloat(response.headers.get("Retry-After")) || 0;
            throw error;
          }
          etag = response.headers.get("ETag") || "";
          return response.json();
        })
        .then(function (document_) {
          failures = 0;
          if (document_) { latest = document_; update(); }
          schedule();
        })
        .catch(function (error) {
          failures += 1;
          var wait = delay();
          if (error && error.retryAfter) { wait = Math.max(wait, error.retryAfter * 1000); }
          schedule(wait);
        });
    }

    function listFor(comment, top) {
      if (!comment.parent) { return top; }
      var parent = document.getElementById("c" + comment.parent);
      // Below the nesting depth a reply is shown under its ancestor at that depth.
      while (parent && (parseInt(parent.getAttribute("data-depth"), 10) || 1) > nestDepth) {
        parent = parent.parentElement && parent.parentElement.closest(".comment");
      }
      return (parent && parent.querySelector(':scope > [data-role="replies"]')) || top;
    }

    button.addEventListener("click", function () {
      var ids = pending.map(function (comment) { return comment.id; });
      if (!ids.length) { return; }
      button.disabled = true;
      var language = box.getAttribute("data-live-language");
      fetch(box.getAttribute("data-live-comments-url") + "?ids=" + ids.join(",") +
        (language ? "&lang=" + encodeURIComponent(language) : ""),
        { credentials: "omit", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("live comments " + response.status); }
          return response.json();
        })
        .then(function (body) {
          var top = section.querySelector('[data-role="comments"]');
          var added = [];
          body.comments.forEach(function (comment) {
            if (document.getElementById("c" + comment.id)) { return; }
            var list = listFor(comment, top);
            var content = fragment(comment.html);
            var element = content.firstElementChild;
            if (list === top) { top.insertBefore(content, top.firstChild); } else {
              list.appendChild(content);
            }
            element.classList.add("comment--new");
            bindComment(element, section);
            added.push(element);
          });
          var empty = section.querySelector('[data-role="empty"]');
          if (empty && added.length) { empty.remove(); }
          var count = section.querySelector('[data-role="count"]');
          if (count && latest) {
            count.setAttribute("data-count", String(latest.count));
            count.textContent = tn("comments", latest.count, "%(count)s comment",
              "%(count)s comments");
          }
          pending = [];
          update();
          button.disabled = false;
          status.textContent = tn("live_shown", added.length, "%(count)s new comment shown.",
            "%(count)s new comments shown.");
          added.sort(function (a, b) {
            return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
          });
          var item = added.length && added[0].querySelector(":scope > .comment__item");
          if (item) { item.setAttribute("tabindex", "-1"); item.focus(); }
        })
        .catch(function () {
          button.disabled = false;
          status.textContent = t("live_failed",
            "The new comments could not be loaded; please try again.");
        });
    });

    ["keydown", "pointerdown", "scroll", "touchstart"].forEach(function (name) {
      window.addEventListener(name, function () {
        lastTouch = Date.now();
        if (stopped) { stopped = false; schedule(0); }
      }, { passive: true });
    });
    document.addEventListener("visibilitychange", function () {
      // Back in view: ask now rather than at the hidden tab's slower pace.
      if (!document.hidden && !stopped) { schedule(1000); }
    });
    schedule();
  }

  function start() {
    var section = document.getElementById("discussion");
    if (!section) { return; }
    var form = section.querySelector('form[data-js="comment-form"]');
    if (form) { bindCommentForm(form, section); }
    bindComment(section, section);
    bindDelete(section);
    bindLoadMore(section);
    bindLive(section);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
