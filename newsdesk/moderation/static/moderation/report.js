// "Report" under each comment: a link to the report page (works without JavaScript), which
// this script turns into a small form in place, sent as JSON.
(function () {
  "use strict";
  var config = document.getElementById("moderation-report-config");
  if (!config) return;
  var urlTemplate = config.getAttribute("data-url");
  var reasons = JSON.parse(config.getAttribute("data-reasons"));
  // The words come from the page, translated there; English when an attribute is missing.
  function words(name, fallback) { return config.getAttribute("data-text-" + name) || fallback; }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function reportUrl(id) { return urlTemplate.replace("0", String(id)); }

  function openForm(link, id) {
    var footer = link.parentNode;
    if (footer.querySelector("[data-role=report-form]")) return;
    var form = document.createElement("form");
    form.method = "post";
    form.action = reportUrl(id);
    form.className = "comment__report form form--wide";
    form.setAttribute("data-role", "report-form");
    var select = document.createElement("select");
    select.name = "reason";
    select.className = "input";
    select.setAttribute("aria-label", words("why", "Why are you reporting this comment?"));
    reasons.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      select.appendChild(option);
    });
    var text = document.createElement("input");
    text.type = "text";
    text.className = "input";
    text.setAttribute("aria-label", words("extra", "Anything to add (optional)"));
    text.name = "text";
    text.maxLength = 500;
    text.placeholder = words("extra", "Anything to add (optional)");
    var send = document.createElement("button");
    send.type = "submit";
    send.className = "button";
    send.textContent = words("send", "Send report");
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "comment__report-status";
    status.setAttribute("data-role", "report-status");
    form.append(select, text, send, status);
    footer.appendChild(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = new URLSearchParams();
      body.set("reason", select.value);
      body.set("text", text.value);
      fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(),
                   "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString()
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        status.textContent = result.ok ? result.data.message : result.data.detail;
        if (result.ok) { select.disabled = true; text.disabled = true; send.disabled = true; }
      }).catch(function () {
        status.textContent = words("failed", "The report could not be sent; try again.");
      });
    });
  }

  function enhance(root) {
    root.querySelectorAll("li.comment[data-comment-id]").forEach(function (item) {
      if (item.classList.contains("comment--own")) return;
      var footer = item.querySelector(":scope > .comment__item > .comment__actions");
      if (!footer) return;
      var id = item.getAttribute("data-comment-id");
      // The server renders the link (it works without script); give it the inline form once.
      var rendered = footer.querySelector("[data-js=report]");
      if (rendered) {
        if (rendered.getAttribute("data-enhanced")) return;
        rendered.setAttribute("data-enhanced", "1");
        rendered.addEventListener("click", function (event) { event.preventDefault(); openForm(rendered, id); });
        return;
      }
      var link = document.createElement("a");
      link.className = "comment__action";
      link.href = reportUrl(id);
      link.textContent = words("report", "Report");
      link.setAttribute("data-js", "report");
      link.setAttribute("data-enhanced", "1");
      link.addEventListener("click", function (event) { event.preventDefault(); openForm(link, id); });
      footer.appendChild(link);
    });
  }

  enhance(document);
  // Comments added later (load more, a new reply) get the link too.
  new MutationObserver(function () { enhance(document); }).observe(document.body, { childList: true, subtree: true });
})();
