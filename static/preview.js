/* talkbook hover previews. Plain JavaScript, no build step.
 * Hovering or focusing a link to a talk or an entity page shows a small
 * card after a short delay. A page's card comes from one of the site's
 * preview files (src/render/previews.rs), loaded with a <script> tag, so it
 * works from file:// too, and only for the links a reader points at.
 * Nothing happens on touch screens; without JavaScript, links stay plain
 * links. */
(() => {
  'use strict';

  const SHOW_AFTER_MS = 350;
  const HIDE_AFTER_MS = 150;
  const GAP_PX = 8;

  // A phone or a tablet: no hover, so no cards.
  if (window.matchMedia('(hover: none) and (pointer: coarse)').matches) return;
  const me = document.currentScript || document.querySelector('script[data-preview-files]');
  const root = new URL(me.dataset.root || './', document.baseURI);
  const dir = me.dataset.previewDir;
  const files = Number(me.dataset.previewFiles) || 1;

  /* page path (relative to the root) → card; preview file number → a
   * Promise of it being loaded (true) or not (false). */
  const cards = new Map();
  const loading = new Map();

  /* Each preview file calls this with its cards. */
  window.talkbookPreviews = (list) => {
    for (const card of list) cards.set(card.path, card);
  };

  /* The number of the preview file holding the card of the page at `path`:
   * the low bits of its 32-bit FNV-1a hash, as in src/render/previews.rs
   * (`files` is a power of two). */
  function fileOf(path) {
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(path)) {
      hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    }
    return hash & (files - 1);
  }

  /* The site-relative path of the talk or entity page `link` leads to
   * (`talks/x/`), or null: other sites, this page, the home page and
   * lists of one kind (`speakers/`) have no card. */
  function target(link) {
    if (link.closest('.preview-card, .site-header, .search-dropdown')) return null;
    const url = new URL(link.href, document.baseURI);
    if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
    const path = url.pathname.slice(root.pathname.length).replace(/index\.html$/, '');
    const here = new URL(document.baseURI).pathname.slice(root.pathname.length).replace(/index\.html$/, '');
    if (path === here || !/^[^/]+\/[^/]+\/$/.test(path)) return null;
    try {
      return decodeURIComponent(path); // as the site names it
    } catch {
      return null;
    }
  }

  /* The card of the page at `path` (null if it has none), its file
   * loaded once. */
  function load(path) {
    const number = fileOf(path);
    if (!loading.has(number)) {
      loading.set(number, new Promise((resolve) => {
        const script = document.createElement('script');
        script.src = new URL(`${dir}${number}.js`, root).href;
        script.onload = () => resolve(true);
        script.onerror = () => resolve(false);
        document.head.appendChild(script);
      }));
    }
    return loading.get(number).then(() => cards.get(path) || null);
  }

  const box = document.createElement('div');
  box.className = 'preview-card';
  box.id = 'preview-card';
  box.setAttribute('role', 'tooltip');
  box.hidden = true;
  document.body.appendChild(box);

  let shownFor = null; // the link the card is shown for
  let pointedAt = null; // the link hovered or focused last
  let timer = 0;

  function line(cls, text) {
    const p = document.createElement('p');
    p.className = cls;
    p.textContent = text;
    return p;
  }

  /* Fills the card with `card`'s fields, as text. */
  function fill(card) {
    box.replaceChildren();
    if (card.kind) box.append(line('preview-kind', card.kind));
    box.append(line('preview-title', card.title));
    if (card.meta.length) box.append(line('preview-meta', card.meta.join(' · ')));
    if (card.summary) box.append(line('preview-summary', card.summary));
  }

  /* Places the card below `link`, or above it when there is no room below,
   * never over it, within the window's width. */
  function place(link) {
    const r = link.getBoundingClientRect();
    const width = Math.min(box.offsetWidth, window.innerWidth - 2 * GAP_PX);
    const left = Math.max(GAP_PX, Math.min(r.left, window.innerWidth - width - GAP_PX));
    const below = r.bottom + GAP_PX;
    const fits = below + box.offsetHeight <= window.innerHeight - GAP_PX || r.top < box.offsetHeight + 2 * GAP_PX;
    const top = fits ? below : r.top - GAP_PX - box.offsetHeight;
    box.style.left = `${left + window.scrollX}px`;
    box.style.top = `${top + window.scrollY}px`;
  }

  function show(link, card) {
    if (!card || !link.isConnected) return;
    fill(card);
    box.hidden = false;
    place(link);
    link.setAttribute('aria-describedby', box.id);
    shownFor = link;
  }

  function hide() {
    clearTimeout(timer);
    box.hidden = true;
    if (shownFor) shownFor.removeAttribute('aria-describedby');
    shownFor = null;
  }

  function enter(event) {
    const link = event.target.closest && event.target.closest('a[href]');
    if (!link || link === shownFor) return;
    const path = target(link);
    if (!path) return;
    clearTimeout(timer);
    timer = setTimeout(() => load(path).then((card) => {
      if (pointedAt === link) show(link, card);
    }), SHOW_AFTER_MS);
    pointedAt = link;
  }

  function leave(event) {
    const link = event.target.closest && event.target.closest('a[href]');
    if (!link || link !== pointedAt) return;
    if (event.relatedTarget && link.contains(event.relatedTarget)) return;
    pointedAt = null;
    clearTimeout(timer);
    timer = setTimeout(hide, HIDE_AFTER_MS);
  }

  // Once a finger touches the screen, this reader has no hover: a tap
  // focuses a link on its way to following it, and shows no card.
  let touched = false;
  const byMouse = (handle) => (event) => {
    if (event.pointerType === 'touch') return;
    handle(event);
  };
  document.addEventListener('pointerdown', (event) => {
    if (event.pointerType !== 'touch') return;
    touched = true;
    hide();
  }, true);
  document.addEventListener('pointerover', byMouse(enter));
  document.addEventListener('pointerout', byMouse(leave));
  document.addEventListener('focusin', (event) => { if (!touched) enter(event); });
  document.addEventListener('focusout', leave);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !box.hidden) {
      pointedAt = null;
      hide();
    }
  });
})();
