/*
 * Bản tin — what the web editor checks before it saves, from the rules the
 * build generates (plugins/bulletin/editor/form.py: form_rules, the same constants
 * `invoke check` uses: required keys, TITLE_MAX, SUMMARY_MAX, SLUG_MAX, the
 * content model's keys, the placeholders `invoke new` writes).
 *
 * Loaded by /admin/ after pelican-format.js, and by tests in Node
 * (tests/editor/test_cms_format.py):
 *
 *   const rules = BulletinRules.create(settings.rules, BulletinFormat);
 *   rules.check(data, context) → [{field, message, hint, severity, bodyLine, required}]
 *
 * `required`: an empty required field (Decap's own validation refuses it
 * first; bulletin-cms.js names the field in Decap's toast).
 *
 * `data` is the form's data (author and tags as typed, "Hồng Nhung, Minh
 * Đức"); `context` is {isNew, slug, file (the file as read), publishedYear,
 * server}. With `server` (local mode: bulletin.editor.server runs the build's
 * own checks on the whole text), only the form's fields are checked here;
 * without it, also the header's unknown keys and the sample text of `invoke
 * new` in the body (the rest of the body is checked by CI, when the site is
 * built).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.BulletinRules = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var ERROR = "error";
  var WARNING = "warning";

  function fold(text) {
    return String(text == null ? "" : text).normalize("NFC").split(/\s+/).filter(Boolean).join(" ").toLowerCase();
  }

  function length(text) {
    return Array.from(String(text == null ? "" : text).normalize("NFC").trim()).length;
  }

  function create(rules, Format) {
    rules = rules || {};
    var labels = rules.labels || {};

    function label(field) {
      return "“" + (labels[field] || field) + "”";
    }

    function listOf(value) {
      if (value == null || value === "") return [];
      if (typeof value.toJS === "function") return value.toJS();
      if (Array.isArray(value)) return value.filter(Boolean);
      return Format.splitList(String(value));
    }

    function check(data, context) {
      data = data || {};
      context = context || {};
      var draft = Boolean(data.draft);
      var problems = [];
      // An article hidden with "Ẩn bài" (Status: draft) is not published:
      // as in `invoke check`, its errors are warnings, except the required
      // fields Decap itself insists on.
      function add(field, message, hint, severity, extra) {
        var soft = draft && severity === ERROR && !(extra && extra.required);
        var problem = {
          field: field,
          message: (soft ? "(bài đang ẩn) " : "") + message,
          hint: hint || "",
          severity: soft ? WARNING : severity,
        };
        Object.keys(extra || {}).forEach(function (key) {
          problem[key] = extra[key];
        });
        problems.push(problem);
      }

      var empty = {};
      (rules.required || []).forEach(function (key) {
        var value = data[key];
        // As the check: a value of only spaces, commas and semicolons is empty.
        empty[key] = Array.isArray(value) || (value && typeof value.toJS === "function")
          ? listOf(value).length === 0
          : !String(value == null ? "" : value).replace(/^[ ,;]+|[ ,;]+$/g, "").trim();
        if (empty[key]) {
          add(key, "Trường " + label(key) + " đang để trống", (rules.hints || {})[key], ERROR, { required: true });
        }
      });

      ["author", "tags"].forEach(function (key) {
        if (empty[key]) return;
        listOf(data[key]).forEach(function (name) {
          if (!Format.slugify(name)) {
            add(
              key,
              "Trường " + label(key) + ": “" + name + "” không có chữ cái hay chữ số nào, không tạo được địa chỉ trang",
              key === "author" ? "viết họ tên bằng chữ, ví dụ Hồng Nhung" : "viết chủ đề bằng chữ, ví dụ thi đua",
              ERROR
            );
          }
        });
      });

      [["title", rules.titleMax], ["summary", rules.summaryMax]].forEach(function (pair) {
        var n = length(data[pair[0]]);
        if (pair[1] && n > pair[1]) {
          add(
            pair[0],
            "Trường " + label(pair[0]) + " dài " + n + " ký tự (nên dưới " + pair[1] + ")",
            "rút gọn cho dễ đọc trên điện thoại và trong danh sách tin",
            WARNING
          );
        }
      });

      if (context.isNew && String(data.title || "").trim() && !context.slug) {
        add(
          "slug",
          "Trường " + label("slug") + ": tiêu đề không có chữ cái hay chữ số nào để tạo địa chỉ bài",
          "gõ một đường dẫn, ví dụ tin-moi-ngay-5-3",
          ERROR
        );
      }

      // A published article's address holds the year of its date.
      var date = Format.parseDate(data.date || "");
      if (!context.isNew && context.publishedYear && date && date[0] !== context.publishedYear) {
        add(
          "date",
          "Trường " + label("date") + ": bài đã đăng ở năm " + context.publishedYear + "; đổi sang năm " + date[0] +
            " sẽ đổi địa chỉ bài",
          "giữ năm " + context.publishedYear + "; muốn chuyển bài sang năm khác, nhờ người quản trị thêm " +
            "Redirect_from cho địa chỉ cũ",
          ERROR
        );
      }

      // The header lines and the body: here only without the local server,
      // which runs the build's own checks on them (bulletin.editor.server).
      if (context.server) return problems;
      var keys = rules.keys || [];
      var aliases = rules.aliases || {};
      ((context.file && context.file.lines) || []).forEach(function (line) {
        if (keys.indexOf(line.key) >= 0) return;
        var alias = aliases[Format.slugify(line.key)];
        add(
          "",
          "Dòng “" + line.name + ":” ở đầu tệp bài không phải là trường được hỗ trợ" +
            (alias ? " (có phải ý là “" + alias.charAt(0).toUpperCase() + alias.slice(1) + "”?)" : ""),
          "trình soạn thảo web không hiện dòng này: mở tệp bằng trình soạn thảo văn bản, sửa tên trường " +
            "hoặc xóa dòng",
          ERROR
        );
      });

      var markers = rules.placeholders || [];
      String(data.body || "").split("\n").forEach(function (line, index) {
        var folded = fold(line);
        if (!folded) return;
        var found = markers.filter(function (p) { return folded.indexOf(p.marker) >= 0; });
        if (!found.length) return;
        var photo = found.some(function (p) { return p.photo; });
        add(
          "body",
          "Trường " + label("body") + ", dòng " + (index + 1) + ": còn văn bản mẫu của lệnh “invoke new”: " +
            found.map(function (p) { return p.label; }).join(", "),
          photo
            ? "chèn ảnh thật (nút “Chèn ảnh”) với mô tả và chú thích, rồi xóa dòng ảnh mẫu"
            : "viết nội dung thật thay cho câu mẫu, hoặc xóa câu đó",
          ERROR,
          { bodyLine: index + 1 }
        );
      });
      return problems;
    }

    return { check: check, ERROR: ERROR, WARNING: WARNING };
  }

  return { create: create, fold: fold, ERROR: ERROR, WARNING: WARNING };
});
