// Share, copy and print buttons under an article. Our own code, no third
// party: each button is shown only when the browser can do what it says.
(function () {
  "use strict";
  var status = document.querySelector(".share__status");
  var field = document.getElementById("dia-chi-bai");
  var address = field ? field.value : window.location.href;

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function reveal(selector, action) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (button) {
      button.hidden = false;
      button.addEventListener("click", action);
    });
  }

  if (navigator.share) {
    // The phone's share sheet: Zalo, Messenger, e-mail…
    reveal("[data-share-native]", function () {
      navigator.share({ title: document.title, url: address }).catch(function () {});
    });
  }
  if (navigator.clipboard && window.isSecureContext) {
    reveal("[data-copy-link]", function () {
      navigator.clipboard.writeText(address).then(
        function () { say("Đã sao chép liên kết bài viết."); },
        function () { say("Không sao chép được, hãy chép địa chỉ trong ô bên dưới."); }
      );
    });
  }
  if (window.print) {
    reveal("[data-print]", function () { window.print(); });
  }
})();
