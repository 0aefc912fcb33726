// Small enhancements for the reader site: the print button and "copy link". Without JavaScript
// both stay hidden and the page works as it is (the browser's own print and address bar remain).
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
            status.textContent = "Đã sao chép liên kết.";
          }
        },
        function () {
          if (status) {
            status.textContent = "Không sao chép được. Hãy sao chép địa chỉ trên thanh trình duyệt.";
          }
        }
      );
    });
  });
})();
