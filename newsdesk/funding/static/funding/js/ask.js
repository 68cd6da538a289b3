/* The support ask that knows its reader, chosen in the reader's browser alone.

   The page is one shared copy holding every variant's words (data-ask-variant: "none" for
   readers who have not given, "lapsed", "current"); without this script the "none" ask shows,
   as it always did. This script, loaded with defer where the call to action or the campaign
   bar is, picks one from what only this browser knows, kept in localStorage and never sent
   (no cookie, no request, no third party):

   - the articles read: the ids of the articles whose call to action it saw (newest kept);
   - when it last showed the ask;
   - the donor status: a signed-in reader's page states it ([data-ask-status], the page
     cache's personal region), and a gift's thank-you page leaves [data-ask-gave] (today,
     monthly or not), which a guest's browser keeps.

   Under an article the ask shows from the data-ask-after-th article read, at most once per
   data-ask-days days; a current donor gets the thank-you (or nothing when editors turned it
   off); the bar shows the words of the reader's status. */
(function () {
  "use strict";

  if (window.newsdeskSupportAsk) { return; }  // loaded by both the bar and the article
  window.newsdeskSupportAsk = true;

  var READ = "newsdesk.ask.read";
  var SHOWN = "newsdesk.ask.shown";
  var GAVE = "newsdesk.ask.gave";
  var READ_KEPT = 200;
  var DAY = 86400000;
  var RANK = { none: 0, lapsed: 1, current: 2 };

  function storage() {
    try {
      var store = window.localStorage;
      store.setItem("newsdesk.ask.probe", "1");
      store.removeItem("newsdesk.ask.probe");
      return store;
    } catch (error) {
      return null;  // storage refused (privacy mode, settings): the page stays as served
    }
  }

  function readJSON(store, key) {
    try { return JSON.parse(store.getItem(key)); } catch (error) { return null; }
  }

  function whole(value, fallback) {
    var number = parseInt(value, 10);
    return isNaN(number) || number < 0 ? fallback : number;
  }

  function today() {
    var now = new Date();
    var month = String(now.getMonth() + 1).padStart(2, "0");
    var day = String(now.getDate()).padStart(2, "0");
    return now.getFullYear() + "-" + month + "-" + day;
  }

  function gaveRecord(store) {
    var marks = document.querySelectorAll("[data-ask-gave]");
    if (marks.length) {
      store.setItem(GAVE, JSON.stringify({ on: today(), monthly: marks[0].dataset.askMonthly === "1" }));
    }
  }

  // What the thank-you page left: a monthly gift stays current (this browser cannot know
  // of a cancellation; a signed-in page tells better), a one-off for lapsedDays.
  function statusFromGift(store, lapsedDays) {
    var gave = readJSON(store, GAVE);
    if (!gave || typeof gave.on !== "string") { return "none"; }
    if (gave.monthly) { return "current"; }
    var on = Date.parse(gave.on + "T00:00:00");
    if (isNaN(on)) { return "none"; }
    return Date.now() - on <= lapsedDays * DAY ? "current" : "lapsed";
  }

  function statusOf(store, lapsedDays) {
    var status = statusFromGift(store, lapsedDays);
    var stated = document.querySelector("[data-ask-status]");
    var told = stated ? stated.dataset.askStatus : "";
    if (Object.prototype.hasOwnProperty.call(RANK, told) && RANK[told] > RANK[status]) {
      status = told;
    }
    return status;
  }

  // Show the variant ``status`` of ``root`` (false when it has none), hide the others.
  function choose(root, status) {
    var found = false;
    root.querySelectorAll("[data-ask-variant]").forEach(function (variant) {
      var chosen = variant.dataset.askVariant === status;
      variant.hidden = !chosen;
      found = found || chosen;
    });
    return found;
  }

  // The aside is named by the heading it shows.
  function label(cta, status) {
    var heading = cta.querySelector('[data-ask-variant="' + status + '"] h2');
    if (heading && heading.id) { cta.setAttribute("aria-labelledby", heading.id); }
  }

  function articleAsk(store, cta) {
    var after = Math.max(1, whole(cta.dataset.askAfter, 1));
    var days = whole(cta.dataset.askDays, 0);
    var page = cta.dataset.askPage;
    var read = readJSON(store, READ);
    if (!Array.isArray(read)) { read = []; }
    if (page && read.indexOf(page) === -1) {
      read.push(page);
      store.setItem(READ, JSON.stringify(read.slice(-READ_KEPT)));
    }
    var status = statusOf(store, whole(cta.dataset.askLapsedDays, 400));
    cta.dataset.askReader = status;
    if (status === "current") {
      // A thank-you is no ask: it is not counted, and shows whenever editors want it.
      cta.hidden = !choose(cta, "current");
      label(cta, "current");
      return;
    }
    var shownAt = Number(store.getItem(SHOWN)) || 0;
    var due = read.length >= after && (!shownAt || Date.now() - shownAt >= days * DAY);
    if (!due) {
      cta.hidden = true;
      return;
    }
    choose(cta, status);
    label(cta, status);
    cta.hidden = false;
    store.setItem(SHOWN, String(Date.now()));
  }

  function barAsk(store, bar) {
    var status = statusOf(store, whole(bar.dataset.askLapsedDays, 400));
    bar.dataset.askReader = status;
    choose(bar, status);
  }

  var store = storage();
  if (!store) { return; }
  gaveRecord(store);
  document.querySelectorAll('[data-ask="cta"]').forEach(function (cta) { articleAsk(store, cta); });
  document.querySelectorAll('[data-ask="bar"]').forEach(function (bar) { barAsk(store, bar); });
}());
