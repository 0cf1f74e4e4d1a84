// The events page inside Telegram (or from the bot's signed link on Matrix): who is asking goes
// with every htmx request as a header, and Telegram's colours become the page's. No inline
// script (the Content-Security-Policy forbids it); nothing is stored in the browser.
(function () {
  "use strict";
  var fragment = new URLSearchParams(window.location.hash.slice(1));
  var tg = window.Telegram && window.Telegram.WebApp;
  var initData = (tg && tg.initData) || fragment.get("tgWebAppData") || "";
  var query = window.location.search.slice(1);
  // A signed link (m, e, s); a Telegram button's `?lang=` alone is none.
  var link = new URLSearchParams(query).get("s") ? query : "";

  document.addEventListener("htmx:configRequest", function (event) {
    if (initData) {
      event.detail.headers["X-Telegram-Init-Data"] = initData;
    } else if (link) {
      event.detail.headers["X-Member-Link"] = link;
    }
  });
  // The events come in the member's language (the header says which): the whole page speaks it,
  // whatever the browser asked for when the shell loaded (the title htmx takes from them).
  document.addEventListener("htmx:afterSwap", function (event) {
    var spoken = event.detail.xhr.getResponseHeader("Content-Language");
    if (spoken && /^[a-z]{2}$/.test(spoken)) {
      document.documentElement.lang = spoken;
    }
  });
  // Back on the page (the chat in between may have signed the member up or off): the events
  // are read again, so that no stale "Anmelden" stands under an event already joined.
  // Coming back fires both "visibilitychange" and "focus": the events are read once.
  var refreshed = 0;
  function refresh() {
    var events = document.getElementById("miniapp");
    var now = Date.now();
    if (events && window.htmx && document.visibilityState === "visible" && now - refreshed > 1000) {
      refreshed = now;
      window.htmx.trigger(events, "refresh");
    }
  }
  document.addEventListener("visibilitychange", refresh);
  window.addEventListener("focus", refresh);
  if (tg && tg.onEvent) {
    tg.onEvent("activated", refresh);
  }
  // A refusal (403) is a page to show, not an error to swallow.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 403) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Telegram's theme: tgWebAppThemeParams is JSON with colours such as bg_color, text_color.
  var theme = {};
  try {
    theme = (tg && tg.themeParams) || JSON.parse(fragment.get("tgWebAppThemeParams") || "{}");
  } catch (ignored) {
    theme = {};
  }
  var names = {
    bg_color: "--paper",
    secondary_bg_color: "--card",
    text_color: "--ink",
    hint_color: "--muted",
    link_color: "--link",
    button_color: "--accent",
    button_text_color: "--accent-ink",
    section_separator_color: "--line"
  };
  var root = document.documentElement;
  Object.keys(names).forEach(function (key) {
    var value = theme[key];
    if (typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
      root.style.setProperty(names[key], value);
    }
  });
  if (typeof theme.bg_color === "string") {
    root.classList.add("telegram-theme");
  }
  if (tg && typeof tg.ready === "function") {
    tg.ready();
  }
})();
