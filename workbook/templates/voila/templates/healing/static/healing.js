/*
 * Healing Together: what every page does in the browser, before and while it is shown.
 *
 * 1. Quick exit. The link #ht-exit (first in the page, fixed on screen), or Escape pressed
 *    twice, blanks the page at once, forgets this tab's unlock cookies and replaces the page
 *    with a neutral site (location.replace, so this page is not left in the history).
 * 2. Back never undoes the exit. The exit leaves a flag in this tab's sessionStorage. A page
 *    of the app reached again with Back or Forward (or restored from the back/forward cache)
 *    while the flag is set leaves at once, before anything is drawn. Opening the app anew (a
 *    typed address, a bookmark, a link) clears the flag.
 * 3. One unlock per sitting. The kernel asks, through a hidden widget (.ht-sitting), to set or
 *    clear this app's session cookie that carries a partner's unlock to the next page
 *    (workbook/ui/sitting.py). Nothing else is stored in the browser. It also asks a page
 *    opened with a workshop join code that was since replaced to leave for the start page.
 * 5. A sitting ends in every tab at once. When a page ends one (Lock, another writer chosen:
 *    the kernel's "end"), or on the quick exit, this script tells the app's other tabs of this
 *    browser (a BroadcastChannel); each presses its pages' hidden "end" button (.ht-end-<cookie>),
 *    so their kernels delete the sitting and lock. On a quick exit every other tab of the app
 *    leaves as the exiting one does (1 and 2: blanked, replaced, no way Back). The
 *    exiting page presses its own too: a websocket message sent on the way out, never awaited.
 *    Voila's own unload beacon can have that kernel shut down before the press arrives, so the
 *    exit also hands the sitting cookies to the server in a beacon (<base>ht/exit), which ends
 *    those sittings itself (workbook/exit_sittings.py); then the cookies are forgotten.
 * 6. Unsaved words. Leaving a page (a link, Back, reload, closing) while a text box holds words
 *    typed and not yet saved asks first. A box is "saved" once the page itself changes its text
 *    (the forms empty it after a save); the quick exit never asks.
 *
 * 7. What a press says is seen: the card's message after a press is scrolled into sight,
 *    unless the writer has gone on elsewhere.
 * 8. A page whose kernel is gone says so. When the server answers that this page's kernel no
 *    longer exists (stopped after a long quiet spell, or the server was started again), a note
 *    at the top says the page can no longer save, that what was saved is kept, and, when boxes
 *    hold words not yet saved, that those are still there to copy; its button opens the page
 *    again (the unsaved-words question of 6 still asks first). Whenever a websocket of this
 *    page's kernel closes (or never opens), this script asks the server whether the kernel
 *    still exists (GET <base>api/kernels/<id>); Voila's own front end does not say. A server
 *    started again keeps its logins (workbook/server_secret.py), so the page opens again.
 * 9. A page whose widgets could not be fetched from its kernel (ipywidgets' "Error displaying
 *    widget: model not found") opens again by itself, at most once a minute in a tab.
 *
 * No outside requests, no libraries: it must work when everything else is slow.
 */
