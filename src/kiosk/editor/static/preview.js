// The story form's live preview (templates/_preview_panel.html, kiosk.editor.preview_views):
// ~400 ms after the last keystroke the form is posted; a newer edit aborts the request still
// under way; the four screens (landscape/portrait × RU/EN) are swapped in when loaded, and each
// problem is written under the form field that causes it. Without JavaScript the form works
// as before (Publish shows the problems on their fields). A required field still empty
// (`empty` in the answer) is said only once she has left it or pressed Publish: not in red
// under the fields she has not reached yet.
(function () {
  "use strict";
  var panel = document.querySelector("[data-preview-panel]");
  if (!panel) return;
  var form = document.getElementById(panel.dataset.form) || document.querySelector("form.story-form");
  if (!form) return;
  var DELAY = 400;
  var key = Math.random().toString(36).slice(2) + Date.now().toString(36);
  var status = panel.querySelector("[data-preview-status]");
  var general = panel.querySelector("[data-preview-general]");
  var dialog = panel.querySelector("[data-preview-dialog]");
  var timer = null, controller = null, sequence = 0, screen = panel.dataset.screen || "story", images = {};
  var lastSent = null;  // the form as last posted: a "change" after "input" sends nothing new
  // The last answer's problems, those of them on the form now (as JSON), and what its status
  // line is made of (null: not drawn, or being drawn).
  var problems = [], shownBefore = null, drawn = null;
  // The fields (their label.field or fieldset) she has been in and left; Publish pressed
  // (a form the server sent back was; an item opened from its file is judged whole: a field
  // empty there is why the kiosk does not show it).
  var base = form.elements.namedItem("base");
  var left = new Set(), tried = form.getAttribute("data-unsaved") === "dirty" ||
    Boolean(base && base.value);
  // The fields she is in whose emptiness was not said as she came in: one she clears to
  // write it anew is not called empty under her typing, but once she leaves it.
  var quiet = new Set(), said = [];

  function setStatus(text, kind) {
    status.textContent = text;
    status.className = "preview-status" + (kind ? " " + kind : "");
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(update, DELAY);
  }

  function formData() {
    var data = new FormData(form);
    data.delete("photo_file");  // the photo is uploaded once, by its own request
    var files = [];  // (the poster form's pictures too: never sent with each preview)
    data.forEach(function (value, name) { if (typeof value !== "string") files.push(name); });
    files.forEach(function (name) { data.delete(name); });
    return data;
  }

  function signature(data) {
    var parts = [];
    data.forEach(function (value, name) { if (typeof value === "string") parts.push([name, value]); });
    return JSON.stringify(parts);
  }

  function update(force, again) {
    var data = formData();
    var sent = signature(data);
    if (sent === lastSent && force !== true) return;
    lastSent = sent;
    if (controller) controller.abort();
    controller = new AbortController();
    var mine = ++sequence;
    var started = performance.now();
    panel.classList.add("stale");
    drawn = null;  // the status line is the answer's to write now
    setStatus(panel.dataset.busy, "busy");
    var headers = {"X-Preview-Key": key};
    if (panel.dataset.csrf) headers["X-CSRFToken"] = panel.dataset.csrf;
    fetch(panel.dataset.url, {method: "POST", body: data, headers: headers,
                              credentials: "same-origin", signal: controller.signal})
      .then(function (response) {
        if (response.status === 409) return null;  // overtaken by a newer edit
        var type = response.headers.get("Content-Type") || "";
        var helper = window.kioskEditor;
        if (helper && helper.isSignIn(response)) return {ok: false, signedOut: true, body: {}};
        if (response.status === 400 && type.indexOf("application/json") !== 0 && !again && helper) {
          // Refused for its token: a sign-in in another tab made a new one. Once more with it.
          return helper.freshToken().then(function (fresh) {
            if (fresh === "signed-out") return {ok: false, signedOut: true, body: {}};
            if (mine === sequence) { lastSent = null; update(true, true); }
            return null;
          });
        }
        if (type.indexOf("application/json") !== 0) {
          // The session ended (the answer is the sign-in page), or a proxy's error page.
          return {ok: false, body: {error: response.redirected ? panel.dataset.signedOut : panel.dataset.failed}};
        }
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (answer) {
        if (!answer || mine !== sequence) return;
        // What Publish will do, by the schedule as the form has it now («появится 20 декабря»).
        var hint = document.querySelector("[data-publish-hint]");
        if (hint && answer.body.hint) hint.textContent = answer.body.hint;
        if (!answer.ok) {
          lastSent = null;  // the same form may be tried again
          setStatus(answer.body.error || panel.dataset.failed, "failed");
          if (answer.signedOut) {  // signed in again, the preview is drawn for the form as it is then
            window.kioskEditor.offerSignIn(status, function () { if (mine === sequence) update(true); });
          }
          drawn = null;
          problems = answer.body.problems || [];
          showState();
          return;
        }
        images = {};
        (answer.body.images || []).forEach(function (image) {
          images[image.orientation + "-" + image.lang + "-" + image.screen] = image.url;
        });
        showImages();
        var seconds = ((performance.now() - started) / 1000).toFixed(1);
        drawn = {shown: Boolean(answer.body.shown), seconds: seconds,
                 images: (answer.body.images || []).length > 0};
        problems = answer.body.problems || [];
        showState();
      })
      .catch(function (error) {
        if (error.name === "AbortError" || mine !== sequence) return;
        lastSent = null;
        setStatus(panel.dataset.failed, "failed");
      });
  }

  function counted(number) {
    if (!number) return panel.dataset.none;
    return (panel.dataset.count || "{n}").replace("{n}", String(number));
  }

  // An empty required field's problem where a date typed in it is said to be none
  // (editor.js guardDates): that says it.
  function byDate(problem) {
    var wrapper = problem.empty && problem.field ? wrapperOf(problem.field) : null;
    return Boolean(wrapper && wrapper.querySelector("[data-date-problem]"));
  }

  // Whether a problem is said now: an empty required field's once she has left that field or
  // pressed Publish.
  function due(problem) {
    if (!problem.empty) return true;
    if (byDate(problem)) return false;
    var wrapper = problem.field ? wrapperOf(problem.field) : null;
    if (wrapper !== null && quiet.has(wrapper)) return false;
    return tried || (wrapper !== null && left.has(wrapper));
  }

  // The last answer's problems on their fields, and the status line saying what they show:
  // the errors still to come (fields not yet reached) are not counted as errors.
  function showState() {
    said = problems.filter(due);
    var same = JSON.stringify(said) === shownBefore;
    if (!same) { shownBefore = JSON.stringify(said); showProblems(said); }
    if (!drawn) return;
    var pending = problems.some(function (problem) {
      return problem.severity === "error" && !due(problem) && !byDate(problem);
    });
    // A date no calendar has, said under its field by editor.js: an error too.
    var dates = form.querySelectorAll("[data-date-problem]").length;
    // A counter in amber under its field (a story of 15 words: «мало») is a remark too, unless
    // a problem said on that field already counts it (a text too long for its pages).
    var counters = Array.prototype.filter.call(form.querySelectorAll(".counter.over"), function (counter) {
      var area = counter.previousElementSibling;
      return !said.some(function (problem) { return area && problem.field === area.name; });
    }).length;
    var wrong = dates > 0 || said.some(function (problem) { return problem.severity === "error"; });
    var number = said.length + dates + counters;
    if (!drawn.shown && (wrong || !pending)) { setStatus(panel.dataset.hidden, "hidden-story"); return; }
    // Not shown only for the fields still to fill: nothing is wrong yet.
    if (!drawn.shown && !drawn.images) { setStatus(panel.dataset.waiting, ""); return; }
    var parts = [panel.dataset.done + " · " + (panel.dataset.seconds || "{s} s").replace(
      "{s}", drawn.seconds.replace(".", panel.dataset.point || ".")) + "."];
    if (number || !pending) parts.push(counted(number));
    if (pending) parts.push(panel.dataset.pending);
    setStatus(parts.join(" "), "");
  }

  function showImages() {
    var pending = 0;
    panel.querySelectorAll(".preview-shot").forEach(function (figure) {
      var url = images[figure.dataset.orientation + "-" + figure.dataset.lang + "-" + screen];
      var img = figure.querySelector("img");
      if (!url) { img.hidden = true; return; }
      pending++;
      var next = new Image();  // swapped in once loaded: no blank frame while typing
      next.onload = next.onerror = function () {
        img.src = url;
        img.hidden = false;
        if (--pending === 0) panel.classList.remove("stale");
      };
      next.src = url;
    });
    if (!pending) panel.classList.remove("stale");
  }

  function wrapperOf(field) {
    var name = field === "schedule" ? "period" : field;
    var element = form.elements.namedItem(name);
    if (element && !element.closest && element.length) element = element[0];  // a radio list
    if (!element || !element.closest) return null;
    return element.closest("label.field") || element.closest("fieldset");
  }

  function showProblems(problems) {
    form.querySelectorAll("[data-preview-problem]").forEach(function (node) { node.remove(); });
    form.querySelectorAll("[data-preview-marked]").forEach(function (node) {
      node.classList.remove("has-problem", "has-error");
      node.removeAttribute("data-preview-marked");
    });
    // What the server wrote on the fields at the last publish is replaced by what is true now.
    form.querySelectorAll(".field-problem[data-problem-for]").forEach(function (node) { node.hidden = true; });
    form.querySelectorAll(".has-problem").forEach(function (node) { node.classList.remove("has-problem", "has-error"); });
    general.textContent = "";
    problems.forEach(function (problem) {
      var kind = problem.severity === "error" ? "error" : "warning";
      var wrapper = problem.field ? wrapperOf(problem.field) : null;
      if (wrapper) {
        var note = document.createElement("p");
        note.className = "field-problem " + kind;
        note.setAttribute("data-preview-problem", problem.field);
        note.textContent = problem.message;
        wrapper.appendChild(note);
        wrapper.classList.add("has-problem");
        if (kind === "error") wrapper.classList.add("has-error");
        wrapper.setAttribute("data-preview-marked", "");
      } else {
        var item = document.createElement("li");
        item.className = kind;
        item.textContent = (kind === "error" ? panel.dataset.errorWord : panel.dataset.warningWord) + ": " + problem.message;
        general.appendChild(item);
      }
    });
    general.hidden = !general.children.length;
    if (window.kioskEditor && window.kioskEditor.errorsChanged) window.kioskEditor.errorsChanged();
  }

  panel.querySelectorAll(".preview-switch button").forEach(function (button) {
    button.addEventListener("click", function () {
      screen = button.dataset.screen;
      panel.querySelectorAll(".preview-switch button").forEach(function (other) {
        other.classList.toggle("on", other === button);
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      showImages();
    });
  });

  panel.querySelectorAll(".preview-thumb").forEach(function (thumb) {
    thumb.addEventListener("click", function () {
      var img = thumb.querySelector("img");
      if (img.hidden || !img.src) return;
      dialog.querySelector("img").src = img.src;
      dialog.querySelector("img").alt = img.alt;
      dialog.querySelector(".preview-dialog-caption").textContent = img.alt;
      if (dialog.showModal) dialog.showModal(); else window.open(img.src);
    });
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();  // a click on the backdrop
  });

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // A field is left once the focus is out of it (not while she is in another window: the
  // field keeps the focus then). A note that appears moves what is below it: not between the
  // press and the release of the click that left the field (a tick box would miss the click).
  var pressing = false, waiting = false;
  function leftNow() {
    waiting = false;
    if (pressing) { waiting = true; return; }
    var before = left.size, still = quiet.size;
    form.querySelectorAll("label.field, fieldset").forEach(function (wrapper) {
      if (wrapper.hasAttribute("data-visited") && !wrapper.contains(document.activeElement)) left.add(wrapper);
    });
    quiet.forEach(function (wrapper) { if (!wrapper.contains(document.activeElement)) quiet.delete(wrapper); });
    if (left.size !== before || quiet.size !== still) showState();
  }
  form.addEventListener("focusin", function (event) {
    var wrapper = event.target.closest && (event.target.closest("label.field") || event.target.closest("fieldset"));
    if (!wrapper) return;
    wrapper.setAttribute("data-visited", "");
    var saidEmpty = said.some(function (problem) {
      return problem.empty && problem.field && wrapperOf(problem.field) === wrapper;
    });
    if (!saidEmpty) quiet.add(wrapper);
  });
  form.addEventListener("focusout", function () { if (!waiting) { waiting = true; setTimeout(leftNow, 0); } });
  document.addEventListener("pointerdown", function () { pressing = true; }, true);
  ["pointerup", "pointercancel"].forEach(function (kind) {
    document.addEventListener(kind, function () {
      pressing = false;
      if (waiting) setTimeout(leftNow, 0);  // after the click this release makes
    }, true);
  });
  // Publish pressed: every problem is said (before editor.js may hold the form for a date).
  form.addEventListener("submit", function () { tried = true; quiet.clear(); showState(); }, true);
  // (The upload script fires "change" on the photo's hidden field when it sets it.)
  // recount: editor.js said (or took back) that a typed date is none.
  window.kioskPreview = {refresh: function () { update(true); }, recount: showState};
  // A new story's empty form is not judged before anything is written in it; one sent back
  // by Publish is (its status said «Начните писать» beside the fields marked in red).
  var title = form.elements.namedItem("title"), text = form.elements.namedItem("text");
  if ((title && title.value) || (text && text.value) || panel.dataset.initial === "1" || tried) update();
  else fetch(panel.dataset.warm, {method: "POST", credentials: "same-origin",
                                  headers: panel.dataset.csrf ? {"X-CSRFToken": panel.dataset.csrf} : {}})
    .catch(function () {});  // the renderer starts while the title is written
})();
