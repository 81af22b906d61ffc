// The rules of search words, for js/search.js (the search page): how a query
// and a result's text are folded, which spellings of a query are searched
// (the synonym table), whether a result has every word of the query whole,
// where the words stand together, and the nearest word of the vocabulary.
// Pure functions over strings and Pagefind's result data: no DOM, no fetch.
(function () {
  "use strict";
  var WORD = /[\p{L}\p{N}]+/gu;
  var MAX_VARIANTS = 6;

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
  function variants(query, synonyms) {
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

  // "Thứ Năm, 09/03/2023 14:59" or "15/02/2022" → "202303091459" (sortable).
  function dateKey(data) {
    var found = /(\d\d)\/(\d\d)\/(\d{4})(?:\D+(\d\d):(\d\d))?/.exec((data.meta || {}).date || "");
    return found ? found[3] + found[2] + found[1] + (found[4] || "00") + (found[5] || "00") : "";
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

  window.BulletinSearchWords = Object.freeze({
    normalise: normalise,
    fold: fold,
    wordsOf: wordsOf,
    readSynonyms: readSynonyms,
    variants: variants,
    marked: marked,
    withMarks: withMarks,
    whole: whole,
    exactness: exactness,
    dateKey: dateKey,
    distance: distance,
    nearest: nearest
  });
})();
