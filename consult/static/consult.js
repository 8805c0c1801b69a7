/* consult: small enhancements. Every page works without this file; it only adds
   the quick exit by keyboard, focus after htmx swaps, a live character count,
   "Prefer not to say" unticking the other boxes and a kiosk's timers. No data
   leaves the page. */
(function () {
  "use strict";

  /* Quick exit: the page is blanked at once and replaced in the history, so Back
     does not return to it; the exit address clears the session on the way. */
  function quickExit(href) {
    document.documentElement.classList.add("exiting");
    document.title = "";
    forgetHtmxHistory();
    window.location.replace(href);
  }

  /* htmx notes the address of the page it last showed in sessionStorage, even with
     its history cache off; it needs none of it (no page is ever restored from the
     cache), and after a quick exit it would tell the next person where the
     resident was. So it is removed as soon as htmx writes it. */
  function forgetHtmxHistory() {
    try {
      Object.keys(window.sessionStorage).forEach(function (key) {
        if (key.indexOf("htmx") === 0) window.sessionStorage.removeItem(key);
      });
    } catch (error) {
      /* Storage refused (private mode, blocked): then nothing was written either. */
    }
  }
  forgetHtmxHistory();
  ["htmx:pushedIntoHistory", "htmx:replacedInHistory", "htmx:historyRestore"].forEach(
    function (name) { document.addEventListener(name, forgetHtmxHistory); }
  );

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (link) {
      event.preventDefault();
      quickExit(link.getAttribute("href"));
    }
  });

  /* Shift pressed three times within five seconds, as GOV.UK's Exit this page. */
  var shiftPresses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      shiftPresses = [];
      return;
    }
    var link = document.querySelector("[data-quick-exit]");
    if (!link) return;
    var now = Date.now();
    shiftPresses = shiftPresses.filter(function (time) { return now - time < 5000; });
    shiftPresses.push(now);
    if (shiftPresses.length >= 3) quickExit(link.getAttribute("href"));
  });

  /* After htmx swaps content, focus goes where a person needs it: the error
     summary, else the element the server asked for, else the new heading;
     never nowhere (which leaves a screen reader at the top of the page). */
  function focusAfterSwap(root) {
    var target =
      root.querySelector(".error-summary") ||
      root.querySelector("[data-autofocus]") ||
      root.querySelector("h1");
    if (!target) return;
    if (!target.matches("a, button, input, select, textarea, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    /* A new page starts at its top, as it would when loaded without JavaScript:
       otherwise it opens where the last one was scrolled to, half under the
       sticky exit bar. */
    window.scrollTo({ top: 0, left: 0, behavior: "instant" });
    target.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var main = document.getElementById("main");
    /* A region that refreshes itself (live results) must not take the focus
       away from whatever the person is reading or doing. */
    var polled = event.target && event.target.closest && event.target.closest("[data-keep-focus]");
    /* Focus already in the new content was put there by its `autofocus` or by the
       resident, who may have tabbed on in the moment before settling: keep it. */
    var active = document.activeElement;
    var placed = main && active && active !== main && main.contains(active);
    if (main && !polled && !placed) focusAfterSwap(main);
    setUp(main || document);
    if (!polled) setUpKiosk();
  });

  /* Character count: a polite message when close to or over the limit. */
  function countMessage(box, length) {
    var limit = parseInt(box.getAttribute("data-maxlength"), 10);
    var left = limit - length;
    /* "Characters remaining: 12" needs no plural forms, so it reads right in
       every language the catalogue has. */
    var template = left >= 0 ? box.dataset.remaining : box.dataset.over;
    return template.replace("%(count)s", localNumber(Math.abs(left)));
  }

  /* A number as the page's language writes it ("4 999" in Finnish), as the server
     writes the limit beside it; in Latin digits in every language, like the
     server's (consult/i18n.py says why). */
  function localNumber(value) {
    try {
      return new Intl.NumberFormat((document.documentElement.lang || "en") + "-u-nu-latn").format(value);
    } catch (error) {
      return String(value);
    }
  }

  function setUpCount(box) {
    var textarea = box.querySelector("textarea");
    var message = box.querySelector(".character-count-message");
    var status = document.getElementById("status");
    var timer = null;
    if (!textarea || !message || box.dataset.ready) return;
    box.dataset.ready = "true";
    function update() {
      var text = countMessage(box, textarea.value.length);
      var limit = parseInt(box.getAttribute("data-maxlength"), 10);
      message.textContent = text;
      message.classList.toggle("character-count-over", textarea.value.length > limit);
      /* Announced only after a pause in typing, and only near the limit. */
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (status && textarea.value.length > limit * 0.9) status.textContent = text;
      }, 1000);
    }
    textarea.addEventListener("input", update);
    if (textarea.value) update();
  }

  /* "Prefer not to say" is an answer on its own: ticking it unticks the others. */
  function setUpExclusive(root) {
    root.querySelectorAll("input[type=checkbox][data-exclusive]").forEach(function (box) {
      var group = box.closest("fieldset");
      if (!group || group.dataset.ready) return;
      group.dataset.ready = "true";
      group.addEventListener("change", function (event) {
        var changed = event.target;
        if (!changed.checked || changed.type !== "checkbox") return;
        group.querySelectorAll("input[type=checkbox][name='" + changed.name + "']").forEach(function (other) {
          if (other !== changed && (changed.dataset.exclusive || other.dataset.exclusive)) {
            other.checked = false;
          }
        });
      });
    });
  }

  function setUp(root) {
    root.querySelectorAll(".character-count[data-maxlength]").forEach(setUpCount);
    setUpExclusive(root);
  }

  /* Kiosk (a shared tablet): clearing sends the form in the background, then the
     start replaces this page in the history, so Back has nothing of this person's. */
  function kioskClear(form) {
    var start = form.getAttribute("data-kiosk-clear");
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (reply) {
        if (!reply.ok) throw new Error(reply.status);
        forgetHtmxHistory();
        window.location.replace(start);
      })
      .catch(function () { form.submit(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-kiosk-clear")) {
      event.preventDefault();
      kioskClear(form);
    }
  });

  /* Counting down in a [data-kiosk-left] inside `box`; `done` when it reaches 0. */
  function countDown(box, seconds, done) {
    var left = seconds;
    var shown = box.querySelector("[data-kiosk-left]");
    if (shown) shown.textContent = String(left);
    return setInterval(function () {
      left -= 1;
      if (shown) shown.textContent = String(Math.max(left, 0));
      if (left <= 0) done();
    }, 1000);
  }

  var kioskTimers = [];
  function stopKiosk() {
    kioskTimers.forEach(function (timer) { clearTimeout(timer); clearInterval(timer); });
    kioskTimers = [];
  }

  /* "Are you still there?" after a while without input (WCAG 2.2.1): the person
     can ask for more time; if nobody does, their answers are cleared. */
  function setUpKiosk() {
    stopKiosk();
    kioskActivity = null;
    var form = document.querySelector("form[data-kiosk-clear]");
    var thanks = document.querySelector("[data-kiosk-countdown]");
    if (form && thanks) {
      kioskTimers.push(countDown(thanks, +thanks.getAttribute("data-kiosk-countdown"), function () {
        stopKiosk();
        kioskClear(form);
      }));
    }
    var dialog = document.getElementById("kiosk-idle");
    if (!form || !dialog) return;
    var idle = +dialog.getAttribute("data-kiosk-idle") * 1000;
    var warning = +dialog.getAttribute("data-kiosk-warning");
    var before = null;
    function wait() {
      stopKiosk();
      kioskTimers.push(setTimeout(warn, idle));
    }
    function warn() {
      before = document.activeElement;
      dialog.hidden = false;
      dialog.querySelector("[data-kiosk-more-time]").focus();
      kioskTimers.push(countDown(dialog, warning, function () {
        stopKiosk();
        kioskClear(form);
      }));
    }
    dialog.querySelector("[data-kiosk-more-time]").onclick = function () {
      dialog.hidden = true;
      if (before && before.focus) before.focus();
      wait();
    };
    kioskActivity = function () { if (dialog.hidden) wait(); };
    wait();
  }

  var kioskActivity = null;
  ["keydown", "pointerdown", "input", "scroll"].forEach(function (name) {
    document.addEventListener(name, function () { if (kioskActivity) kioskActivity(); }, true);
  });

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
    setUpKiosk();
    var requested = document.querySelector("[data-autofocus]");
    if (requested && !document.querySelector(".error-summary")) requested.focus();
  });
})();