(function () {
  "use strict";

  var FLAG = "ht-exited";
  var SITTING_PREFIX = "ht_sit_";
  var meta = document.querySelector('meta[name="ht-exit-url"]');
  var EXIT_URL = (meta && meta.content) || "https://www.weather.gov/";

  function storage() {
    try {
      return window.sessionStorage;
    } catch (err) {
      return null;
    }
  }

  function navigationType() {
    try {
      var entry = performance.getEntriesByType("navigation")[0];
      return entry ? entry.type : "";
    } catch (err) {
      return "";
    }
  }

  function cookiePath() {
    // data-base-url is "<base>voila/"; the app's cookies belong to <base>.
    var body = document.body;
    var base = (body && body.getAttribute("data-base-url")) || "/";
    return base.replace(/voila\/?$/, "") || "/";
  }

  function setCookie(name, value, clear) {
    var parts = [name + "=" + (clear ? "" : value), "path=" + cookiePath(), "SameSite=Strict"];
    if (clear) parts.push("Max-Age=0");
    if (location.protocol === "https:") parts.push("Secure");
    document.cookie = parts.join("; ");
  }

  function sittingCookies() {
    var found = [];
    document.cookie.split(";").forEach(function (pair) {
      var at = pair.indexOf("=");
      var name = pair.slice(0, at).trim();
      if (at > 0 && name.indexOf(SITTING_PREFIX) === 0) {
        found.push(encodeURIComponent(name) + "=" + encodeURIComponent(pair.slice(at + 1).trim()));
      }
    });
    return found;
  }

  // The server ends the sittings this browser carries, whatever the kernels hear in time.
  function endSittingsOnServer() {
    var found = sittingCookies();
    if (!found.length || !navigator.sendBeacon) return;
    var body = new Blob([found.join("&")], { type: "application/x-www-form-urlencoded" });
    navigator.sendBeacon(cookiePath() + "ht/exit", body);
  }

  function clearSittings() {
    document.cookie.split(";").forEach(function (pair) {
      var name = pair.split("=")[0].trim();
      if (name.indexOf(SITTING_PREFIX) === 0) setCookie(name, "", true);
    });
  }

  // 5. Sittings ending in every tab of this browser.
  var channel = null;
  try {
    channel = new BroadcastChannel("ht-sittings");
  } catch (err) {
    channel = null; /* an old browser: the other tabs lock at their next check */
  }

  function pressEnd(className) {
    var buttons = document.getElementsByClassName(className);
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].tagName === "BUTTON") buttons[i].click();
    }
  }

  function tellOtherTabs(message) {
    try {
      if (channel) channel.postMessage(message);
    } catch (err) {
      /* the other tabs lock at their next check */
    }
  }

  if (channel) {
    channel.onmessage = function (event) {
      var data = event.data || {};
      // A quick exit anywhere in this browser leaves every page of the app: a step 8 left
      // open in another tab showed its answers to whoever came to the screen next.
      if (data.op === "exit") leave();
      else if (data.op === "end" && typeof data.name === "string" &&
               data.name.indexOf(SITTING_PREFIX) === 0) pressEnd("ht-end-" + data.name);
    };
  }

  var leaving = false;
  function leave() {
    if (leaving) return;
    leaving = true;
    var store = storage();
    if (store) store.setItem(FLAG, "1");
    try {
      // Fire and forget: every sitting of this browser ends, here and in the other tabs.
      tellOtherTabs({ op: "exit" });
      pressEnd("ht-sitting-end");
    } catch (err) {
      /* leaving matters more than tidying up */
    }
    // Hide first: nothing of the page may stay on screen while the next one loads.
    document.documentElement.style.visibility = "hidden";
    if (document.body) document.body.innerHTML = "";
    document.title = "Weather";
    try {
      endSittingsOnServer();
    } catch (err) {
      /* leaving matters more than tidying up */
    }
    try {
      clearSittings();
    } catch (err) {
      /* leaving matters more than tidying up */
    }
    window.location.replace(EXIT_URL);
  }
  window.htQuickExit = leave;

  // 2. Back after an exit: leave again before the page is drawn.
  var store = storage();
  if (store && store.getItem(FLAG) === "1") {
    if (navigationType() === "back_forward") {
      leave();
      return;
    }
    store.removeItem(FLAG);
  }
  window.addEventListener("pageshow", function (event) {
    var s = storage();
    if (event.persisted && s && s.getItem(FLAG) === "1") leave();
  });

  // 4. The facilitator page's key leaves the address bar as soon as the page is here: the
  // server has had it with the request, and a projected screen shows the address bar. (The
  // browser's history keeps the address as visited; the terminal prints it to open again.)
  try {
    var here = new URL(window.location.href);
    if (here.searchParams.has("key")) {
      here.searchParams.delete("key");
      window.history.replaceState(window.history.state, "", here.toString());
    }
  } catch (err) {
    /* an address that cannot be changed keeps its key on screen */
  }

  // 1. The quick exit: the link, or Escape twice within a second.
  document.addEventListener(
    "click",
    function (event) {
      var target = event.target;
      if (target && target.closest && target.closest("#ht-exit")) {
        event.preventDefault();
        event.stopPropagation();
        leave();
      }
    },
    true
  );
  // The quick exit's words in the address's language (lang=es): the server puts each
  // language's words from the catalogue on the link (workbook.resources.quick_exit_words).
  function speakExit() {
    var link = document.getElementById("ht-exit");
    var lang = new URLSearchParams(window.location.search).get("lang") || "en";
    if (!link) return;
    if (!link.hasAttribute("data-en")) {
      link.setAttribute("data-en", JSON.stringify({
        label: link.textContent, help: link.getAttribute("aria-label")
      }));
    }
    var words = null;
    try {
      words = lang === "en" ? JSON.parse(link.getAttribute("data-en"))
        : JSON.parse(link.getAttribute("data-words") || "{}")[lang];
    } catch (err) {
      words = null;
    }
    if (!words) return;
    link.textContent = words.label;
    link.setAttribute("aria-label", words.help);
    document.documentElement.lang = lang;
  }
  // The tab's title and Voila's loading line in the address's language (lang=es): the words
  // ride on the exit link (workbook.page_words); the template calls htSpeakPage as soon as the
  // link is parsed, and Voila's loading line asks htProgress. English stays as Voila wrote it.
  function pageWords() {
    var lang = new URLSearchParams(window.location.search).get("lang") || "en";
    var link = document.getElementById("ht-exit");
    if (lang === "en" || !link) return null;
    try {
      return JSON.parse(link.getAttribute("data-page-words") || "{}")[lang] || null;
    } catch (err) {
      return null;
    }
  }
  window.htSpeakPage = function () {
    var words = pageWords();
    if (!words) return;
    document.documentElement.lang = new URLSearchParams(window.location.search).get("lang");
    var title = (words.titles || {})[document.title];
    if (title) document.title = title;
    var loading = document.getElementById("loading_text");
    if (loading && words.loading) {
      loading.textContent = words.loading.replace("%(page)s", document.title);
    }
    if (!window.htCellErrorsWatched) {
      window.htCellErrorsWatched = true;
      speakCellErrors();
    }
  };
  // A part of the page that failed shows Voila's English (set once for the server): the
  // reader's own words go above it, as text, when such an output appears.
  function speakCellErrors() {
    var words = pageWords();
    var said = words && words.cell_error;
    if (!said || !said.text || !window.MutationObserver) return;
    // Voila's own words for a failed cell (voila/execute.py): "There was an error when
    // executing cell [n]. " and then the app's message.
    var voilaSays = "There was an error when executing cell";
    var lang = new URLSearchParams(window.location.search).get("lang");
    var selector = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]';
    function look() {
      document.querySelectorAll(selector).forEach(function (out) {
        if (out.hasAttribute("data-ht-said") || out.textContent.indexOf(voilaSays) < 0) return;
        out.setAttribute("data-ht-said", "1");
        var line = document.createElement("p");
        line.className = "ht-cell-error";
        line.lang = lang;
        line.textContent = said.text;
        out.insertBefore(line, out.firstChild);
      });
    }
    new MutationObserver(look).observe(document.documentElement, {
      childList: true, subtree: true
    });
  }
  window.htProgress = function (english, done, total) {
    var words = pageWords();
    if (!words || !words.progress) return english;
    // Voila puts this line in with innerHTML: the catalogue's words go in as text.
    var span = document.createElement("span");
    span.textContent = words.progress.replace("%(done)s", done).replace("%(total)s", total);
    return span.innerHTML;
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", speakExit);
  } else {
    speakExit();
  }
  var lastEscape = 0;
  document.addEventListener(
    "keydown",
    function (event) {
      if (event.key !== "Escape") return;
      var now = Date.now();
      if (now - lastEscape < 1000) {
        event.preventDefault();
        leave();
      }
      lastEscape = now;
    },
    true
  );

  // 4. The page's address names the workbook and partner once chosen (reload keeps them).
  function setAddress(query) {
    try {
      var url = new URL(window.location.href);
      var asked = new URLSearchParams(query);
      asked.forEach(function (value, key) {
        if (key === "wb" || key === "who" || key === "code" || key === "lang") {
          url.searchParams.set(key, value);
        }
      });
      // The partner's language is in the address only when it is not English.
      if (!asked.has("lang")) url.searchParams.delete("lang");
      window.history.replaceState(window.history.state, "", url.toString());
      speakExit();
      if (window.htSpeakPage) window.htSpeakPage();
    } catch (err) {
      /* an address that cannot be changed is only a convenience lost */
    }
  }

  // 3b. The kernel closed this page (its join code was replaced): the start page, in place of
  // this one (the page's own address only, never another site).
  function leaveFor(relative) {
    try {
      var target = new URL(relative, window.location.href);
      if (target.origin === window.location.origin) window.location.replace(target.href);
    } catch (err) {
      /* the page's kernel serves it no more either way */
    }
  }

  // 3. The sitting cookie, as the kernel asks.
  var done = {};
  function applySittings(root) {
    var nodes = root.querySelectorAll ? root.querySelectorAll(".ht-sitting") : [];
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var n = node.getAttribute("data-n");
      var name = node.getAttribute("data-name") || "";
      if (!n || done[n] || name.indexOf(SITTING_PREFIX) !== 0) continue;
      done[n] = true;
      var op = node.getAttribute("data-op");
      if (op === "address") setAddress(node.getAttribute("data-value") || "");
      else if (op === "set") setCookie(name, node.getAttribute("data-value") || "", false);
      else if (op === "clear") setCookie(name, "", true);
      else if (op === "leave") leaveFor(node.getAttribute("data-value") || "");
      else if (op === "end") {
        setCookie(name, "", true);
        tellOtherTabs({ op: "end", name: name });
      }
      node.setAttribute("data-value", "");
    }
  }
  // 7. What a press says is seen: after a button is pressed in a card, the card's newest
  // message (.ht-msg: saved, an error, a note before sharing) is scrolled into sight if it came
  // out of view. On a phone a message under the button could fall below the fold: "Not shared
  // yet" and the note on the words were missed there. Only a message the press brought (a new
  // one, or one whose words changed), and only until the writer goes on elsewhere: the page
  // once jumped back to a card's "Saved" while its writer was typing in the next card, and a
  // press made during the jump landed on nothing.
  var pressedCard = null;
  var pressedAt = 0;
  var saidBefore = null; // each message of the pressed card at the press, with its words
  document.addEventListener(
    "click",
    function (event) {
      var target = event.target;
      var pressed = target && target.closest ? target.closest("button") : null;
      pressedCard = pressed ? pressed.closest(".ht-card") : null;
      pressedAt = Date.now();
      saidBefore = new WeakMap();
      if (pressedCard) {
        pressedCard.querySelectorAll(".ht-msg").forEach(function (message) {
          saidBefore.set(message, message.textContent);
        });
      }
    },
    true
  );
  ["pointerdown", "focusin", "keydown", "wheel", "touchstart"].forEach(function (type) {
    document.addEventListener(
      type,
      function (event) {
        var target = event.target;
        if (pressedCard && !(target instanceof Node && pressedCard.contains(target))) {
          pressedCard = null; // the writer went on elsewhere
        }
      },
      true
    );
  });
  // Not before SETTLE_MS after the press: a double tap's second tap lands where the first did
  // (on the button, which lets it go) and not on what the scroll brought under the finger
  // ("Delete", right under "Save changes", was hit that way).
  var SETTLE_MS = 600;
  var showLater = 0;
  function showWhatThePressSaid() {
    if (!pressedCard || Date.now() - pressedAt > 5000) return;
    var wait = pressedAt + SETTLE_MS - Date.now();
    if (wait > 0) {
      if (!showLater) {
        showLater = window.setTimeout(function () {
          showLater = 0;
          showWhatThePressSaid();
        }, wait);
      }
      return;
    }
    var said = pressedCard.querySelectorAll(".ht-msg");
    for (var i = said.length - 1; i >= 0; i--) {
      var rect = said[i].getBoundingClientRect();
      if (!rect.height || saidBefore.get(said[i]) === said[i].textContent) continue;
      if (rect.bottom > window.innerHeight || rect.top < 0) {
        said[i].scrollIntoView({ block: "nearest" });
      }
      return;
    }
  }
  // 9. Widgets that could not be fetched from the page's kernel: ipywidgets writes "Error
  // displaying widget: model not found" where the page should be, and the page stays like
  // that (seen once in a room of phones on a starved server, the kernel alive). Opening the
  // page again gives it a new kernel and its widgets. Once a minute at most in this tab (a
  // time in sessionStorage, removed once a page shows): no loop if it keeps failing.
  var SHOWN_AGAIN = "ht-shown-again";
  var reopening = false; // or done: the page showed, or it opened again, or it gave up
  function widgetsLost() {
    var outputs = document.querySelectorAll("#rendered_cells .jp-OutputArea-output");
    for (var i = 0; i < outputs.length; i++) {
      var only = outputs[i].childNodes.length === 1 ? outputs[i].firstChild : null;
      if (only && only.nodeType === 3 && only.nodeValue.indexOf("model not found") !== -1) {
        return true;
      }
    }
    return false;
  }
  function reopenIfWidgetsLost() {
    if (reopening) return;
    var store = storage();
    if (!store || document.querySelector(".ht-page")) {
      // Shown (the widgets came; they are not fetched again): nothing more to watch here.
      reopening = true;
      if (store) store.removeItem(SHOWN_AGAIN);
      return;
    }
    if (!widgetsLost()) return;
    reopening = true;
    var last = Number(store.getItem(SHOWN_AGAIN)) || 0;
    if (Date.now() - last < 60000) return; // failed again at once: Voila's words stay
    store.setItem(SHOWN_AGAIN, String(Date.now()));
    window.location.reload();
  }
  var observer = new MutationObserver(function () {
    applySittings(document);
    showWhatThePressSaid();
    reopenIfWidgetsLost();
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });

  // 6. Unsaved words: boxes typed in since the page last set their text.
  var typed = [];
  function isTextBox(el) {
    if (!el || !el.tagName) return false;
    if (el.tagName === "TEXTAREA") return true;
    if (el.tagName !== "INPUT") return false;
    var type = (el.getAttribute("type") || "text").toLowerCase();
    return type === "text" || type === "search" || type === "email";
  }
  document.addEventListener(
    "input",
    function (event) {
      var el = event.target;
      if (isTextBox(el) && typed.indexOf(el) < 0) typed.push(el);
    },
    true
  );
  // The page (the widgets, as the kernel asks) changes a box's text by setting its value;
  // typing never does. A change made by the page means what was typed was taken (saved).
  function watchSets(proto) {
    var d = Object.getOwnPropertyDescriptor(proto, "value");
    if (!d || !d.get || !d.set || !d.configurable) return;
    Object.defineProperty(proto, "value", {
      configurable: true,
      enumerable: d.enumerable,
      get: d.get,
      set: function (v) {
        var before = d.get.call(this);
        d.set.call(this, v);
        var at = typed.indexOf(this);
        if (at >= 0 && d.get.call(this) !== before) typed.splice(at, 1);
      },
    });
  }
  try {
    watchSets(HTMLTextAreaElement.prototype);
    watchSets(HTMLInputElement.prototype);
  } catch (err) {
    /* without it a saved box may still ask once; better than losing words */
  }
  function unsaved() {
    typed = typed.filter(function (el) {
      return el.isConnected;
    });
    return typed.some(function (el) {
      return isTextBox(el) && el.value.trim() !== "";
    });
  }
  window.htUnsaved = unsaved;

  // 8. A page whose kernel is gone says so, instead of "Loading widget..." for ever.
  // Voila's page config (in the body, once the page's kernel is started): kernelId, baseUrl.
  function pageConfig() {
    try {
      var config = document.getElementById("jupyter-config-data");
      return config ? JSON.parse(config.textContent || "{}") : {};
    } catch (err) {
      return {};
    }
  }
  function ownKernelPath() {
    var id = pageConfig().kernelId;
    return id ? "/api/kernels/" + id : "";
  }
  function closedWords() {
    var lang = new URLSearchParams(window.location.search).get("lang") || "en";
    var link = document.getElementById("ht-exit");
    try {
      var all = JSON.parse((link && link.getAttribute("data-closed-words")) || "{}");
      return all[lang] || all.en || null;
    } catch (err) {
      return null;
    }
  }
  function showClosed() {
    var words = closedWords();
    if (!words || !document.body) return;
    var note = document.getElementById("ht-closed");
    if (!note) {
      note = document.createElement("div");
      note.id = "ht-closed";
      note.className = "ht-closed";
      note.setAttribute("role", "alert");
      var text = document.createElement("p");
      text.className = "ht-closed-text";
      var keep = document.createElement("p");
      keep.className = "ht-closed-unsaved";
      var again = document.createElement("button");
      again.type = "button";
      again.className = "ht-closed-again";
      again.addEventListener("click", function () {
        window.location.reload();
      });
      note.appendChild(text);
      note.appendChild(keep);
      note.appendChild(again);
      var exit = document.getElementById("ht-exit");
      if (exit && exit.parentNode === document.body) exit.insertAdjacentElement("afterend", note);
      else document.body.insertBefore(note, document.body.firstChild);
    }
    note.lang = document.documentElement.lang || "en";
    note.querySelector(".ht-closed-text").textContent = words.text;
    var keepLine = note.querySelector(".ht-closed-unsaved");
    keepLine.textContent = words.unsaved;
    keepLine.hidden = !unsaved();
    note.querySelector(".ht-closed-again").textContent = words.button;
  }
  // Asked when a websocket of this page's kernel closes, and every few seconds while none is
  // open: does the kernel still exist, and is this browser still let in? An unreachable server
  // shows nothing (it is asked again).
  var asking = false;
  function askAboutKernel() {
    var config = pageConfig();
    if (asking || !config.kernelId || document.getElementById("ht-closed") || !window.fetch) {
      return;
    }
    var base = String(config.baseUrl || "/").replace(/\/?$/, "/");
    var headers = config.token ? { Authorization: "token " + config.token } : {};
    asking = true;
    window
      .fetch(base + "api/kernels/" + config.kernelId + "?" + Date.now(), {
        credentials: "same-origin",
        headers: headers,
      })
      .then(
        function (answer) {
          asking = false;
          // 404: the kernel is gone. 401/403: this browser is not let in any more (a server
          // started again with another token): this page cannot save either way.
          if (answer.status === 404 || answer.status === 401 || answer.status === 403) {
            stopAsking();
            showClosed();
          }
        },
        function () {
          asking = false;
        }
      );
  }
  var ASK_EVERY_MS = 5000;
  var connected = 0;
  var askingEvery = 0;
  function stopAsking() {
    if (askingEvery) window.clearInterval(askingEvery);
    askingEvery = 0;
  }
  var SocketOfTheBrowser = window.WebSocket;
  if (SocketOfTheBrowser) {
    var PageSocket = function (url, protocols) {
      var socket =
        protocols === undefined
          ? new SocketOfTheBrowser(url)
          : new SocketOfTheBrowser(url, protocols);
      var own = ownKernelPath();
      var path = "";
      try {
        path = new URL(String(url), window.location.href).pathname;
      } catch (err) {
        path = "";
      }
      if (own && path.slice(-(own.length + 9)) === own + "/channels") {
        var opened = false;
        socket.addEventListener("open", function () {
          opened = true;
          connected += 1;
          stopAsking();
        });
        socket.addEventListener("close", function () {
          if (opened) connected -= 1;
          opened = false;
          window.setTimeout(askAboutKernel, 500);
          // Voila asks again on its own for a while, and stops once it has decided the
          // kernel is dead (a server that was down): until a connection is back, this page
          // asks now and then too, while it is on screen.
          if (connected <= 0 && !askingEvery) {
            askingEvery = window.setInterval(function () {
              if (document.visibilityState !== "hidden") askAboutKernel();
            }, ASK_EVERY_MS);
          }
        });
      }
      return socket;
    };
    PageSocket.prototype = SocketOfTheBrowser.prototype;
    ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
      PageSocket[name] = SocketOfTheBrowser[name];
    });
    window.WebSocket = PageSocket;
  }
  // Voila 0.5 shuts the page's kernel down at every "beforeunload" (a beacon), even when the
  // person then chooses to stay, which would leave a dead page. This listener comes first
  // (Voila adds its own once its scripts have loaded); while it asks, Voila's is held back,
  // and runs (a second, untrusted event) only once the page really goes.
  var heldBack = false;
  window.addEventListener("beforeunload", function (event) {
    if (!event.isTrusted) return undefined;
    if (leaving || !unsaved()) {
      heldBack = false;
      return undefined;
    }
    event.preventDefault();
    event.returnValue = "";
    event.stopImmediatePropagation();
    heldBack = true;
    return "";
  });
  window.addEventListener("pagehide", function () {
    if (!heldBack) return;
    heldBack = false;
    window.dispatchEvent(new Event("beforeunload"));
  });
})();
