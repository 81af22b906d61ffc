// Photo galleries (phóng sự ảnh): a lightbox over the page. Our own code, no
// library. Without it each photo is a plain link to its large JPEG; with it a
// click shows that JPEG in a modal <dialog>, fetched only then. Editor text
// (caption, credit, alt) is only ever set as text (textContent, .alt).
(function () {
  "use strict";
  var links = document.querySelectorAll(".gallery > figure.photo > a.photo__link");
  if (!links.length || typeof HTMLDialogElement !== "function") {
    return; // an old browser keeps the plain links
  }
  var root = document.documentElement;
  var items = [];
  var current = 0;
  var opener = null;
  var startX = null;
  var startY = 0;

  function make(tag, className, parent, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) {
      node.textContent = text;
    }
    if (parent) {
      parent.appendChild(node);
    }
    return node;
  }

  // A button named by its visible words; the arrow beside them is decoration.
  function button(className, label, glyph, after, parent, action) {
    var node = make("button", "lightbox__button " + className, parent);
    var mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = glyph;
    node.appendChild(after ? document.createTextNode(label) : mark);
    node.appendChild(after ? mark : document.createTextNode(label));
    node.type = "button";
    node.addEventListener("click", action);
    return node;
  }

  var dialog = make("dialog", "lightbox");
  dialog.setAttribute("aria-modal", "true");
  dialog.setAttribute("aria-label", "Xem ảnh phóng to");
  var bar = make("div", "lightbox__bar", dialog);
  var counter = make("p", "lightbox__counter", bar);
  counter.setAttribute("aria-live", "polite");
  var frame = make("div", "lightbox__frame", dialog);
  var image = make("img", "lightbox__image", frame);
  image.draggable = false; // a mouse drag swipes too, instead of dragging the file
  var caption = make("p", "lightbox__caption", dialog);
  var captionText = make("span", "", caption);
  var credit = make("small", "lightbox__credit", caption);
  var nav = make("div", "lightbox__nav", dialog);
  var previous = button("lightbox__previous", "Ảnh trước", "‹ ", false, nav, function () {
    show(current - 1);
  });
  var next = button("lightbox__next", "Ảnh sau", " ›", true, nav, function () {
    show(current + 1);
  });
  var close = button("lightbox__close", "Đóng", "✕ ", false, bar, function () {
    dialog.close();
  });
  var focusable = [close, previous, next];

  function describe(link) {
    // The figure's caption and credit as the page shows them, as text.
    var figcaption = link.parentNode.querySelector("figcaption");
    var words = "";
    var who = "";
    Array.prototype.forEach.call(figcaption ? figcaption.childNodes : [], function (node) {
      if (node.nodeName === "SMALL") {
        who += node.textContent;
      } else {
        words += node.textContent;
      }
    });
    var picture = link.querySelector("img");
    return {
      href: link.href,
      alt: picture ? picture.alt : "",
      caption: words.trim(),
      credit: who.trim()
    };
  }

  function show(index) {
    current = (index + items.length) % items.length;
    var item = items[current];
    image.removeAttribute("src"); // never the previous photo under the new caption
    image.alt = item.alt;
    image.src = item.href;
    captionText.textContent = item.caption;
    credit.textContent = item.credit;
    credit.hidden = !item.credit;
    counter.textContent = current + 1 + "/" + items.length;
  }

  function open(link) {
    var gallery = link.parentNode.parentNode;
    var own = gallery.querySelectorAll("figure.photo > a.photo__link");
    items = Array.prototype.map.call(own, describe);
    opener = link;
    var single = items.length < 2;
    previous.hidden = single;
    next.hidden = single;
    show(Array.prototype.indexOf.call(own, link));
    root.classList.add("lightbox-open");
    dialog.showModal();
    close.focus();
  }

  dialog.addEventListener("close", function () {
    root.classList.remove("lightbox-open");
    image.removeAttribute("src");
    if (opener) {
      opener.focus();
      opener = null;
    }
  });

  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") {
      show(current + 1);
    } else if (event.key === "ArrowLeft") {
      show(current - 1);
    } else if (event.key === "Tab") {
      // Focus stays in the dialog: from the last button to the first and back.
      var shown = focusable.filter(function (node) { return !node.hidden; });
      var at = shown.indexOf(document.activeElement);
      var to = event.shiftKey ? at - 1 : at + 1;
      shown[(to + shown.length) % shown.length].focus();
    } else {
      return; // Esc: the dialog's own cancel closes it
    }
    event.preventDefault();
  });

  // Swipe on a touch screen: a mostly horizontal move of 40 px or more.
  frame.addEventListener("pointerdown", function (event) {
    startX = event.clientX;
    startY = event.clientY;
  });
  frame.addEventListener("pointerup", function (event) {
    if (startX === null) {
      return;
    }
    var dx = event.clientX - startX;
    var dy = event.clientY - startY;
    startX = null;
    if (items.length > 1 && Math.abs(dx) >= 40 && Math.abs(dx) > Math.abs(dy)) {
      show(dx < 0 ? current + 1 : current - 1);
    }
  });
  frame.addEventListener("pointercancel", function () { startX = null; });
  // A click on the backdrop (outside the dialog's box) closes it.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) {
      dialog.close();
    }
  });

  document.body.appendChild(dialog);
  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return; // a new tab or window, as the reader asked
      }
      event.preventDefault();
      open(link);
    });
  });
})();
