// The poster form's pictures (templates/poster_form.html, kiosk.editor.poster_views): each is
// uploaded as soon as it is dropped or chosen, and its hidden field then names the prepared
// draft (the live preview follows through the field's "change"). Without JavaScript the files
// go with the form and are prepared when it is published.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  ready(function () {
    var form = document.getElementById("poster-form");
    if (!form) return;
    var english = document.documentElement.lang === "en";
    var helper = window.kioskEditor;  // editor.js (base.html), run before this script
    if (!helper || !helper.dropZone) return;  // the files then go with the form
    form.querySelectorAll("[data-poster-drop]").forEach(function (zone) {
      var card = zone.closest("fieldset");
      var status = zone.querySelector("[data-picture-status]");
      var removed = card.querySelector("[data-picture-removed]");
      helper.dropZone({ zone: zone, form: form, field: "picture",
        fileInput: zone.querySelector("[data-picture-file]"), value: card.querySelector("[data-picture-value]"),
        thumb: zone.querySelector("[data-picture-thumb]"), status: status,
        remove: zone.querySelector("[data-picture-remove]"),
        busy: english ? "Preparing the picture…" : "Готовим картинку…",
        uploaded: function (answer) {
          if (removed) removed.value = "";
          return answer.width + "×" + answer.height;
        },
        removed: function () {
          status.textContent = "";
          if (removed) removed.value = "1";
        } });
    });
  });
})();
