// talkbook live reload, added to every page by `talkbook serve` (never to a
// built site). The server says over the WebSocket /__livereload what changed:
//   {"type": "reload", "urls": ["talks/x/", "static/style.css"], "css": ["static/style.css"]}
//   {"type": "errors", "problems": [{"file", "line", "message", "hint"}]}
// This page reloads only if it is among the changed URLs (or uses a changed
// script or image), keeping its scroll position; changed stylesheets are
// swapped in place; errors are shown over the page, as text, until a good
// build clears them. While connected, this script's element has
// data-connected="true".
(() => {
  "use strict";
  const script = document.currentScript;
  const page = script ? script.dataset.page : undefined;
  const scrollKey = "talkbook-livereload-scroll:" + location.pathname;
  const overlayId = "talkbook-livereload-errors";

  // The site-relative path of a URL, as the server names pages.
  const sitePath = (url) => {
    const path = decodeURIComponent(new URL(url, location.href).pathname).slice(1);
    return path.replace(/(^|\/)index\.html$/, "$1");
  };

  const restoreScroll = () => {
    const saved = sessionStorage.getItem(scrollKey);
    if (saved) {
      const [x, y] = JSON.parse(saved);
      window.scrollTo(x, y);
    }
  };
  restoreScroll();
  // Images may still change the layout until the page has loaded.
  window.addEventListener("load", () => {
    restoreScroll();
    sessionStorage.removeItem(scrollKey);
  });

  const reload = () => {
    sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  };

  const swapStylesheet = (url) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      if (sitePath(link.href) !== url) continue;
      const fresh = link.cloneNode();
      const href = new URL(link.href);
      href.searchParams.set("livereload", Date.now());
      fresh.href = href.href;
      fresh.addEventListener("load", () => link.remove());
      fresh.addEventListener("error", () => link.remove());
      link.after(fresh);
    }
  };

  const hideErrors = () => {
    const overlay = document.getElementById(overlayId);
    if (overlay) overlay.remove();
  };

  const showErrors = (problems) => {
    hideErrors();
    const overlay = document.createElement("div");
    overlay.id = overlayId;
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:1.5rem;" +
      "background:rgba(24,24,24,.93);color:#f5f5f5;font:14px/1.5 monospace;white-space:pre-wrap";
    const title = document.createElement("p");
    title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ff8a80";
    const count = problems.length === 1 ? "1 error" : problems.length + " errors";
    title.textContent = `The site has ${count}: this is its last good version.`;
    overlay.append(title);
    for (const problem of problems) {
      const item = document.createElement("p");
      item.style.margin = "0 0 1rem";
      const where = problem.file ? problem.file + (problem.line ? ":" + problem.line : "") + ": " : "";
      item.textContent = where + problem.message + (problem.hint ? "\n  hint: " + problem.hint : "");
      overlay.append(item);
    }
    document.body.append(overlay);
  };

  const usesChanged = (changed) =>
    [...document.querySelectorAll("[src]")].some((el) => changed.has(sitePath(el.src)));

  const onMessage = (message) => {
    if (message.type === "errors") {
      showErrors(message.problems);
    } else if (message.type === "reload") {
      hideErrors();
      const changed = new Set(message.urls);
      if (changed.has(sitePath(location.href)) || (page !== undefined && changed.has(page)) || usesChanged(changed)) {
        reload();
      } else {
        message.css.forEach(swapStylesheet);
      }
    }
  };

  // After the server went away and came back, the site may have changed.
  const connect = (reconnecting) => {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + "/__livereload");
    socket.addEventListener("open", () => {
      if (reconnecting) location.reload();
      if (script) script.dataset.connected = "true";
    });
    socket.addEventListener("message", (event) => onMessage(JSON.parse(event.data)));
    socket.addEventListener("close", () => {
      if (script) delete script.dataset.connected;
      setTimeout(() => connect(true), 1000);
    });
  };
  connect(false);
})();
