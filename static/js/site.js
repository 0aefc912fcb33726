// Small enhancements for the reader site: the print button, "copy link", the display controls,
// and counting a view of an article for "most read".
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

  // Most read: when the browser shows an article page (whichever cache it came from), tell the
  // site once, with this browser's own random id (readership/): readers are told apart by
  // browser, not by address. Nothing is sent for a page opened in the background until it is
  // looked at.
  var counter = document.querySelector(".js-read-counter");

  function newReaderId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (byte) {
      return ("0" + byte.toString(16)).slice(-2);
    }).join("");
  }

  function readerId() {
    try {
      var kept = window.localStorage.getItem("ban-doc");
      if (!kept || !/^[A-Za-z0-9_-]{16,64}$/.test(kept)) {
        kept = newReaderId();
        window.localStorage.setItem("ban-doc", kept);
      }
      return kept;
    } catch (error) {
      // Storage turned off: this view is counted as a reader's own.
      return newReaderId();
    }
  }

  function countView() {
    var body = new URLSearchParams();
    var url = counter.getAttribute("data-url");
    body.append("bai", counter.getAttribute("data-article"));
    body.append("ban-doc", readerId());
    if (navigator.sendBeacon && navigator.sendBeacon(url, body)) {
      return;
    }
    if (window.fetch) {
      window.fetch(url, { method: "POST", body: body, keepalive: true }).catch(function () {});
    }
  }

  function whenShown() {
    if (document.visibilityState !== "hidden" && !document.prerendering) {
      countView();
      return;
    }
    function shown() {
      if (document.visibilityState !== "hidden" && !document.prerendering) {
        document.removeEventListener("visibilitychange", shown);
        document.removeEventListener("prerenderingchange", shown);
        countView();
      }
    }
    document.addEventListener("visibilitychange", shown);
    document.addEventListener("prerenderingchange", shown);
  }

  if (counter && window.crypto && window.URLSearchParams) {
    whenShown();
    // Back to the page from the browser's back-forward cache: shown again.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        whenShown();
      }
    });
  }
})();
