// Video facades (bulletin.content.video): the poster and a play button; the
// player's <iframe> is made only when the reader presses it, so nothing is
// requested from YouTube or Facebook before. Our own code, loaded only on
// pages with a video. Without script, the link under the poster is the way.
(function () {
  "use strict";
  // The only players the facade may load: the build writes these, the page's
  // CSP (frame-src) allows these hosts, and nothing else gets through.
  var PLAYERS = [
    /^https:\/\/www\.youtube-nocookie\.com\/embed\/[A-Za-z0-9_-]{11}\?autoplay=1(&start=\d+)?$/,
    /^https:\/\/www\.facebook\.com\/plugins\/video\.php\?href=[A-Za-z0-9%._-]+&autoplay=true$/
  ];

  function allowed(src) {
    return PLAYERS.some(function (pattern) { return pattern.test(src); });
  }

  function play(figure, frame) {
    var src = figure.getAttribute("data-video-embed") || "";
    if (!allowed(src)) {
      return;
    }
    var player = document.createElement("iframe");
    player.className = "video__player";
    player.title = figure.getAttribute("data-video-title") || "Video";
    player.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    player.setAttribute("allowfullscreen", "");
    // YouTube's player needs the page's origin (not its address) to play.
    player.referrerPolicy = "strict-origin-when-cross-origin";
    player.src = src;
    while (frame.firstChild) {
      frame.removeChild(frame.firstChild);
    }
    frame.appendChild(player);
    figure.classList.add("video--playing");
    player.focus();
  }

  Array.prototype.forEach.call(document.querySelectorAll("figure.video"), function (figure) {
    var frame = figure.querySelector(".video__frame");
    var button = frame && frame.querySelector(".video__play");
    if (!button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () { play(figure, frame); });
  });
})();
