// Small enhancements for the reader site: the print button, "copy link", and the display controls.
// Without JavaScript the first two stay hidden and the page works as it is (the browser's own
// print and address bar remain); the display controls are plain links that the server answers.
(function () {
  "use strict";

  function reveal(button) {
    var holder = button.closest(".js-only");
    if (holder) {
      holder.hidden = false;
    }
  }

  document.querySelectorAll(".js-print").forEach(function (button) {
    if (typeof window.print !== "function") {
      return;
    }
    reveal(button);
    button.addEventListener("click", function () {
      window.print();
    });
  });

  document.querySelectorAll(".js-copy-link").forEach(function (button) {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    var status = button.parentNode.querySelector(".js-copy-status");
    reveal(button);
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-url")).then(
        function () {
          if (status) {
            status.textContent = button.getAttribute("data-copied");
          }
        },
        function () {
          if (status) {
            status.textContent = button.getAttribute("data-failed");
          }
        }
      );
    });
  });

  // High contrast and text size: the same cookies the server reads (/tuy-chinh/) and the same
  // classes on <html>, applied in place instead of reloading the page.
  var CLASSES = {
    "tuong-phan": { cao: "contrast-high" },
    "co-chu": { lon: "text-large", "rat-lon": "text-larger" }
  };
  var root = document.documentElement;
  var secure = window.location.protocol === "https:" ? "; secure" : "";

  function choose(cookie, value) {
    var classes = CLASSES[cookie];
    var chosen = classes[value] ? value : "thuong";
    Object.keys(classes).forEach(function (key) {
      root.classList.toggle(classes[key], key === chosen);
    });
    var lifetime = chosen === "thuong" ? "max-age=0" : "max-age=31536000";
    document.cookie =
      cookie + "=" + (chosen === "thuong" ? "" : chosen) + "; path=/; " + lifetime +
      "; samesite=lax" + secure;
    document.querySelectorAll('[data-reader-cookie="co-chu"]').forEach(function (link) {
      if (cookie === "co-chu" && link.getAttribute("data-reader-value") === chosen) {
        link.setAttribute("aria-current", "true");
      } else if (cookie === "co-chu") {
        link.removeAttribute("aria-current");
      }
    });
  }

  document.querySelectorAll("[data-reader-cookie]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var cookie = link.getAttribute("data-reader-cookie");
      event.preventDefault();
      choose(cookie, link.getAttribute("data-reader-value"));
      if (cookie === "tuong-phan") {
        // The contrast link just used is hidden now; keep the keyboard on its counterpart.
        var other = link.parentNode.querySelector(
          '[data-reader-cookie="tuong-phan"]:not([data-reader-value="' +
            link.getAttribute("data-reader-value") + '"])'
        );
        if (other) {
          other.focus();
        }
      }
    });
  });
})();
