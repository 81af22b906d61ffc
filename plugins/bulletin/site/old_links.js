/* The fallback page of an old portal's address with a query string
   (bulletin.site.old_links, template old_link.html): looks the query up in
   the page's map and goes on to the article. Without this script, or for an
   address the map does not have, the page keeps its search box and links.
   Text reaches the page as text (textContent), never as HTML. */
(function () {
  "use strict";

  // bulletin.site.old_link_maps.IGNORED_PARAMETERS and query_key, ported:
  // tests/browser/test_old_links.py compares both on the same addresses.
  var IGNORED = /^(utm_\w*|fbclid|gclid|zarsrc|_ga)$/i;

  function decode(text) {
    try {
      return decodeURIComponent(text.replace(/\+/g, " "));
    } catch (error) {
      return text;
    }
  }

  function compare(a, b) {
    if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
    if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
    return 0;
  }

  function queryKey(search) {
    var pairs = [];
    search.replace(/^\?/, "").split("&").forEach(function (part) {
      if (!part) return;
      var cut = part.indexOf("=");
      var name = decode(cut < 0 ? part : part.slice(0, cut));
      var value = cut < 0 ? "" : decode(part.slice(cut + 1));
      if (!IGNORED.test(name)) pairs.push([name, value]);
    });
    pairs.sort(compare);
    return pairs.map(function (pair) {
      return encodeURIComponent(pair[0]) + "=" + encodeURIComponent(pair[1]);
    }).join("&");
  }

  var data = document.getElementById("duong-dan-cu");
  var status = document.getElementById("duong-dan-cu-trang-thai");
  if (!data || !status) return;
  var links;
  try {
    links = JSON.parse(data.textContent);
  } catch (error) {
    return;
  }
  var key = queryKey(window.location.search);
  var entry = Object.prototype.hasOwnProperty.call(links, key) ? links[key] : null;
  if (!entry || typeof entry.url !== "string") {
    status.textContent = "Không tìm thấy bài viết có địa chỉ cũ này. Hãy tìm bài bằng ô tìm " +
      "kiếm hoặc xem lưu trữ theo năm:";
    return;
  }
  // The site's root, as the page links it (relative in a development build).
  // A host may serve this page at /news/news (no slash): resolve from the folder.
  var here = window.location.href.split(/[?#]/)[0];
  if (!/\/$/.test(here) && !/\.html?$/.test(here)) here += "/";
  var root = new URL(data.getAttribute("data-root") || "/", here);
  var target = new URL(entry.url, root);
  if (target.origin !== window.location.origin) return; // never another site
  status.textContent = "Bài viết đã chuyển sang địa chỉ mới: ";
  var link = document.createElement("a");
  link.href = target.href;
  link.textContent = entry.title || target.href;
  status.appendChild(link);
  window.location.replace(target.href);
})();
