// Progressive: the pages work without it; with it, a photo is uploaded as soon as it is
// dropped or chosen, and the delete button asks first.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }

  // A fetch that was sent to the sign-in page: the session has ended.
  function isSignIn(response) {
    var signin = document.body.dataset.signin;
    if (!signin || !response || !response.redirected) return false;
    var out = false;
    try { out = new URL(response.url).pathname === signin; } catch (e) { out = false; }
    if (out) sessionShown(null);
    return out;
  }
  // The header says who is signed in: once the page learns the session ended, it says so
  // (with «Выйти» gone: there is nobody to sign out), and who is in again after a sign-in.
  function sessionShown(user) {
    var who = document.querySelector(".top .who"), body = document.body;
    if (!who) return;
    var out = user === null;
    who.textContent = out ? (body.dataset.sessionEnded || "") :
      user === body.dataset.pinUser ? (body.dataset.pinSignedIn || user) : user;
    who.classList.toggle("ended", out);
    var signOut = who.parentNode.querySelector("button");
    if (signOut) signOut.hidden = out;
    var separator = who.parentNode.querySelector(".who-sep");
    if (separator) separator.hidden = out;
  }
  // This session's CSRF token, asked before a form is posted: a sign-in in another tab makes a
  // new one, and the token this page was given would be refused. Resolves to {token, user},
  // "signed-out", or null (nothing to ask, or no answer: the form goes as it is).
  function freshToken() {
    var url = document.body.dataset.tokenUrl;
    if (!url) return Promise.resolve(null);
    return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (isSignIn(r)) return "signed-out";
      if (!r.ok) return null;
      return r.json().then(function (answer) {
        if (answer && answer.user) sessionShown(answer.user);
        document.querySelectorAll("input[name=csrf_token]").forEach(function (input) { input.value = answer.token; });
        document.querySelectorAll("[data-csrf]").forEach(function (node) { node.setAttribute("data-csrf", answer.token); });
        return answer;
      });
    }).catch(function () { return null; });
  }
  // A file over the editor's limit, said before it is sent (30 MB would take minutes on a slow
  // line, to be refused at the end); "" for a file that may go.
  function tooLarge(file) {
    var most = Number(document.body.dataset.maxUpload || 0);
    if (!most || file.size <= most) return "";
    var size = (Math.ceil(file.size / 1e5) / 10).toFixed(1).replace(/\.0$/, "");  // 30.1, never 30
    if (document.documentElement.lang !== "en") size = size.replace(".", ",");
    // Replaced by functions: a «$&» or «SIZE» in the file's name is taken as it is.
    return (document.body.dataset.tooLarge || "").replace("SIZE", function () { return size; })
      .replace("NAME", function () { return file.name.slice(-80); });
  }
  // An answer that is not the editor's JSON (a proxy's or the server's own refusal), in words.
  function failed(response) {
    if (response.status === 413) return document.body.dataset.refusedLarge || "";
    return (document.body.dataset.uploadFailed || "").replace("{status}", String(response.status));
  }
  function offline() { return document.body.dataset.offline || ""; }
  window.kioskEditor = { isSignIn: isSignIn, freshToken: freshToken, tooLarge: tooLarge,
    failed: failed, offline: offline, offerSignIn: offerSignIn,
    signedOut: function () { return document.body.dataset.signedOutShort || ""; } };

  // The header's «Добавить» closes as a menu does: a click elsewhere, Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-closes][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("focusout", function (event) {  // Tab out of it: closed too
    var menu = event.target.closest && event.target.closest("details[data-closes][open]");
    if (menu && !menu.contains(event.relatedTarget)) menu.open = false;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details[data-closes][open]").forEach(function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });

  function note(form, submitter, text) {
    var el = form.querySelector(".session-note");
    if (!el) {
      el = document.createElement("p");
      el.className = "session-note";
      el.setAttribute("role", "alert");
      var where = submitter && submitter.parentNode !== form ? submitter.parentNode : submitter;
      if (where && where.parentNode) where.parentNode.insertBefore(el, where); else form.appendChild(el);
    }
    el.textContent = text;
    el.scrollIntoView({ block: "center" });
  }

  function canSignInHere() {
    return Boolean(document.body.dataset.signin) && typeof HTMLDialogElement === "function" &&
      Boolean(window.DOMParser);
  }

  // The session ended while a form was open: sign in again here, in a dialog holding the
  // sign-in page's own forms (its CSRF token, its lockouts and its messages), and `then()`
  // once signed in, `gaveUp()` (optional) when she closes it instead; `lead` (optional) says
  // what happens then, where it is not a form sent. False where no dialog can be shown: the
  // caller says it in words instead.
  function signInHere(then, gaveUp, lead) {
    var body = document.body, signin = body.dataset.signin;
    if (!canSignInHere()) return false;
    var dialog = document.getElementById("signin-again");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "signin-again";
      dialog.className = "signin-dialog";
      dialog.setAttribute("aria-labelledby", "signin-again-title");
      document.body.appendChild(dialog);
    }
    var done = false;
    function signedIn() { done = true; if (dialog.open) dialog.close(); then(); }
    dialog.addEventListener("close", function () { if (!done && gaveUp) gaveUp(); }, { once: true });
    function line(tag, className, text) {
      var el = document.createElement(tag);
      el.className = className;
      el.textContent = text;
      return el;
    }
    function cancel() {
      var row = line("p", "close-row", "");
      var button = line("button", "button quiet", body.dataset.againCancel);
      button.type = "button";
      button.addEventListener("click", function () { dialog.close(); });
      row.appendChild(button);
      return row;
    }
    // `html`: the sign-in page (or a refusal); `trouble`: said above it (no connection).
    function show(html, trouble) {
      var answer = new DOMParser().parseFromString(html, "text/html");
      var forms = answer.querySelector(".signin .forms");
      dialog.textContent = "";
      var title = line("h2", "again", body.dataset.againTitle);
      title.id = "signin-again-title";
      dialog.append(title, line("p", "lead", lead || body.dataset.againLead));
      if (trouble) dialog.appendChild(line("p", "flash error", trouble));
      if (!forms && !trouble) {  // a refusal of its own (too many tries from here): said as it is
        dialog.append(line("p", "flash error", (answer.body && answer.body.textContent || "").trim().slice(0, 600)));
      } else if (forms) {
        dialog.appendChild(forms);
        // Signed in, the answer is this session's token (JSON), whatever page this is: a form
        // the server sent back has an address (/stories/save) that opens no page by itself.
        forms.querySelectorAll("input[name=next]").forEach(function (next) { next.value = body.dataset.tokenUrl; });
        forms.querySelectorAll("form").forEach(function (signForm) {
          signForm.addEventListener("submit", function (event) {
            event.preventDefault();
            fetch(signForm.getAttribute("action"), { method: "POST", body: new FormData(signForm), credentials: "same-origin" })
              .then(function (r) {
                if (r.ok && new URL(r.url).pathname !== signin) { signedIn(); return null; }
                return r.text().then(show);
              })
              .catch(function () { show(html, offline()); });
          });
        });
      }
      dialog.appendChild(cancel());
      if (!dialog.open) dialog.showModal();
      var first = dialog.querySelector("input[autofocus]") || dialog.querySelector("input:not([type=hidden])");
      if (first) first.focus();
    }
    fetch(signin, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        // Signed in again meanwhile (in another tab): the sign-in page sends on at once.
        if (r.ok && new URL(r.url).pathname !== signin) { signedIn(); return null; }
        return r.text().then(show);
      })
      .catch(function () { show("", offline()); });
    return true;
  }

  // A page's own request (the preview as she types, the wizard's sliders) found the session
  // ended: `where` says so with a «Войти снова» button. The dialog waits for the press, never
  // opening by itself under her typing; `then()` once signed in (with this session's token).
  function offerSignIn(where, then) {
    var body = document.body;
    if (!canSignInHere()) { where.textContent = body.dataset.signedOutShort || ""; return; }
    where.textContent = (body.dataset.signedOutHere || "") + " ";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button primary small again-button";
    button.textContent = body.dataset.againButton || "";
    button.addEventListener("click", function () {
      signInHere(function () { freshToken().then(function () { then(); }); }, null,
                 body.dataset.againLeadPage);
    });
    where.appendChild(button);
  }

  function freshBeforePost(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.tokenFresh === "1") { delete form.dataset.tokenFresh; return; }  // the second pass
      if (event.defaultPrevented) return;  // «Cancel» in a confirmation
      event.preventDefault();
      if (form.dataset.tokenAsking === "1") return;  // a double click
      form.dataset.tokenAsking = "1";
      var submitter = event.submitter || null;
      var body = document.body;
      freshToken().then(function (answer) {
        delete form.dataset.tokenAsking;
        if (answer === "signed-out" && !form.closest("header")) {
          // Signed in again, the same press once more (a fresh token; another name is asked).
          var again = function () {
            if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
          };
          if (!signInHere(again)) note(form, submitter, body.dataset.signedOut);
          return;
        }
        var opened = body.dataset.user;
        if (answer && answer !== "signed-out" && opened && answer.user !== opened) {
          if (!window.confirm(body.dataset.otherUser.replace("{user}", answer.user))) return;
          body.dataset.user = answer.user;
        }
        var old = form.querySelector(".session-note");
        if (old) old.remove();
        // In a task of its own: a submit asked for while the first is still being dispatched
        // (an answer at once, as here without a session) is silently dropped by the browser.
        setTimeout(function () {
          form.dataset.tokenFresh = "1";
          if (form.requestSubmit) form.requestSubmit(submitter);
          else { form.dataset.sending = "1"; form.submit(); }  // (no submit event to see)
          delete form.dataset.tokenFresh;  // (still there when the browser refused the form)
        }, 0);
      });
    });
  }

  // A date typed by hand that no calendar has («31.02»): the browser gives the form an empty
  // value for it, and the date would be dropped without a word. Said under the field once
  // she leaves it, and the form is not sent while one is there.
  function guardDates(form) {
    var fields = form.querySelectorAll("input[type=date]");
    if (!fields.length) return;
    function badInput(input) { return Boolean(input.validity && input.validity.badInput); }
    // Whether `input` holds a date that is none; the note is its place's, and a schedule's
    // «С … по …» share one: it goes only once neither of them is wrong (leaving an empty
    // «по» took back what was said of «С», and Publish then asked for a date she had typed).
    function say(input) {
      var place = input.closest(".field") || input.parentNode;
      var old = place.querySelector("[data-date-problem]");
      var bad = badInput(input);
      input.setAttribute("aria-invalid", bad ? "true" : "false");
      var wrong = bad || Array.prototype.some.call(
        place.querySelectorAll("input[type=date][aria-invalid=true]"),
        function (other) { return other !== input && badInput(other); });
      if (!wrong) { if (old) { old.remove(); recount(); } return false; }
      if (!bad) return false;
      if (!old) {
        old = document.createElement("p");
        old.className = "field-problem error";
        old.setAttribute("data-date-problem", "");
        old.setAttribute("role", "alert");
        old.textContent = document.body.dataset.badDate || "";
        place.appendChild(old);
        recount();
      }
      return true;
    }
    // The live preview's status counts the problems on the form: this one too.
    function recount() { if (window.kioskPreview && window.kioskPreview.recount) window.kioskPreview.recount(); }
    fields.forEach(function (input) {
      // Said once she leaves the field (half typed, a date is not yet one); gone as soon
      // as it is put right.
      input.addEventListener("blur", function () { say(input); });
      ["input", "change", "keyup"].forEach(function (kind) {
        input.addEventListener(kind, function () {
          if (!badInput(input)) say(input);
        });
      });
    });
    form.addEventListener("submit", function (event) {
      var first = null;
      fields.forEach(function (input) { if (say(input) && !first) first = input; });
      if (!first) return;
      event.preventDefault();
      event.stopImmediatePropagation();  // no fresh token asked, no «sent» for the guard
      first.scrollIntoView({ block: "center" });
      first.focus();
    });
  }

  // A form being filled in (data-unsaved): leaving the page asks first, as does its
  // «Не сохранять» link (data-discard); sending the form does not. A form the server sent
  // back (data-unsaved="dirty": not published, its problems shown) holds unsent work as it is.
  function guardUnsaved(form) {
    function state() {
      var fields = [];
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrf_token" && typeof value === "string") fields.push(name + "=" + value);
      });
      return fields.join("&");
    }
    var first = form.getAttribute("data-unsaved") === "dirty" ? null : state(), sent = false;
    // Enter in a one-line field goes on to the next field, as people expect from a paper-like
    // form; it published the story there and then. Only the «Опубликовать» button publishes.
    form.addEventListener("keydown", function (event) {
      var field = event.target;
      if (event.key !== "Enter" || event.isComposing || !(field instanceof HTMLInputElement) ||
          ["button", "submit", "reset", "image"].indexOf(field.type) >= 0) return;
      event.preventDefault();
      var order = Array.prototype.filter.call(form.elements, function (el) {
        return !el.disabled && el.type !== "hidden" && el.offsetParent !== null &&
          el.tagName !== "FIELDSET";
      });
      var next = order[order.indexOf(field) + 1];
      if (next) next.focus();
    });
    function changed() { return !sent && form.dataset.sending !== "1" && state() !== first; }
    form.addEventListener("submit", function (event) {
      if (!event.defaultPrevented) sent = true;  // (the first pass waits for a fresh token)
    });
    window.addEventListener("beforeunload", function (event) {
      if (!changed()) return;
      event.preventDefault();
      event.returnValue = "";  // the browser says it in its own words
    });
    document.querySelectorAll("a[data-discard]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (!changed()) return;
        if (window.confirm(link.getAttribute("data-discard"))) sent = true;
        else event.preventDefault();
      });
    });
  }

  ready(function () {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.tokenFresh === "1") return;  // asked already, before the token
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    // Before freshBeforePost: a form with a date that does not exist is not sent at all.
    document.querySelectorAll("form").forEach(guardDates);
    // Only on a signed-in page (the sign-in page's own forms go as they are).
    if (document.body.dataset.tokenUrl) document.querySelectorAll("form").forEach(function (form) {
      if ((form.getAttribute("method") || "").toLowerCase() === "post" &&
          form.querySelector("input[name=csrf_token]")) freshBeforePost(form);
    });
    // After freshBeforePost: its first pass, held for a fresh token, is not yet a send.
    document.querySelectorAll("form[data-unsaved]").forEach(guardUnsaved);
    // A text with a length people read in passing: how many characters (or words, with
    // data-count-unit="words"), as it is typed; outside its range said so, in amber.
    document.querySelectorAll("textarea[data-count-limit]").forEach(function (area) {
      var limit = Number(area.getAttribute("data-count-limit"));
      var least = Number(area.getAttribute("data-count-least") || 0);
      var words = area.getAttribute("data-count-unit") === "words";
      var counter = document.createElement("span");
      counter.className = "counter";
      counter.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", counter);
      function count() {
        var text = area.value.trim();
        var n = words ? (text ? text.split(/\s+/).length : 0) : Array.from(text).length;
        var said = "data-count-words";
        if (n && n < least && area.hasAttribute("data-count-short")) said = "data-count-short";
        if (n > limit && area.hasAttribute("data-count-long")) said = "data-count-long";
        counter.textContent = area.getAttribute(said).replace("{n}", String(n));
        counter.classList.toggle("over", n > limit || (n > 0 && n < least));
      }
      area.addEventListener("input", count);
      count();
    });
    document.querySelectorAll("time[data-local]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) el.textContent = when.toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "ru-RU",
        { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });
    });
    var zone = document.getElementById("dropzone");
    if (!zone) return;
    var form = document.getElementById("story-form");
    dropZone({ zone: zone, form: form, field: "photo", fileInput: document.getElementById("photo-file"),
      value: document.getElementById("photo-value"), thumb: document.getElementById("photo-thumb"),
      status: document.getElementById("upload-status"), remove: document.getElementById("photo-remove"),
      busy: document.documentElement.lang === "en" ? "Preparing the photo…" : "Готовим фото…",
      extra: function (data) {
        var title = form.querySelector("[name=title]");
        if (title) data.append("title", title.value);
      } });
  });

  // A picture's drop zone (the story's photo, a poster's pictures): the file dropped or chosen
  // is uploaded at once to the zone's data-upload as `o.field` (with `o.extra(data)`'s fields),
  // and the answer's draft name goes into `o.value`, whose "change" the live preview follows.
  // `o.uploaded(answer)` (optional) does the rest and says what the status line shows;
  // `o.removed()` (optional) follows the remove button.
  function dropZone(o) {
    var zone = o.zone, fileInput = o.fileInput, value = o.value, thumb = o.thumb;
    var status = o.status, remove = o.remove;
    function changed() { value.dispatchEvent(new Event("change", { bubbles: true })); }
    // The session has ended: signed in again in the dialog, the same file goes once more;
    // the dialog closed instead, the status line says why the file is not there.
    function askToSignIn() {
      var told = function () { status.textContent = window.kioskEditor.signedOut(); status.classList.add("error"); };
      var shown = signInHere(function () { freshToken().then(function () { upload(lastFile, true); }); }, told);
      if (shown) status.textContent = "";
      return shown;
    }
    var lastFile = null;
    function upload(file, again) {
      lastFile = file;
      var large = tooLarge(file);
      if (large) { status.textContent = large; status.classList.add("error"); fileInput.value = ""; return; }
      var data = new FormData();
      data.append(o.field, file);
      if (o.extra) o.extra(data);
      var token = o.form.querySelector("[name=csrf_token]");
      if (token) data.append("csrf_token", token.value);
      status.textContent = o.busy; status.classList.remove("error");
      fetch(zone.getAttribute("data-upload"), { method: "POST", body: data, credentials: "same-origin",
        headers: token ? { "X-CSRFToken": token.value } : {} })
        .then(function (r) {
          if (isSignIn(r)) return again || !askToSignIn() ? { error: window.kioskEditor.signedOut() } : null;
          if (r.status === 400 && !again && (r.headers.get("Content-Type") || "").indexOf("application/json") !== 0) {
            // Refused for its token (a sign-in in another tab made a new one): once more.
            return freshToken().then(function (fresh) {
              if (fresh === "signed-out") return askToSignIn() ? null : { error: window.kioskEditor.signedOut() };
              upload(file, true);
              return null;
            });
          }
          return r.json().catch(function () { return { error: failed(r) }; });
        })
        .then(function (answer) {
          if (!answer) return;
          if (answer.error) { status.textContent = answer.error; status.classList.add("error"); return; }
          value.value = answer[o.field]; thumb.src = answer.url; thumb.hidden = false;
          if (remove) remove.hidden = false;
          status.textContent = o.uploaded ? o.uploaded(answer) : "";
          fileInput.value = ""; changed();
        })
        .catch(function () { status.textContent = offline(); status.classList.add("error"); });
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
      if (o.removed) o.removed();
      changed();
    });
  }
  window.kioskEditor.dropZone = dropZone;

  // The banner of a form sent back with errors («Проверьте поля, отмеченные красным»): it
  // names those fields as links to them (one may be a screen below), and follows the live
  // check, which calls this after it marks the fields: gone once no field has an error.
  function errorsChanged() {
    var banner = document.querySelector("[data-error-banner]");
    if (!banner) return;
    var fields = Array.prototype.slice.call(document.querySelectorAll("form .has-error"));
    banner.hidden = fields.length === 0;
    var list = banner.querySelector("[data-error-fields]");
    if (!list) return;
    list.textContent = "";
    if (!fields.length) return;
    var named = fields.map(function (field) {
      var label = field.querySelector(":scope > .label, :scope > legend");
      var name = label ? (label.firstChild && label.firstChild.nodeType === 3 ?
        label.firstChild.textContent : label.textContent).trim() : "";
      return { field: field, name: name };
    }).filter(function (item) { return item.name; });
    if (!named.length) return;
    list.appendChild(document.createTextNode(" " + (document.body.dataset.errorFields || "") + " "));
    named.forEach(function (item, number) {
      var field = item.field, name = item.name;
      if (number) list.appendChild(document.createTextNode(", "));
      var link = document.createElement("a");
      link.href = "#";
      link.textContent = (document.body.dataset.quoted || "«{}»").replace("{}", name);  // “Name” in English
      link.addEventListener("click", function (event) {
        event.preventDefault();
        field.scrollIntoView({ block: "center" });
        var input = field.querySelector("input:not([type=hidden]), textarea, select");
        if (input) input.focus({ preventScroll: true });
      });
      list.appendChild(link);
    });
    list.appendChild(document.createTextNode("."));
  }
  window.kioskEditor.errorsChanged = errorsChanged;
  ready(errorsChanged);
})();
