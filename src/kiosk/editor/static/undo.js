// The undo's page (templates/undo_confirm.html, kiosk.editor.undo_views): each story, notice
// or poster that comes back is drawn by the kiosk's renderer as the live preview draws it,
// asked for one after another (the renderer draws one at a time, and keeps two waiting at
// most); its screens are shown in its frames, its problems listed under them. Without
// JavaScript the page says what changes, in words, and its button works.
(function () {
  "use strict";
  var texts = document.querySelector("[data-undo-texts]");
  var dialog = document.querySelector("[data-preview-dialog]");
  if (!texts) return;
  var key = Math.random().toString(36).slice(2) + Date.now().toString(36);
  var panels = Array.prototype.slice.call(document.querySelectorAll("[data-undo-preview]"));

  function setStatus(panel, text, kind) {
    var status = panel.querySelector("[data-preview-status]");
    status.textContent = text;
    status.className = "preview-status" + (kind ? " " + kind : "");
  }

  function show(panel) {
    var images = panel.undoImages || {};
    panel.querySelectorAll(".preview-shot").forEach(function (figure) {
      var url = images[[figure.dataset.orientation, figure.dataset.lang, panel.dataset.screen]
        .join("-")];
      var img = figure.querySelector("img");
      if (url) { img.src = url; img.hidden = false; } else { img.hidden = true; }
    });
  }

  function problems(panel, list) {
    var general = panel.querySelector("[data-preview-general]");
    general.textContent = "";
    list.forEach(function (problem) {
      var item = document.createElement("li");
      var kind = problem.severity === "error" ? "error" : "warning";
      item.className = kind;
      var word = kind === "error" ? texts.dataset.errorWord : texts.dataset.warningWord;
      item.textContent = word + ": " + problem.message;
      general.appendChild(item);
    });
    general.hidden = !list.length;
  }

  function draw(index) {
    var panel = panels[index];
    if (!panel) return;
    fetch(panel.dataset.url, {credentials: "same-origin", headers: {"X-Preview-Key": key + index}})
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        var helper = window.kioskEditor;
        if ((helper && helper.isSignIn && helper.isSignIn(response)) ||
            (response.redirected && type.indexOf("application/json") !== 0)) {
          return {error: texts.dataset.signedOut};
        }
        if (type.indexOf("application/json") !== 0) return {error: texts.dataset.failed};
        return response.json();
      })
      .then(function (body) {
        if (body.error) { setStatus(panel, body.error, "failed"); return; }
        panel.undoImages = {};
        (body.images || []).forEach(function (image) {
          panel.undoImages[image.orientation + "-" + image.lang + "-" + image.screen] = image.url;
        });
        show(panel);
        var list = body.problems || [];
        problems(panel, list);
        if (body.shown) setStatus(panel, texts.dataset.done + ".", "");
        else setStatus(panel, texts.dataset.hidden, "hidden-story");
      })
      .catch(function () { setStatus(panel, texts.dataset.failed, "failed"); })
      .then(function () { draw(index + 1); });
  }

  panels.forEach(function (panel) {
    // The page says what it says without JavaScript; with it, the frames and «Рисуем…».
    panel.querySelectorAll(".preview-switch, .preview-grid").forEach(function (part) {
      part.hidden = false;
    });
    setStatus(panel, texts.dataset.drawing, "busy");
    panel.querySelectorAll(".preview-switch button").forEach(function (button) {
      button.addEventListener("click", function () {
        panel.dataset.screen = button.dataset.screen;
        panel.querySelectorAll(".preview-switch button").forEach(function (other) {
          other.classList.toggle("on", other === button);
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
        show(panel);
      });
    });
  });
  document.querySelectorAll(".preview-thumb").forEach(function (thumb) {
    thumb.addEventListener("click", function () {
      var img = thumb.querySelector("img");
      if (img.hidden || !img.src || !dialog) return;
      dialog.querySelector("img").src = img.src;
      dialog.querySelector("img").alt = img.alt;
      dialog.querySelector(".preview-dialog-caption").textContent = img.alt;
      if (dialog.showModal) dialog.showModal(); else window.open(img.src);
    });
  });
  if (dialog) dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();  // a click on the backdrop
  });
  draw(0);
})();
