// The desk's autocomplete boxes (select2) are named after their field's label,
// so a screen reader says what each one is for (WCAG 4.1.2).
(function () {
  "use strict";
  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.parentElement.querySelector(".select2-selection");
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      if (!box || !label) { return; }
      var name = label.textContent.replace(/:\s*$/, "").trim();
      [box, box.querySelector('[role="textbox"]'), box.querySelector(".select2-search__field")]
        .forEach(function (part) { if (part) { part.setAttribute("aria-label", name); } });
    });
  }
  // select2 builds its boxes when jQuery is ready, and again for each added inline row:
  // name them whenever such a box appears.
  document.addEventListener("DOMContentLoaded", function () {
    nameAutocompletes();
    new MutationObserver(function (changes) {
      if (changes.some(function (c) { return c.addedNodes.length; })) { nameAutocompletes(); }
    }).observe(document.body, {childList: true, subtree: true});
  });
})();
