/* Live updates on a story page: a quiet bar "N new updates — show" as revisions commit.
 *
 * The page works without it. It never changes what the reader is reading by
 * itself: new revisions are counted in a bar fixed at the foot of the window,
 * and only a click on "show" swaps in the fresh timeline, with the items that
 * changed marked "New", "Updated" or "Corrected". EventSource resumes a
 * dropped stream with Last-Event-ID by itself; if the stream is closed for
 * good (a sleeping laptop, a server restart), we open it again from the last id.
 */
(function () {
  "use strict";
  var root = document.querySelector("script[data-live-stream]");
  if (!root || !window.EventSource || !window.fetch) return;

  var streamUrl = root.getAttribute("data-live-stream");
  var lastId = parseInt(root.getAttribute("data-live-after"), 10) || 0;
  var pending = [];  // events not shown yet, in id order
  var bar, summary, source;

  function word(kind, existing) {
    if (!existing) return "New";
    return kind === "correction" ? "Corrected" : kind === "retraction" ? "Retracted" : "Updated";
  }

  function developmentOf(item) {
    var match = /\/developments\/(\d+)\//.exec(item.url || "");
    return match ? match[1] : null;
  }

  function makeBar() {
    bar = document.createElement("div");
    bar.className = "live-bar";
    bar.setAttribute("role", "status");
    bar.setAttribute("aria-live", "polite");
    summary = document.createElement("span");
    summary.className = "live-summary";
    var show = document.createElement("button");
    show.type = "button";
    show.textContent = "show";
    show.addEventListener("click", showUpdates);
    bar.appendChild(summary);
    bar.appendChild(document.createTextNode(" — "));
    bar.appendChild(show);
    bar.hidden = true;
    document.body.appendChild(bar);
  }

  function render() {
    var corrections = pending.filter(function (e) { return e.kind === "correction"; }).length;
    var n = pending.length;
    summary.textContent = n + " new update" + (n === 1 ? "" : "s") +
      (corrections ? " (" + corrections + " correction" + (corrections === 1 ? "" : "s") + ")" : "");
    bar.hidden = n === 0;
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

  // The page as of at least revision `wanted`: a server (or a cache in front) that
  // has not caught up with the commit yet still answers the previous page, so ask
  // again shortly, a bounded number of times.
  function freshPage(wanted, attempts) {
    return fetch(window.location.pathname,
                 {headers: {Accept: "text/html"}, credentials: "same-origin", cache: "no-store"})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var tag = fresh.querySelector("script[data-live-after]");
        var has = tag ? parseInt(tag.getAttribute("data-live-after"), 10) || 0 : wanted;
        if (has >= wanted || attempts <= 0) return fresh;
        return new Promise(function (resolve) { setTimeout(resolve, 250); })
          .then(function () { return freshPage(wanted, attempts - 1); });
      });
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
        var marked = {};
        shown.forEach(function (event) {
          event.items.forEach(function (item) {
            var dev = developmentOf(item);
            if (!dev || marked[dev]) return;
            marked[dev] = true;
            var key = "development-" + dev;
            mark(document.getElementById(key), word(event.kind, before[key]));
          });
        });
      })
      .catch(function () { window.location.reload(); });
  }

  function connect() {
    source = new EventSource(streamUrl + "?after=" + lastId);
    source.addEventListener("revision", onRevision);
    source.addEventListener("error", function () {
      // CLOSED: the browser gave up (an error status, a long sleep); start again from lastId.
      if (source.readyState === EventSource.CLOSED) window.setTimeout(connect, 5000);
    });
  }

  makeBar();
  connect();
}());
