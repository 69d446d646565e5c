/* Live updates on a story page: a quiet bar "N new updates — show" as revisions commit.
 *
 * The page works without it. It never changes what the reader is reading by
 * itself: new revisions are counted in a bar fixed at the foot of the window,
 * and only a click on "show" swaps in the fresh timeline, with the items that
 * changed marked "New", "Updated" or "Corrected", the first of them scrolled
 * into view. The bar is a polite live region from the start (a region that
 * appears with its text is often not read out), so screen readers hear
 * "1 new update" without losing their place. EventSource resumes a dropped
 * stream with Last-Event-ID by itself; if the stream is closed for good (a
 * sleeping laptop, a server restart), we open it again from the last id, waiting
 * longer after each failure. A hidden tab lets its stream go after a minute and
 * asks for what it missed (`?after=`) when the reader comes back.
 */
(function () {
  "use strict";
  var root = document.querySelector("script[data-live-stream]");
  if (!root || !window.EventSource || !window.fetch || !window.trackerFreshPage) return;

  var streamUrl = root.getAttribute("data-live-stream");
  var lastId = parseInt(root.getAttribute("data-live-after"), 10) || 0;
  var pending = [];  // events not shown yet, in id order
  var bar, summary, show, source, retryTimer, idleTimer;
  var RETRY_FIRST = 5000, RETRY_MOST = 5 * 60 * 1000;
  var HIDDEN_GRACE = parseInt(root.getAttribute("data-live-hidden-grace"), 10) || 60 * 1000;
  var retry = RETRY_FIRST;

  function word(kind, existing) {
    if (!existing) return "New";
    return kind === "correction" ? "Corrected" : kind === "retraction" ? "Retracted" : "Updated";
  }

  // The timeline entry an item belongs to: a development's own, or the one holding a claim.
  function entryOf(item) {
    var match = /\/developments\/(\d+)\//.exec(item.url || "");
    if (match) return document.getElementById("development-" + match[1]);
    match = /\/claims\/(\d+)\//.exec(item.url || "");
    var claim = match && document.getElementById("claim-" + match[1]);
    return claim ? claim.closest(".timeline > li[id]") : null;
  }

  function makeBar() {
    bar = document.createElement("div");
    bar.className = "live-bar";
    bar.setAttribute("role", "status");
    bar.setAttribute("aria-live", "polite");
    summary = document.createElement("span");
    summary.className = "live-summary";
    show = document.createElement("button");
    show.type = "button";
    show.textContent = "show";
    show.addEventListener("click", showUpdates);
    var dash = document.createElement("span");
    dash.setAttribute("aria-hidden", "true");
    dash.textContent = " — ";
    bar.appendChild(summary);
    bar.appendChild(dash);
    bar.appendChild(show);
    document.body.appendChild(bar);
    render();
  }

  function render() {
    var corrections = pending.filter(function (e) { return e.kind === "correction"; }).length;
    var n = pending.length;
    summary.textContent = n === 0 ? "" : n + " new update" + (n === 1 ? "" : "s") +
      (corrections ? " (" + corrections + " correction" + (corrections === 1 ? "" : "s") + ")" : "");
    // Idle, the region stays in the page, empty and without a box; never `hidden`.
    bar.classList.toggle("live-bar-idle", n === 0);
    show.hidden = n === 0;
  }

  function onRevision(message) {
    var id = parseInt(message.lastEventId, 10);
    if (!id || id <= lastId) return;  // already counted (a replay after reconnecting)
    lastId = id;
    pending.push(JSON.parse(message.data));
    render();
  }

  function mark(element, text) {
    if (!element) return;
    element.classList.add("live-changed");
    var label = document.createElement("span");
    label.className = "label live-label label-" + text.toLowerCase();
    label.textContent = text;
    var heading = element.querySelector("h3") || element;
    heading.insertBefore(label, heading.firstChild);
    heading.insertBefore(document.createTextNode(" "), label.nextSibling);
  }

  // Bring the first changed entry into view and give it the focus, so keyboard
  // and screen-reader users land where sighted readers look.
  function reveal(element) {
    if (!element) return;
    element.setAttribute("tabindex", "-1");
    element.scrollIntoView({block: "center"});
    element.focus({preventScroll: true});
  }

  // With the query (e.g. ?order=newest): the fresh timeline keeps the reader's order.
  function freshPage(wanted, attempts) {
    return window.trackerFreshPage(window.location.pathname + window.location.search, wanted, attempts);
  }

  function showUpdates() {
    var shown = pending;
    pending = [];
    render();
    var before = {};
    document.querySelectorAll(".timeline > li[id]").forEach(function (li) { before[li.id] = true; });
    freshPage(lastId, 20)
      .then(function (fresh) {
        [".story-header", ".story-layout"].forEach(function (selector) {
          var now = document.querySelector(selector), next = fresh.querySelector(selector);
          if (now && next) now.replaceWith(next);
        });
        var marked = {}, first = null;
        shown.forEach(function (event) {
          event.items.forEach(function (item) {
            var entry = entryOf(item);
            if (!entry || marked[entry.id]) return;
            marked[entry.id] = true;
            // A claim added to a known development updates it; only a development is "New".
            var existing = before[entry.id] || item.type !== "development";
            mark(entry, word(event.kind, existing));
            first = first || entry;
          });
        });
        reveal(first);
      })
      .catch(function () { window.location.reload(); });
  }

  function connect() {
    window.clearTimeout(retryTimer);
    if (source || document.hidden) return;
    source = new EventSource(streamUrl + "?after=" + lastId);
    source.addEventListener("open", function () { retry = RETRY_FIRST; });
    source.addEventListener("revision", onRevision);
    source.addEventListener("error", function () {
      // CLOSED: the browser gave up (an error status, a long sleep); start again from
      // lastId, each time a little later (5 s, 10 s, ... at most 5 minutes).
      if (source.readyState !== EventSource.CLOSED) return;
      source = null;
      retryTimer = window.setTimeout(connect, retry);
      retry = Math.min(retry * 2, RETRY_MOST);
    });
  }

  function disconnect() {
    window.clearTimeout(retryTimer);
    if (source) source.close();
    source = null;
  }

  // A tab in the background needs no open stream: let it go after a grace period
  // (a quick look at another tab keeps it), and catch up from lastId on return.
  document.addEventListener("visibilitychange", function () {
    window.clearTimeout(idleTimer);
    if (document.hidden) {
      idleTimer = window.setTimeout(disconnect, HIDDEN_GRACE);
    } else {
      retry = RETRY_FIRST;
      connect();
    }
  });

  makeBar();
  connect();
}());
