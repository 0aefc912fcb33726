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

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete[multiple]").forEach(nameSearchField);
  }

  // This file may load before Django's autocomplete.js, which makes the boxes when the page is
  // parsed: watch the page from then on, so each box is named as soon as it exists (before
  // anything else can read the page) and again whenever select2 redraws it.
  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
})();
