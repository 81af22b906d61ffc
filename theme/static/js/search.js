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
//   nghiệp…) are searched too; results whose text has the query as typed
//   come first within the page ("Đảng" before "đăng").
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
  var more = root.querySelector("[data-search-more]");
  var suggestion = root.querySelector("[data-search-suggestion]");
  var suggested = root.querySelector("[data-search-suggested]");
  var filterBoxes = Array.prototype.slice.call(root.querySelectorAll("[data-search-filter]"));
  var sortBox = root.querySelector("[data-search-sort]");
  var bundle = new URL(root.getAttribute("data-pagefind-path"), document.baseURI).href;
  var siteRoot = new URL(root.getAttribute("data-site-root"), document.baseURI).pathname;
  var vocabularyUrl = new URL(root.getAttribute("data-search-vocabulary"), document.baseURI).href;
  var synonyms = readSynonyms(root.getAttribute("data-search-synonyms"));
  var PAGE_SIZE = 10;
  var DEBOUNCE_MS = 250;
  var MAX_VARIANTS = 6;
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
        type: 1, words: 1, movements: 0.5, image_alt: 0.5, date: 0
      }
    }
  };
  var WORD = /[\p{L}\p{N}]+/gu;
  var pagefindReady = null;
  var vocabularyReady = null;
  var generation = 0;
  var timer = null;
  var current = null;
  var knownYears = []; // every year of the index, newest first // the query shown: its terms, results and how many are shown

  root.querySelector("[data-search-nojs]").hidden = true;
  form.hidden = false;

  function normalise(text) {
    return (text || "").normalize("NFC").toLocaleLowerCase("vi").replace(/\s+/g, " ").trim();
  }

  function fold(text) {
    return normalise(text).replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function wordsOf(text) {
    return normalise(text).match(WORD) || [];
  }

  function readSynonyms(json) {
    try {
      var groups = JSON.parse(json || "[]");
      return Array.isArray(groups) ? groups.filter(Array.isArray) : [];
    } catch (error) {
      return [];
    }
  }

  function escapeRegExp(text) {
    return String(text).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Every way of writing the query the table allows: each member of a group
  // found in it (as whole words) replaced by the others. The query itself first.
  function variants(query) {
    var found = [normalise(query)];
    synonyms.forEach(function (group) {
      found.slice().forEach(function (text) {
        group.forEach(function (member) {
          var pattern = new RegExp("(^|[^\\p{L}\\p{N}])" + escapeRegExp(member) + "(?![\\p{L}\\p{N}])", "u");
          if (!pattern.test(text)) {
            return;
          }
          group.forEach(function (other) {
            var text2 = text.replace(pattern, function (_all, before) { return before + other; });
            if (other !== member && found.indexOf(text2) === -1 && found.length < MAX_VARIANTS) {
              found.push(text2);
            }
          });
        });
      });
    });
    return found;
  }

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
        fillFilters(await pagefind.filters());
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

  // The movement and year lists, with every value the index knows.
  function fillFilters(available) {
    knownYears = Object.keys((available || {}).year || {}).sort().reverse();
    filterBoxes.forEach(function (box) {
      var values = Object.keys((available || {})[box.getAttribute("data-search-filter")] || {});
      values.sort(function (a, b) {
        return box.getAttribute("data-search-filter") === "year" ? b.localeCompare(a) : a.localeCompare(b, "vi");
      });
      values.forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        box.appendChild(option);
      });
    });
  }

  function chosenFilters() {
    var filters = {};
    filterBoxes.forEach(function (box) {
      if (box.value) {
        filters[box.getAttribute("data-search-filter")] = box.value;
      }
    });
    return filters;
  }

  function searchOptions() {
    var options = { filters: chosenFilters() };
    if (sortBox && sortBox.value) {
      options.sort = { date: "desc" };
    }
    return options;
  }

  // Every variant searched; one entry per page, with its best score.
  async function searchAll(pagefind, texts, options) {
    var responses = await Promise.all(texts.map(function (text) {
      return pagefind.search(text, options);
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

  function resultWords(data) {
    var text = [data.content];
    Object.keys(data.meta || {}).forEach(function (key) {
      text.push(data.meta[key]);
    });
    var exact = new Set(wordsOf(text.join(" ")));
    var folded = new Set();
    exact.forEach(function (word) { folded.add(fold(word)); });
    return { exact: exact, folded: folded };
  }

  function has(set, term, prefix) {
    if (set.has(term)) {
      return true;
    }
    if (prefix) {
      for (var word of set) {
        if (word.indexOf(term) === 0) {
          return true;
        }
      }
    }
    return false;
  }

  function marked(word) {
    return fold(word) !== word;
  }

  // A query typed with marks is matched as typed: at least half its words
  // carry marks ("thể thao", not "thể thảo"). One marked word among
  // unaccented ones ("truc tuyến toan trinh": a suggestion taken) is folded.
  function withMarks(terms) {
    var letters = terms.filter(function (term) { return /\p{L}/u.test(term); });
    return letters.length > 0 && 2 * letters.filter(marked).length >= letters.length;
  }

  // Does the page contain every word of one variant of the query whole? With
  // marks in the query, as typed ("thể thao" is not "thể thảo"); without, folded.
  function whole(data, termLists, typing) {
    var words = resultWords(data);
    return termLists.some(function (terms) {
      var exact = withMarks(terms);
      return terms.every(function (term, index) {
        var prefix = typing && index === terms.length - 1;
        return exact ? has(words.exact, term, prefix) : has(words.folded, fold(term), prefix);
      });
    });
  }

  // Where the query's words stand together, in order (any variant; folded
  // unless typed with marks): 3 the title, 2 the tags, byline or number,
  // 1 the text, 0 nowhere. "an sinh xã hội" is a tag of one article only.
  function exactness(data, termLists) {
    var meta = data.meta || {};
    var places = [meta.title, [meta.tags, meta.byline, meta.number].join(" · "), data.content];
    for (var rank = 0; rank < places.length; rank += 1) {
      var place = places[rank];
      var found = termLists.some(function (terms) {
        var exact = withMarks(terms);
        var words = exact ? wordsOf(place) : wordsOf(place).map(fold);
        var phrase = " " + (exact ? terms : terms.map(fold)).join(" ") + " ";
        return (" " + words.join(" ") + " ").indexOf(phrase) !== -1;
      });
      if (found) {
        return places.length - rank;
      }
    }
    return 0;
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

  // "Thứ Năm, 09/03/2023 14:59" or "15/02/2022" → "202303091459" (sortable).
  function dateKey(data) {
    var found = /(\d\d)\/(\d\d)\/(\d{4})(?:\D+(\d\d):(\d\d))?/.exec((data.meta || {}).date || "");
    return found ? found[3] + found[2] + found[1] + (found[4] || "00") + (found[5] || "00") : "";
  }

  // Newest first: Pagefind sorts each bundle's results by date but merges
  // the bundles of a partitioned index by score. So the page takes the years
  // newest first (the "year" filter), as many as the next page needs, and
  // orders each year's results by their dates (at most SORT_WINDOW a year).
  async function sortedByDate(search) {
    while (search.years.length && search.results.length < search.shown + PAGE_SIZE) {
      var options = searchOptions();
      options.filters.year = search.years.shift();
      var year = (await searchAll(search.pagefind, search.texts, options)).slice(0, SORT_WINDOW);
      var loaded = await Promise.all(year.map(function (entry) { return entry.hit.data(); }));
      year.forEach(function (entry, index) {
        entry.data = loaded[index];
        entry.date = dateKey(loaded[index]);
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
        var ok = !search.termLists.length || whole(data, search.termLists, search.typing);
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
    return "Tìm thấy " + total + " kết quả cho “" + search.query + "”.";
  }

  async function run(query, typing) {
    var mine = ++generation;
    var phrase = normalise(query);
    var filters = chosenFilters();
    if (!phrase && !Object.keys(filters).length) {
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
    var all = await searchAll(pagefind, texts, { filters: filters });
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
      search.years = filters.year ? [filters.year] : knownYears.slice();
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

  // Edit distance (with adjacent swaps), given up beyond ``limit``.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) {
      return limit + 1;
    }
    var rows = [];
    for (var i = 0; i <= a.length; i += 1) {
      rows.push([i]);
    }
    for (var j = 1; j <= b.length; j += 1) {
      rows[0][j] = j;
    }
    for (i = 1; i <= a.length; i += 1) {
      var best = limit + 1;
      for (j = 1; j <= b.length; j += 1) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, rows[i - 2][j - 2] + 1);
        }
        rows[i][j] = value;
        best = Math.min(best, value);
      }
      if (best > limit) {
        return limit + 1;
      }
    }
    return rows[a.length][b.length];
  }

  // The nearest word the site uses: the same letters with other marks, or
  // one (two, for long words) letter away; the most frequent wins.
  function nearest(term, vocabulary, exact) {
    var key = fold(term);
    if (/^\d+$/.test(term) || (exact ? vocabulary.forms.has(term) : vocabulary.folds.has(key))) {
      return term;
    }
    if (exact && vocabulary.folds.has(key)) {
      return vocabulary.folds.get(key).best;
    }
    var limit = key.length <= 4 ? 1 : 2;
    var found = null;
    vocabulary.folds.forEach(function (entry, word) {
      var d = distance(key, word, limit);
      if (d <= limit && (!found || d < found.d || (d === found.d && entry.count > found.count))) {
        found = { d: d, count: entry.count, best: entry.best };
      }
    });
    return found ? found.best : term;
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
