/* Progressive enhancement of the discussion: post, reply, vote and load more without a
   page reload. Without this script every action works as a plain form or link. */
(function () {
  "use strict";

  function sendForm(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    });
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
      sendForm(form).then(function (result) {
        button.disabled = false;
        if (!result.ok) {
          showError(form, result.body.detail || "Your comment could not be posted.");
          return;
        }
        var parentId = form.querySelector('input[name="parent"]').value;
        if (result.body.html) {
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
          var added = document.getElementById("c" + result.body.id);
          if (added) { bindComment(added, section); }
        }
        form.querySelector("textarea").value = "";
        var file = form.querySelector('input[type="file"]');
        if (file) { file.value = ""; }
        showNotice(form, result.body.message);
        if (parentId) { form.remove(); }
      }).catch(function () {
        button.disabled = false;
        showError(form, "The connection failed; please try again.");
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
    form.querySelector('input[name="parent"]').value = parentId;
    form.querySelector("textarea").value = "";
    showError(form, "");
    var heading = document.createElement("p");
    heading.className = "comment-form__replying";
    heading.textContent = "Replying to " + link.getAttribute("data-author");
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
        sendForm(form, submitter).then(function (result) {
          if (!result.ok) {
            showNotice(form, result.body.detail || "Your vote was not counted.");
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

  function start() {
    var section = document.getElementById("discussion");
    if (!section) { return; }
    var form = section.querySelector('form[data-js="comment-form"]');
    if (form) { bindCommentForm(form, section); }
    bindComment(section, section);
    bindLoadMore(section);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
