// The address (slug) the admin fills in as an editor types a title: exactly what the server's
// news.text.vietnamese_slugify gives. Django's own URLify (admin/js/urlify.js) drops the
// Vietnamese letters that carry two marks and writes Đ as "dj". Django's prepopulate.js calls the
// global URLify(text, maxLength) on every key; this takes its place whichever of the two files
// the page loads first. Loaded by templates/admin/prepopulated_fields_js.html.
(function () {
  "use strict";

  // Letters that Unicode decomposition does not reduce to ASCII (news/text.py, _EXTRA_FOLDS).
  var EXTRA_FOLDS = { "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ø": "o", "Ø": "O" };
  // Python's \s in ASCII: tab, line feed, vertical tab, form feed, return, \x1c-\x1f and space.
  var NOT_KEPT = /[^\w\t-\r\x1c-\x20-]/g;
  var SEPARATORS = /[\t-\r\x1c-\x20-]+/g;

  // vietnamese_slugify(text, max_length): fold_diacritics, then Django's slugify, then a cut at
  // the last hyphen that fits.
  function vietnameseSlugify(text, maxLength) {
    maxLength = maxLength || 200;
    var slug = String(text)
      .replace(/[đĐðÐøØ]/g, function (letter) {
        return EXTRA_FOLDS[letter];
      })
      .normalize("NFKD")
      .replace(/[^\x00-\x7f]/g, "") // the marks, and whatever has no ASCII form
      .toLowerCase()
      .replace(NOT_KEPT, "")
      .replace(SEPARATORS, "-")
      .replace(/^[-_]+|[-_]+$/g, "");
    if (slug.length > maxLength) {
      var cut = slug.slice(0, maxLength);
      var lastHyphen = cut.lastIndexOf("-");
      slug = (lastHyphen === -1 ? cut : cut.slice(0, lastHyphen)) || cut;
    }
    return slug.replace(/^-+|-+$/g, "");
  }

  Object.defineProperty(window, "URLify", {
    configurable: true,
    enumerable: true,
    get: function () {
      return vietnameseSlugify;
    },
    // Django's urlify.js, when it runs after this file, assigns its own: keep ours.
    set: function () {},
  });
})();
