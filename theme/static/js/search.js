// The search page (/tim-kiem/): our own small interface over Pagefind's API.
// Readers often type without diacritics: Pagefind ignores tone and vowel
// marks, and each page carries the unaccented forms of its "đ" words as
// metadata (partials/search_meta.html), so "doan" finds "Đoàn".
// - The index loads when the box gets focus; results follow the typing
//   (debounced); only the shown page of results has its fragment fetched
//   ("Xem thêm" fetches the next).
// - Honest: Pagefind also matches the beginnings of words ("thể thao" finds
//   "theo", "thảo") and shortens a word it cannot find ("tuyn" finds "tuy").
//   A shown result must contain every word of the query whole (as typed when
//   the query has marks, folded when it has none; the word being typed may
//   be a beginning). When the first page keeps none: "Không tìm thấy", and a
//   near query from the site's vocabulary (fetched only then) is offered.
// - Spellings and synonyms (data-search-synonyms: tỷ/tỉ, KCN/khu công
//   nghiệp…) are searched too; within a page, results where the query's
//   words stand together (title, then tags/byline/number, then text) come
//   first, and news before an official document that matches as well.
// - The rules of words are js/search-words.js (loaded first); this file is
//   the page: loading, searching, paging, filters, suggestions, rendering.
// Page text is text here, never markup: results are built from DOM nodes
// and textContent only (the pages' Content-Security-Policy forbids inline
// script as a second line of defence).
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root || !window.BulletinSearchWords) {
    return; // the page's message for a browser without the scripts stays
  }
  var form = root.querySelector("form");
  var input = root.querySelector("input[name=q]");
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var suggestion = root.querySelector("[data-search-suggestion]");
  var suggested = root.querySelector("[data-search-suggested]");
  var filterBoxes = Array.prototype.slice.call(root.querySelectorAll("[data-search-filter]"));
  var sortBox = root.querySelector("[data-search-sort]");
  var bundle = new URL(root.getAttribute("data-pagefind-path"), document.baseURI).href;
  var siteRoot = new URL(root.getAttribute("data-site-root"), document.baseURI).pathname;
  var vocabularyUrl = new URL(root.getAttribute("data-search-vocabulary"), document.baseURI).href;
  var synonyms = window.BulletinSearchWords.readSynonyms(root.getAttribute("data-search-synonyms"));
  var PAGE_SIZE = 10;
  var DEBOUNCE_MS = 250;
  // Within a page of results, news before an official document that matches
  // as well: a document's page is short and all title, which Pagefind favours;
  // a document is found first by its number or its own words.
  var DOCUMENT_WEIGHT = 0.6;
  var SORT_WINDOW = 100;
  // Metadata matches weigh more than body text (Pagefind's metaWeights): the
  // title and its folded "đ" words, then the byline, a document's number,
  // the tags. The date line ("Thứ Năm, …") must not make "năm" rank.
  var SEARCH_OPTIONS = {
    baseUrl: siteRoot,
    excerptLength: 24,
    ranking: {
      metaWeights: {
        title: 5, title_folded: 5, number: 6, number_folded: 6,
        byline: 4, byline_folded: 4, tags: 3, tags_folded: 3,
        type: 1, words: 1, movements: 0.5, image_alt: 0.5, date: 0, facets: 0
      }
    }
  };
  var pagefindReady = null;
  var vocabularyReady = null;
  var generation = 0;
  var timer = null;
  var current = null; // the query shown: its terms, results and how many are shown

  // The words' rules (folding, variants, whole words, suggestions): js/search-words.js.
  var words = window.BulletinSearchWords;
  var normalise = words.normalise;
  var fold = words.fold;
  var wordsOf = words.wordsOf;
  var marked = words.marked;
  var withMarks = words.withMarks;
  var whole = words.whole;
  var exactness = words.exactness;
  var dateKey = words.dateKey;
  var nearest = words.nearest;

  function variants(query) {
    return words.variants(query, synonyms);
  }

  root.querySelector("[data-search-nojs]").hidden = true;
  form.hidden = false;

  function load() {
    if (!pagefindReady) {
      pagefindReady = (async function () {
        var pagefind = await import(bundle + "pagefind.js");
        // The main thread: Pagefind's worker script would add ~40 KB to the
        // first query, more than a page of results.
        await pagefind.options(Object.assign({ noWorker: true }, SEARCH_OPTIONS));
        await pagefind.init();
        // A partitioned index: the other bundles join the first, same options.
        var merged = (root.getAttribute("data-pagefind-merge") || "").split(/\s+/).filter(Boolean);
        for (var i = 0; i < merged.length; i += 1) {
          await pagefind.mergeIndex(new URL(merged[i], document.baseURI).href, SEARCH_OPTIONS);
        }
        return pagefind;
      })();
      pagefindReady.catch(function () {
        pagefindReady = null;
      });
    }
    return pagefindReady;
  }

  function loadVocabulary() {
    if (!vocabularyReady) {
      vocabularyReady = fetch(vocabularyUrl).then(function (response) {
        if (!response.ok) {
          throw new Error("vocabulary: HTTP " + response.status);
        }
        return response.text();
      }).then(function (text) {
        var forms = new Map();
        var folds = new Map();
        text.split("\n").forEach(function (line) {
          var parts = line.split("\t");
          var count = Number(parts[1]);
          if (!parts[0] || !count) {
            return;
          }
          forms.set(parts[0], count);
          var key = fold(parts[0]);
          var entry = folds.get(key) || { count: 0, best: "", bestCount: 0 };
          entry.count += count;
          if (count > entry.bestCount) {
            entry.best = parts[0];
            entry.bestCount = count;
          }
          folds.set(key, entry);
        });
        return { forms: forms, folds: folds };
      });
      vocabularyReady.catch(function () {
        vocabularyReady = null;
      });
    }
    return vocabularyReady;
  }

  // The filters are words of each page's "facets" metadata ("y2024",
  // "pt<slug>": partials/search_meta.html), searched with the query; the
  // lists' values are those words (search.html). ``extra``: a year's word.
  function chosenFilters(extra) {
    return filterBoxes
      .filter(function (box) { return box.value; })
      .map(function (box) { return box.value; })
      .concat(extra || []);
  }

  function chosenYear() {
    var box = root.querySelector("[data-search-filter=year]");
    return box ? box.value : "";
  }

  function knownYears() {
    var box = root.querySelector("[data-search-filter=year]");
    return box ? Array.prototype.slice.call(box.options).map(function (o) { return o.value; }).filter(Boolean) : [];
  }

  function searchOptions(extra) {
    var options = { words: chosenFilters(extra) };
    if (sortBox && sortBox.value) {
      options.sort = { date: "desc" };
    }
    return options;
  }

  // Every variant searched; one entry per page, with its best score.
  async function searchAll(pagefind, texts, options) {
    var filterWords = (options.words || []).join(" ");
    var responses = await Promise.all(texts.map(function (text) {
      var query = [text || "", filterWords].join(" ").trim();
      return pagefind.search(query, options.sort ? { sort: options.sort } : {});
    }));
    var byId = new Map();
    responses.forEach(function (response) {
      response.results.forEach(function (hit, order) {
        var known = byId.get(hit.id);
        if (!known) {
          byId.set(hit.id, { hit: hit, score: hit.score, order: order });
        } else if (hit.score > known.score) {
          known.score = hit.score;
        }
      });
    });
    var results = Array.from(byId.values());
    if (!options.sort) {
      results.sort(function (a, b) { return b.score - a.score; });
    } // sorted by date: the first variant's order, the others after
    return results;
  }

  // Pagefind's excerpt is the page text with "<" and ">" (and nothing else)
  // written as &lt; and &gt;, and the matched words wrapped in <mark>: the
  // only markup in it. Split on those two literal tags, undo the two
  // escapes, and append text nodes and <mark> elements: nothing is parsed.
  function appendExcerpt(parent, excerpt) {
    String(excerpt || "").split(/(<mark>|<\/mark>)/).reduce(function (isMarked, part) {
      if (part === "<mark>") {
        return true;
      }
      if (part === "</mark>") {
        return false;
      }
      if (part) {
        var text = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
        if (isMarked) {
          var mark = document.createElement("mark");
          mark.appendChild(text);
          parent.appendChild(mark);
        } else {
          parent.appendChild(text);
        }
      }
      return isMarked;
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

  function renderResult(result) {
    var meta = result.meta || {};
    var item = document.createElement("li");
    item.className = "search-result";
    var heading = document.createElement("h2");
    heading.className = "search-result__title";
    var href = safeHref(result.url);
    var link = document.createElement(href ? "a" : "span");
    if (href) {
      link.href = href;
    }
    link.textContent = meta.title || result.url;
    heading.appendChild(link);
    item.appendChild(heading);
    // An official document says what it is: "Kế hoạch số 45/KH-BQL · 01/03/2023";
    // an article its date and byline.
    var facts = [
      meta.number ? (meta.type || "Văn bản") + " số " + meta.number : "",
      meta.date || "",
      meta.byline || ""
    ].filter(Boolean);
    if (facts.length) {
      var line = document.createElement("p");
      line.className = "search-result__meta";
      line.textContent = facts.join(" · ");
      item.appendChild(line);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "search-result__excerpt";
    appendExcerpt(excerpt, result.excerpt);
    item.appendChild(excerpt);
    list.appendChild(item);
    return link;
  }

  function say(text) {
    status.textContent = text;
  }

  function clear() {
    list.textContent = "";
    more.hidden = true;
    suggestion.hidden = true;
  }

  // Newest first: Pagefind sorts each bundle's results by date but merges
  // the bundles of a partitioned index by score. So the page takes the years
  // newest first (the "year" filter), as many as the next page needs, and
  // orders each year's results by their dates (at most SORT_WINDOW a year).
  async function sortedByDate(search) {
    while (search.years.length && search.results.length < search.shown + PAGE_SIZE) {
      var yearWord = search.years.shift();
      var options = searchOptions([yearWord]);
      var year = (await searchAll(search.pagefind, search.texts, options)).slice(0, SORT_WINDOW);
      var loaded = await Promise.all(year.map(function (entry) { return entry.hit.data(); }));
      year.forEach(function (entry, index) {
        entry.data = loaded[index];
        entry.date = dateKey(loaded[index]);
        entry.facet = yearWord;
      });
      year.sort(function (a, b) { return a.date < b.date ? 1 : a.date > b.date ? -1 : 0; });
      search.results = search.results.concat(year);
    }
  }

  // The next page of results: its fragments fetched, judged, re-ranked
  // (by relevance only: "Mới nhất" keeps the dates' order).
  async function showMore(search, mine) {
    if (search.sorted) {
      await sortedByDate(search);
    }
    var page = search.results.slice(search.shown, search.shown + PAGE_SIZE);
    search.shown += page.length;
    var loaded = await Promise.all(page.map(function (entry) {
      return entry.data || entry.hit.data();
    }));
    if (mine !== generation) {
      return null;
    }
    var kept = loaded
      .map(function (data, index) {
        // Pagefind shortens a word it lacks ("y2024" → "y202" finds "y2022"):
        // a filter's word must be one of the page's own.
        var facets = ((data.meta || {}).facets || "").split(" ");
        var wanted = search.facets.concat(page[index].facet ? [page[index].facet] : []);
        var ok = wanted.every(function (word) { return facets.indexOf(word) !== -1; }) &&
          (!search.termLists.length || whole(data, search.termLists, search.typing));
        var weight = data.meta && data.meta.number ? DOCUMENT_WEIGHT : 1;
        return {
          data: data,
          ok: ok,
          exact: ok && !search.sorted ? exactness(data, search.termLists) : 0,
          score: search.sorted ? -index : page[index].score * weight
        };
      })
      .filter(function (entry) {
        return entry.ok;
      })
      .sort(function (a, b) { return b.exact - a.exact || b.score - a.score; });
    search.dropped += page.length - kept.length;
    var first = null;
    kept.forEach(function (entry) {
      var link = renderResult(entry.data);
      first = first || link;
    });
    search.kept += kept.length;
    more.hidden = search.shown >= search.results.length && !search.years.length;
    return { first: first }; // null: a newer query replaced this one
  }

  function countText(search) {
    var total = search.total - search.dropped;
    return "Tìm thấy " + total + " kết quả" + (search.query ? " cho “" + search.query + "”." : ".");
  }

  async function run(query, typing) {
    var mine = ++generation;
    var phrase = normalise(query);
    var filters = chosenFilters();
    if (!phrase && !filters.length) {
      clear();
      say("");
      return;
    }
    if (!typing) {
      say("Đang tìm…");
    }
    var pagefind = await load();
    var texts = phrase ? variants(phrase) : [null];
    var sorted = Boolean(sortBox && sortBox.value);
    var all = await searchAll(pagefind, texts, { words: filters });
    // Sorted by date: the years are searched one by one (sortedByDate).
    var results = sorted ? [] : all;
    if (mine !== generation) {
      return;
    }
    var search = {
      query: query.trim(),
      phrase: phrase,
      typing: typing,
      termLists: phrase ? texts.map(wordsOf).filter(function (terms) { return terms.length; }) : [],
      results: results,
      facets: filters,
      total: all.length,
      sorted: sorted,
      pagefind: pagefind,
      texts: texts,
      years: [],
      shown: 0,
      kept: 0,
      dropped: 0
    };
    if (sorted && all.length) {
      search.years = chosenYear() ? [chosenYear()] : knownYears();
    }
    clear();
    current = search;
    // Pages until one keeps a result (or none is left): the first is enough
    // almost always, Pagefind ranks whole words before beginnings.
    while (search.kept === 0 && search.shown < 3 * PAGE_SIZE &&
           (search.shown < search.results.length || search.years.length)) {
      if ((await showMore(search, mine)) === null) {
        return;
      }
    }
    if (search.kept) {
      say(countText(search));
      return;
    }
    more.hidden = true;
    // The suggestion is looked for before the message: one answer, complete.
    if (!typing && phrase) {
      await offerSuggestion(pagefind, search, mine).catch(function () {});
    }
    if (mine === generation) {
      say("Không tìm thấy kết quả nào cho “" + search.query + "”. Hãy thử từ khóa khác, có dấu hoặc không dấu.");
    }
  }

  async function offerSuggestion(pagefind, search, mine) {
    var vocabulary = await loadVocabulary();
    var terms = wordsOf(search.phrase);
    var exact = withMarks(terms);
    var proposal = terms.map(function (term) { return nearest(term, vocabulary, exact); }).join(" ");
    if (proposal === terms.join(" ")) {
      return;
    }
    var results = await searchAll(pagefind, variants(proposal), searchOptions());
    if (mine !== generation || !results.length) {
      return;
    }
    suggested.textContent = proposal;
    suggestion.hidden = false;
  }

  function remember(query) {
    var address = new URL(window.location.href);
    address.searchParams.set("q", query);
    window.history.replaceState(null, "", address);
  }

  function failed() {
    say("Không tải được chức năng tìm kiếm. Hãy thử lại sau.");
  }

  function submit() {
    window.clearTimeout(timer);
    remember(input.value);
    run(input.value, false).catch(failed);
  }

  // The index loads while the reader starts typing.
  input.addEventListener("focus", function () {
    load().catch(function () {});
  });

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var query = input.value;
    if (normalise(query) && pagefindReady) {
      pagefindReady.then(function (pagefind) {
        return pagefind.preload(normalise(query));
      }).catch(function () {});
    }
    timer = window.setTimeout(function () {
      run(query, true).catch(failed);
    }, DEBOUNCE_MS);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  filterBoxes.concat(sortBox ? [sortBox] : []).forEach(function (box) {
    box.addEventListener("change", submit);
  });

  more.addEventListener("click", function () {
    if (!current) {
      return;
    }
    var mine = generation;
    showMore(current, mine).then(function (shown) {
      if (shown && shown.first) {
        shown.first.focus();
      }
      if (shown) {
        say(countText(current));
      }
    }).catch(failed);
  });

  suggested.addEventListener("click", function () {
    input.value = suggested.textContent;
    submit();
    input.focus();
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial, false).catch(failed);
  }
})();
