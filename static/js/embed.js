/* Live updates on an embed card: the story's stream (the one the story page follows, live.js)
 * tells when a revision touched this card's item; the card is then fetched again and swapped in,
 * and a polite live region says so. The card reads well without it.
 */
(function () {
  "use strict";
  var root = document.querySelector("script[data-live-stream]");
  if (!root || !window.EventSource || !window.fetch || !window.trackerFreshPage) return;

  var streamUrl = root.getAttribute("data-live-stream");
  var item = root.getAttribute("data-embed-item");
  var lastId = parseInt(root.getAttribute("data-live-after"), 10) || 0;
  var status = document.querySelector(".embed-live");
  var source, retry = 5000, RETRY_MOST = 5 * 60 * 1000;

  function touches(event) {
    return (event.items || []).some(function (changed) { return changed.url === item; });
  }

  function refresh(wanted, kind) {
    window.trackerFreshPage(window.location.pathname, wanted, 20).then(function (fresh) {
      var now = document.querySelector(".embed-card"), next = fresh.querySelector(".embed-card");
      if (now && next) now.replaceWith(next);
      if (!status) return;
      document.body.classList.add("embed-updated");
      status.textContent = kind === "correction" ? "Corrected just now" : "Updated just now";
    });
  }

  function onRevision(message) {
    var id = parseInt(message.lastEventId, 10);
    if (!id || id <= lastId) return;
    lastId = id;
    var event = JSON.parse(message.data);
    if (touches(event)) refresh(id, event.kind);
  }

  function connect() {
    source = new EventSource(streamUrl + "?after=" + lastId);
    source.addEventListener("open", function () { retry = 5000; });
    source.addEventListener("revision", onRevision);
    source.addEventListener("error", function () {
      if (source.readyState !== EventSource.CLOSED) return;  // EventSource reconnects by itself
      window.setTimeout(connect, retry);
      retry = Math.min(retry * 2, RETRY_MOST);
    });
  }

  connect();
}());
