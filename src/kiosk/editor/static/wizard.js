// The colouring wizard: sliders re-render the line art on the server; a click on the picture
// tries a fill with the kiosk's own engine (kiosk.editor.wizard). Works without it too: the
// sliders' form has a «Показать» button, publishing is a plain form.
(function () {
  "use strict";

  var drop = document.getElementById("scan-drop");
  if (drop) {
    var file = document.getElementById("scan-file");
    var chosen = document.getElementById("scan-chosen");
    var refusal = document.getElementById("scan-error");
    var form = drop.closest("form");
    var say = function (text) {
      refusal.textContent = text;
      refusal.hidden = !text;
      drop.classList.toggle("refused", !!text);
      return text;
    };
    // A file over the limit is said here, before minutes of sending it to be refused.
    var tooLarge = function () {
      var helper = window.kioskEditor;
      return say(helper && file.files.length ? helper.tooLarge(file.files[0]) : "");
    };
    file.addEventListener("change", function () {
      chosen.textContent = file.files.length ? file.files[0].name : "";
      tooLarge();
    });
    form.addEventListener("submit", function (event) {
      // No file chosen: said under the drop area, not in the browser's bubble.
      if (!file.files.length ? say(form.dataset.noFile) : tooLarge()) { event.preventDefault(); }
    });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer.files.length) {
        file.files = event.dataTransfer.files;
        chosen.textContent = file.files[0].name;
        tooLarge();
      }
    });
  }

  var root = document.getElementById("wizard");
  if (!root) { return; }
  var art = document.getElementById("art");
  var breaks = document.getElementById("breaks");
  var verdict = document.getElementById("verdict");
  var busy = document.getElementById("busy");
  var result = document.getElementById("fill-result");
  var showLines = document.getElementById("show-lines");
  var anyway = document.getElementById("anyway");
  var publish = document.getElementById("publish");
  var threshold = document.getElementById("threshold");
  var auto = threshold.dataset.auto === "1";
  var sliders = ["threshold", "specks", "gap"].map(function (id) { return document.getElementById(id); });
  var artUrl = art.getAttribute("src");
  var pending = 0;
  var timer = null;

  function params() {
    var query = new URLSearchParams();
    query.set("threshold", auto ? "auto" : threshold.value);
    query.set("specks", sliders[1].value);
    query.set("gap", sliders[2].value);
    return query;
  }

  function outputs() {
    document.getElementById("threshold-out").textContent = auto ? (document.documentElement.lang === "en" ? "auto" : "авто") : threshold.value;
    document.getElementById("specks-out").textContent = sliders[1].value;
    document.getElementById("gap-out").textContent = sliders[2].value;
    var query = params();
    ["threshold", "specks", "gap"].forEach(function (name) {
      publish.querySelector("input[type=hidden][name=" + name + "]").value = query.get(name);
    });
  }

  function working(on) {
    pending += on ? 1 : -1;
    busy.hidden = pending <= 0;
  }

  function drawBreaks(boxes) {
    breaks.textContent = "";
    boxes.forEach(function (box) {
      var mark = document.createElement("span");
      mark.className = "break";
      mark.style.left = ((box[0] + box[2] / 2) * 100) + "%";
      mark.style.top = ((box[1] + box[3] / 2) * 100) + "%";
      breaks.appendChild(mark);
    });
  }

  // The JSON of an answer; the session's end, and a refusal that is not the editor's own
  // answer, said in words.
  function answered(answer) {
    var helper = window.kioskEditor;
    if (helper && helper.isSignIn(answer)) { return { signedOut: true }; }
    return answer.json().catch(function () { return { error: helper ? helper.failed(answer) : String(answer.status) }; });
  }
  function offline() {
    var helper = window.kioskEditor;
    return helper ? helper.offline() : "⚠";
  }

  function refresh() {
    outputs();
    var query = params();
    working(true);
    fetch(root.dataset.report + "?" + query.toString(), { credentials: "same-origin" })
      .then(answered)
      .then(function (data) {
        // Not read: said in amber, never in the green of a drawing that is fit.
        if (data.signedOut || data.error) verdict.className = "verdict warning";
        if (data.signedOut) { window.kioskEditor.offerSignIn(verdict, refresh); return; }
        if (data.error) { verdict.textContent = data.error; return; }
        artUrl = data.image;
        art.src = artUrl;
        showLines.hidden = true;
        result.textContent = "";
        result.className = "fill-result";
        verdict.className = "verdict " + data.verdict.level;
        verdict.textContent = data.verdict.text;
        anyway.hidden = !(data.verdict.problem || data.verdict.photo);
        breaks.hidden = false;
        drawBreaks(data.verdict.breaks);
        if (auto) { threshold.value = data.threshold; }
        history.replaceState(null, "", "?" + query.toString());
        store();
      })
      .catch(function () { verdict.className = "verdict warning"; verdict.textContent = offline(); })
      .finally(function () { working(false); });
  }

  // What she typed and set, kept in the tab for this upload: «Продолжить начатую» on the
  // upload page brings the drawing back with its title and sliders, not blank.
  var upload = publish.querySelector("input[name=upload]").value;
  var titles = ["title", "title_en"].map(function (name) { return publish.elements[name]; });
  var storeKey = "kiosk-wizard:" + upload;
  function store() {
    try {
      sessionStorage.setItem(storeKey, JSON.stringify({
        title: titles[0].value, title_en: titles[1].value, query: params().toString() }));
    } catch (e) { /* storage off: nothing kept, nothing lost */ }
  }
  function restore() {
    var kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(storeKey) || "null"); } catch (e) { kept = null; }
    if (!kept) { return; }
    titles.forEach(function (input) { if (!input.value && kept[input.name]) { input.value = kept[input.name]; } });
    if (location.search || !kept.query || kept.query === params().toString()) { return; }
    var query = new URLSearchParams(kept.query);
    auto = query.get("threshold") === "auto";
    if (!auto) { threshold.value = query.get("threshold"); }
    sliders[1].value = query.get("specks");
    sliders[2].value = query.get("gap");
    refresh();
  }
  titles.forEach(function (input) { input.addEventListener("input", store); });

  sliders.forEach(function (slider) {
    slider.addEventListener("input", function () {
      if (slider === threshold) { auto = false; }
      outputs();
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
  });
  document.getElementById("threshold-auto").addEventListener("click", function () {
    auto = true;
    refresh();
  });

  art.addEventListener("click", function (event) {
    var box = art.getBoundingClientRect();
    var query = params();
    query.set("fx", ((event.clientX - box.left) / box.width).toFixed(4));
    query.set("fy", ((event.clientY - box.top) / box.height).toFixed(4));
    working(true);
    fetch(root.dataset.try + "?" + query.toString(), { credentials: "same-origin" })
      .then(answered)
      .then(function (data) {
        if (data.signedOut || data.error) result.className = "fill-result warning";
        if (data.signedOut) { window.kioskEditor.offerSignIn(result, function () { result.textContent = ""; }); return; }
        if (data.error) { result.textContent = data.error; return; }
        art.src = data.image;
        breaks.hidden = true;
        showLines.hidden = false;
        result.textContent = data.warning || data.text;
        result.className = "fill-result" + (data.warning ? " warning" : "");
        // A window too short for the sheet and its answer: brought up to the answer.
        result.scrollIntoView({ block: "nearest" });
      })
      .catch(function () { result.className = "fill-result warning"; result.textContent = offline(); })
      .finally(function () { working(false); });
  });

  if (upload) { restore(); }

  showLines.addEventListener("click", function () {
    art.src = artUrl;
    breaks.hidden = false;
    showLines.hidden = true;
    result.textContent = "";
  });
}());
