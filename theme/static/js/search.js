// The search page (/tim-kiem/): our own small interface over Pagefind's API.
// Readers often type without diacritics: Pagefind ignores tone and vowel
// marks, and each article carries the unaccented forms of its "đ" words, so
// "doan" finds "Đoàn". Pagefind alone would rank "hướng" and "Hương" alike:
// results whose text contains the query exactly as typed come first.
// Page text is text here, never markup: results are built from DOM nodes
// and textContent only (the pages' Content-Security-Policy forbids inline
// script as a second line of defence).
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root) {
    return;
  }
  var form = root.querySelector("form");
  var input = root.querySelector("input[name=q]");
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var bundle = new URL(root.getAttribute("data-pagefind-path"), document.baseURI).href;
  var siteRoot = new URL(root.getAttribute("data-site-root"), document.baseURI).pathname;
  var pagefind = null;
  var MAX_RESULTS = 30;

  root.querySelector("[data-search-nojs]").hidden = true;
  form.hidden = false;

  function normalise(text) {
    return (text || "").normalize("NFC").toLocaleLowerCase("vi").replace(/\s+/g, " ").trim();
  }

  // 2: the title contains the query as typed, 1: the text does, 0: neither.
  // Pagefind's `content` is the page's plain text: compared as text.
  function exactness(result, query) {
    if (normalise(result.meta.title).indexOf(query) !== -1) {
      return 2;
    }
    return normalise(result.content).indexOf(query) !== -1 ? 1 : 0;
  }

  // Pagefind's excerpt is the page text with "<" and ">" (and nothing else)
  // written as &lt; and &gt;, and the matched words wrapped in <mark>: the
  // only markup in it. Split on those two literal tags, undo the two
  // escapes, and append text nodes and <mark> elements: nothing is parsed.
  function appendExcerpt(parent, excerpt) {
    String(excerpt || "").split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") {
        return true;
      }
      if (part === "</mark>") {
        return false;
      }
      if (part) {
        var text = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
        if (marked) {
          var mark = document.createElement("mark");
          mark.appendChild(text);
          parent.appendChild(mark);
        } else {
          parent.appendChild(text);
        }
      }
      return marked;
    }, false);
  }

  // Result addresses are this site's pages; anything that is not an http(s)
  // address (a "javascript:" URL in an index built from hostile pages) is
  // not made a link.
  function safeHref(url) {
    try {
      var address = new URL(url, document.baseURI);
      return address.protocol === "http:" || address.protocol === "https:" ? address.href : "";
    } catch (error) {
      return "";
    }
  }

  function render(results, query) {
    list.textContent = "";
    results.forEach(function (result) {
      var item = document.createElement("li");
      item.className = "search-result";
      var heading = document.createElement("h2");
      heading.className = "search-result__title";
      var href = safeHref(result.url);
      var link = document.createElement(href ? "a" : "span");
      if (href) {
        link.href = href;
      }
      link.textContent = result.meta.title || result.url;
      heading.appendChild(link);
      item.appendChild(heading);
      // An official document says what it is: "Kế hoạch số 45/KH-BQL · 01/03/2023".
      var facts = [
        result.meta.number ? (result.meta.type || "Văn bản") + " số " + result.meta.number : "",
        result.meta.date || ""
      ].filter(Boolean);
      if (facts.length) {
        var meta = document.createElement("p");
        meta.className = "search-result__meta";
        meta.textContent = facts.join(" · ");
        item.appendChild(meta);
      }
      var excerpt = document.createElement("p");
      excerpt.className = "search-result__excerpt";
      appendExcerpt(excerpt, result.excerpt);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    status.textContent = results.length
      ? "Tìm thấy " + results.length + " kết quả cho “" + query + "”."
      : "Không tìm thấy kết quả nào cho “" + query + "”. Hãy thử từ khóa khác, có dấu hoặc không dấu.";
  }

  async function run(query) {
    var wanted = normalise(query);
    if (!wanted) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = "Đang tìm…";
    if (!pagefind) {
      pagefind = await import(bundle + "pagefind.js");
      var settings = { baseUrl: siteRoot, excerptLength: 24 };
      await pagefind.options(settings);
      // A partitioned index: the other bundles join the first, same options.
      var merged = (root.getAttribute("data-pagefind-merge") || "").split(/\s+/).filter(Boolean);
      for (var i = 0; i < merged.length; i += 1) {
        await pagefind.mergeIndex(new URL(merged[i], document.baseURI).href, settings);
      }
    }
    var search = await pagefind.search(query.normalize("NFC"));
    var found = await Promise.all(
      search.results.slice(0, MAX_RESULTS).map(function (hit) { return hit.data(); })
    );
    var ranked = found
      .map(function (result, index) {
        return { result: result, exact: exactness(result, wanted), index: index };
      })
      .sort(function (a, b) { return b.exact - a.exact || a.index - b.index; })
      .map(function (entry) { return entry.result; });
    render(ranked, query.trim());
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value;
    var address = new URL(window.location.href);
    address.searchParams.set("q", query);
    window.history.replaceState(null, "", address);
    run(query).catch(function () {
      status.textContent = "Không tải được chức năng tìm kiếm. Hãy thử lại sau.";
    });
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial).catch(function () {
      status.textContent = "Không tải được chức năng tìm kiếm. Hãy thử lại sau.";
    });
  }
})();
