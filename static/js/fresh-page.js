/* The page as of at least revision `wanted`, for live.js (the story page) and embed.js (the embed
 * cards): a server (or a cache in front) that has not caught up with the commit yet still answers
 * the previous page (its `data-live-after` is lower), so ask again shortly, a bounded number of times.
 */
window.trackerFreshPage = function freshPage(url, wanted, attempts) {
  "use strict";
  return fetch(url, {headers: {Accept: "text/html"}, credentials: "same-origin", cache: "no-store"})
    .then(function (response) { return response.text(); })
    .then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var tag = fresh.querySelector("script[data-live-after]");
      var has = tag ? parseInt(tag.getAttribute("data-live-after"), 10) || 0 : wanted;
      if (has >= wanted || attempts <= 0) return fresh;
      return new Promise(function (resolve) { setTimeout(resolve, 250); })
        .then(function () { return freshPage(url, wanted, attempts - 1); });
    });
};
