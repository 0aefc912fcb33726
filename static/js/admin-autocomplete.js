// The admin's autocomplete boxes that take several choices (select2: the article's topics and
// related articles) type into a search field of their own, which select2 leaves without a
// name: screen readers announced an unnamed box (axe-core: "label", critical). Each gets the
// name of its field, again whenever select2 redraws it. Loaded by ArticleAdmin's Media.
(function () {
  "use strict";

  function nameSearchField(select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var field = select.nextElementSibling && select.nextElementSibling.querySelector(
      ".select2-search__field"
    );
    if (label && field && !field.hasAttribute("aria-label")) {
      field.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    }
  }

  // After Django's autocomplete.js has made the boxes (on DOMContentLoaded).
  window.addEventListener("load", function () {
    document.querySelectorAll("select.admin-autocomplete[multiple]").forEach(function (select) {
      var box = select.nextElementSibling; // select2 puts its box right after the select
      if (!box) {
        return;
      }
      nameSearchField(select);
      new MutationObserver(function () {
        nameSearchField(select);
      }).observe(box, { childList: true, subtree: true });
    });
  });
})();
