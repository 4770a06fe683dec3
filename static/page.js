/* talkbook: what every page does with JavaScript besides search and
 * previews. Plain JavaScript, no build step. Without it the page works as
 * is; with it:
 * - opened from disk (file://), links to the site's folders open their
 *   index.html, as a web server would, instead of a directory listing;
 * - each code block has a button that copies its code, and a block wider
 *   than the page can be scrolled from the keyboard (it takes the focus). */
(() => {
  'use strict';

  /* A link's href that leads to a folder of this site: relative, ending in
   * `/` (before any ?query or #fragment). */
  const FOLDER = /^(?![a-z][a-z0-9+.-]*:|\/\/|#)([^?#]*\/)([?#].*)?$/i;

  /* From file://, makes `link` open its folder's index.html. */
  function toIndex(link) {
    const href = link.getAttribute('href');
    const m = href !== null && (href === '' ? ['', './', ''] : href.match(FOLDER));
    if (m) link.setAttribute('href', `${m[1]}index.html${m[2] || ''}`);
  }

  function fileLinks() {
    if (location.protocol !== 'file:') return;
    for (const link of document.querySelectorAll('a[href]')) toIndex(link);
  }

  /* A "Copy" button on each code block; it says "Copied" for a moment. */
  function copyButtons() {
    if (!navigator.clipboard) return;
    for (const pre of document.querySelectorAll('pre > code')) {
      const block = pre.parentNode, button = document.createElement('button');
      button.type = 'button';
      button.className = 'copy-code';
      button.textContent = 'Copy';
      button.setAttribute('aria-label', 'Copy the code');
      button.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(pre.textContent);
          button.textContent = 'Copied';
        } catch {
          button.textContent = 'Copy failed';
        }
        setTimeout(() => (button.textContent = 'Copy'), 1500);
      });
      const wrap = document.createElement('div');
      wrap.className = 'code-block';
      block.replaceWith(wrap);
      wrap.append(block, button);
    }
  }

  /* A code block wider than its box takes the keyboard focus, so that
   * arrow keys scroll it; the others do not. */
  function scrollableBlocks() {
    for (const pre of document.querySelectorAll('pre')) {
      if (pre.scrollWidth > pre.clientWidth) pre.tabIndex = 0;
      else pre.removeAttribute('tabindex');
    }
  }

  fileLinks();
  copyButtons();
  scrollableBlocks();
  let resized = 0;
  window.addEventListener('resize', () => (clearTimeout(resized), (resized = setTimeout(scrollableBlocks, 200))));
})();
