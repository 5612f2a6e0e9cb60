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
    form.querySelectorAll("[data-poster-drop]").forEach(function (zone) {
      var card = zone.closest("fieldset");
      var value = card.querySelector("[data-picture-value]");
      var fileInput = zone.querySelector("[data-picture-file]");
      var thumb = zone.querySelector("[data-picture-thumb]");
      var status = zone.querySelector("[data-picture-status]");
      var remove = zone.querySelector("[data-picture-remove]");
      var removed = card.querySelector("[data-picture-removed]");
      function changed() { value.dispatchEvent(new Event("change", { bubbles: true })); }
      function upload(file, again) {
        var data = new FormData();
        data.append("picture", file);
        var token = form.querySelector("[name=csrf_token]");
        if (token) data.append("csrf_token", token.value);
        status.textContent = english ? "Preparing the picture…" : "Готовим картинку…";
        status.classList.remove("error");
        var helper = window.kioskEditor;
        fetch(zone.getAttribute("data-upload"), { method: "POST", body: data, credentials: "same-origin",
          headers: token ? { "X-CSRFToken": token.value } : {} })
          .then(function (r) {
            if (helper && helper.isSignIn(r)) return { error: helper.signedOut() };
            if (r.status === 400 && !again && helper && (r.headers.get("Content-Type") || "").indexOf("application/json") !== 0) {
              return helper.freshToken().then(function (fresh) {  // a token renewed in another tab
                if (fresh === "signed-out") return { error: helper.signedOut() };
                upload(file, true);
                return null;
              });
            }
            return r.json().catch(function () { return { error: r.status + " " + r.statusText }; });
          })
          .then(function (answer) {
            if (!answer) return;
            if (answer.error) { status.textContent = answer.error; status.classList.add("error"); return; }
            value.value = answer.picture; thumb.src = answer.url; thumb.hidden = false;
            if (remove) remove.hidden = false;
            if (removed) removed.value = "";
            status.textContent = answer.width + "×" + answer.height;
            fileInput.value = ""; changed();
          })
          .catch(function (e) { status.textContent = String(e); status.classList.add("error"); });
      }
      fileInput.addEventListener("change", function () { if (fileInput.files.length) upload(fileInput.files[0]); });
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
      });
      zone.addEventListener("drop", function (e) { if (e.dataTransfer.files.length) upload(e.dataTransfer.files[0]); });
      if (remove) remove.addEventListener("click", function () {
        value.value = ""; thumb.hidden = true; thumb.removeAttribute("src"); remove.hidden = true;
        status.textContent = "";
        if (removed) removed.value = "1";
        changed();
      });
    });
  });
})();
