// One photo of an album at a time (templates/gallery/album_photo.html): the left and right arrow
// keys follow the page's own "previous" and "next" links. Without JavaScript those links work
// as they are, with Tab and Enter; this only adds the keys, and says so.
(function () {
  "use strict";

  var viewer = document.querySelector(".photo-viewer");
  if (!viewer) {
    return;
  }
  var hint = viewer.querySelector(".photo-viewer__hint");
  if (hint) {
    hint.hidden = false;
  }

  function typingIn(element) {
    return (
      element &&
      (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT|VIDEO|AUDIO)$/.test(element.tagName))
    );
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (typingIn(event.target)) {
      return;
    }
    var rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
    var link = rel && viewer.querySelector('a[rel="' + rel + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
})();
