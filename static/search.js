/* talkbook search: the browser side of full-text search. Plain JavaScript.
 *
 * Two halves:
 * - the engine (analyzer, query parser, index loading, BM25) mirrors
 *   src/search/{analyzer,query,mod}.rs exactly, so the browser finds and
 *   ranks what tantivy does; under node it is exported for the tests;
 * - the page: the header search box (every page) and the search page.
 * The format of the files under search/ is documented in
 * src/search/export.rs. */
(function () {
  'use strict';

  // ---- Analyzer: src/search/analyzer.rs -------------------------------

  var MAX_TERM_CHARS = 40;
  var WORD = /[\p{Alphabetic}\p{N}]+/gu; // char::is_alphanumeric
  var MARKS = /\p{M}/gu; // unicode-normalization's is_combining_mark
  var SPACE = /\p{White_Space}+/u; // char::is_whitespace
  var FOLDS = { 'ø': 'o', 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'þ': 'th', 'ı': 'i' };

  function chars(s) { return Array.from(s).length; }

  /* The terms of `text`: {text, folded, position, start, end}, offsets in
   * UTF-16 units (for highlighting). */
  function analyze(text) {
    var terms = [], position = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var folded = m[0].toLowerCase().normalize('NFKD').replace(MARKS, '')
        .replace(/[øßæœłđðþı]/g, function (c) { return FOLDS[c]; });
      if (folded && chars(folded) <= MAX_TERM_CHARS) {
        terms.push({ text: stem(folded), folded: folded, position: position,
          start: m.index, end: m.index + m[0].length });
      }
      position++;
    }
    return terms;
  }

  function stem(w) {
    if (chars(w) <= 3) return w;
    var ends = function (s) { return w.slice(-s.length) === s; };
    if (ends('ies') && !ends('eies') && !ends('aies')) return w.slice(0, -3) + 'y';
    if (ends('s') && !ends('us') && !ends('ss')) return w.slice(0, -1);
    return w;
  }

  // ---- Queries: src/search/query.rs -----------------------------------

  /* The words of a query, in order, without repeats: {exact: term},
   * {term, prefix} (the word being typed) or {phrase: [[offset, term]]}. */
  function parse(query, prefixMin) {
    prefixMin = prefixMin || 3;
    var parts = [];
    query.split('"').forEach(function (chunk, i) {
      if (i % 2) parts.push([chunk, true]);
      else chunk.split(SPACE).forEach(function (w) { if (w) parts.push([w, false]); });
    });
    var typingLast = !/[\p{White_Space}"]$/u.test(query);
    var words = [], seen = {};
    parts.forEach(function (part, i) {
      var terms = analyze(part[0]), word;
      if (!terms.length) return;
      if (terms.length > 1) {
        word = { phrase: terms.map(function (t) { return [t.position - terms[0].position, t.text]; }) };
      } else if (i === parts.length - 1 && typingLast && !part[1] && chars(terms[0].folded) >= prefixMin) {
        word = { term: terms[0].text, prefix: terms[0].folded };
      } else {
        word = { exact: terms[0].text };
      }
      var key = JSON.stringify(word);
      if (!seen[key]) { seen[key] = true; words.push(word); }
    });
    return words;
  }

  // ---- Index files ----------------------------------------------------

  /* Compares strings by Unicode code point (as Rust does), not UTF-16 unit. */
  function compare(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x !== y) return unit(x) - unit(y);
    }
    return a.length - b.length;
  }
  function unit(u) { return u >= 0xe000 ? u - 0x800 : u >= 0xd800 ? u + 0x2000 : u; }

  function bytesOf(base64) {
    var s = atob(base64), bytes = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  }

  /* A reader of LEB128 varints and bytes. */
  function Reader(bytes) { this.b = bytes; this.i = 0; }
  Reader.prototype.more = function () { return this.i < this.b.length; };
  Reader.prototype.byte = function () {
    if (this.i >= this.b.length) throw new Error('truncated index file');
    return this.b[this.i++];
  };
  Reader.prototype.varint = function () {
    var v = 0, scale = 1, b;
    do { b = this.byte(); v += (b & 127) * scale; scale *= 128; } while (b & 128);
    return v;
  };

  /* A postings shard: term -> [{field, ids, tfs, norms}] in file order. */
  function decodeShard(base64) {
    var r = new Reader(bytesOf(base64)), terms = new Map(), utf8 = new TextDecoder();
    while (r.more()) {
      var len = r.varint(), term = utf8.decode(r.b.subarray(r.i, r.i + len));
      r.i += len;
      var fields = [];
      for (var nf = r.byte(); nf > 0; nf--) {
        var field = r.byte(), df = r.varint(), id = 0;
        var p = { field: field, ids: new Uint32Array(df), tfs: new Uint32Array(df), norms: new Uint8Array(df), pos: null };
        for (var k = 0; k < df; k++) {
          id += r.varint();
          p.ids[k] = id; p.tfs[k] = r.varint(); p.norms[k] = r.byte();
        }
        fields.push(p);
      }
      terms.set(term, fields);
    }
    return terms;
  }

  /* Adds a positions shard to its decoded postings shard. */
  function decodePositions(terms, base64) {
    var r = new Reader(bytesOf(base64));
    terms.forEach(function (fields) {
      fields.forEach(function (p) {
        p.pos = [];
        for (var k = 0; k < p.ids.length; k++) {
          var list = new Uint32Array(p.tfs[k]), at = 0;
          for (var j = 0; j < list.length; j++) list[j] = at += r.varint();
          p.pos.push(list);
        }
      });
    });
  }

  // ---- Engine ---------------------------------------------------------

  var f32 = Math.fround;

  /* The engine over one static index. `load(path, key)` returns a promise of
   * the payload of `search/<path>`, which calls __talkbook(key, payload). */
  function Engine(load) {
    this.load = load;
    this.files = new Map();
    this.shards = new Map();
  }

  Engine.prototype.get = function (path, key) {
    var files = this.files, load = this.load, p = files.get(key);
    if (!p) {
      p = Promise.resolve().then(function () { return load(path, key); });
      files.set(key, p);
      p.catch(function () { files.delete(key); }); // a failed load may be retried
    }
    return p;
  };

  Engine.prototype.manifest = function () {
    var self = this;
    return this.get('manifest.js', 'manifest').then(function (m) {
      if (!self.m) {
        self.m = m;
        var K1 = f32(m.k1), B = f32(m.b);
        self.weight1 = f32(1 + K1);
        // tantivy's tf cache per field and fieldnorm id (bm25.rs).
        self.cache = m.tokens.map(function (tokens) {
          var avg = f32(f32(tokens) / f32(m.docs)), cache = new Float32Array(256);
          for (var id = 0; id < 256; id++) {
            cache[id] = f32(K1 * f32(f32(1 - B) + f32(f32(B * f32(m.norms[id])) / avg)));
          }
          return cache;
        });
      }
      return self.m;
    });
  };

  /* The index of the shard that holds `term`, or -1. */
  Engine.prototype.shardOf = function (term) {
    var shards = this.m.shards, lo = 0, hi = shards.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(shards[mid][0], term) <= 0) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  };

  /* The shards that may hold terms starting with `prefix`. */
  Engine.prototype.prefixShards = function (prefix) {
    var shards = this.m.shards, i = this.shardOf(prefix), out = i >= 0 ? [i] : [];
    while (i + 1 < shards.length && shards[i + 1][0].startsWith(prefix)) out.push(++i);
    return out;
  };

  /* Loads (once) and decodes shard `i`, with its positions if asked. */
  Engine.prototype.shard = function (i, positions) {
    var self = this, key = this.m.shards[i][1];
    return this.get('s-' + key + '.js', 's-' + key).then(function (payload) {
      if (!self.shards.has(key)) self.shards.set(key, { terms: decodeShard(payload), pos: false });
      var shard = self.shards.get(key);
      if (!positions || shard.pos) return shard;
      return self.get('p-' + key + '.js', 'p-' + key).then(function (payload) {
        if (!shard.pos) { decodePositions(shard.terms, payload); shard.pos = true; }
        return shard;
      });
    });
  };

  /* The postings of `term` in every field ([] if none); its shard loaded. */
  Engine.prototype.postings = function (term) {
    var i = this.shardOf(term), shard = i >= 0 && this.shards.get(this.m.shards[i][1]);
    return (shard && shard.terms.get(term)) || [];
  };

  /* The terms the word being typed stands for: SearchIndex::expand. */
  Engine.prototype.expand = function (term, prefix) {
    var self = this, counts = [];
    this.prefixShards(prefix).forEach(function (i) {
      self.shards.get(self.m.shards[i][1]).terms.forEach(function (fields, t) {
        if (t !== term && t.startsWith(prefix)) {
          counts.push([t, fields.reduce(function (n, p) { return n + p.ids.length; }, 0)]);
        }
      });
    });
    counts.sort(function (a, b) { return b[1] - a[1] || compare(a[0], b[0]); });
    return [term].concat(counts.slice(0, this.m.prefix_max - 1).map(function (c) { return c[0]; }));
  };

  Engine.prototype.idf = function (df) {
    var n = this.m.docs;
    return f32(Math.log(f32(1 + f32(f32(f32(n - df) + 0.5) / f32(f32(df) + 0.5)))));
  };

  /* Adds one TermQuery or PhraseQuery of a field, boosted, to a clause:
   * score = weight * boost * tf / (tf + cache[norm]) (Bm25Weight::score). */
  Engine.prototype.add = function (clause, field, idf, ids, tfs, norms) {
    var boost = f32(this.m.boosts[field]), cache = this.cache[field];
    var weight = f32(f32(idf * this.weight1) * boost);
    for (var k = 0; k < ids.length; k++) {
      var tf = tfs[k], doc = ids[k];
      clause.scores[doc] = f32(clause.scores[doc] + f32(weight * f32(tf / f32(tf + cache[norms[k]]))));
      clause.hit[doc] = 1;
    }
  };

  Engine.prototype.termClause = function (clause, terms) {
    var self = this;
    terms.forEach(function (term) {
      self.postings(term).forEach(function (p) {
        self.add(clause, p.field, self.idf(p.ids.length), p.ids, p.tfs, p.norms);
      });
    });
  };

  /* A phrase in each field: its idf is the sum of its terms' idfs, its tf
   * the number of places where every term is at its offset. */
  Engine.prototype.phraseClause = function (clause, phrase) {
    for (var field = 0; field < this.m.fields.length; field++) {
      var lists = [], idf = 0;
      for (var t = 0; t < phrase.length; t++) {
        var p = this.postings(phrase[t][1]).filter(function (p) { return p.field === field; })[0];
        if (!p) break;
        lists.push(p);
        idf = f32(idf + this.idf(p.ids.length));
      }
      if (lists.length < phrase.length) continue;
      var ids = [], tfs = [], norms = [], at = lists.map(function () { return 0; });
      var first = lists[0];
      for (var k = 0; k < first.ids.length; k++) {
        var doc = first.ids[k], where = [first.pos[k]];
        for (t = 1; t < lists.length; t++) {
          var l = lists[t];
          while (at[t] < l.ids.length && l.ids[at[t]] < doc) at[t]++;
          if (l.ids[at[t]] !== doc) break;
          where.push(l.pos[at[t]]);
        }
        if (where.length < lists.length) continue;
        var count = 0;
        where[0].forEach(function (start) {
          for (var t = 1; t < where.length; t++) {
            if (where[t].indexOf(start + phrase[t][0]) < 0) return;
          }
          count++;
        });
        if (count) { ids.push(doc); tfs.push(count); norms.push(first.norms[k]); }
      }
      this.add(clause, field, idf, ids, tfs, norms);
    }
  };

  /* Every note matching `query`, best first, ties by note id, as
   * SearchIndex::search: {hits: [{id, score}], words}. */
  Engine.prototype.search = function (query) {
    var self = this;
    return this.manifest().then(function (m) {
      var words = parse(String(query), m.prefix_min), loads = [];
      words.forEach(function (w) {
        var terms = w.phrase ? w.phrase.map(function (p) { return p[1]; }) : [w.exact || w.term];
        terms.forEach(function (t) {
          var i = self.shardOf(t);
          if (i >= 0) loads.push(self.shard(i, !!w.phrase));
        });
        if (w.prefix) self.prefixShards(w.prefix).forEach(function (i) { loads.push(self.shard(i)); });
      });
      return Promise.all(loads).then(function () { return self.rank(words); });
    });
  };

  /* Ranks with shards loaded: synchronous (what the 50 ms budget measures). */
  Engine.prototype.rank = function (words) {
    var self = this, n = this.m.docs;
    var clauses = words.map(function (w) {
      var clause = { scores: new Float32Array(n), hit: new Uint8Array(n) };
      if (w.phrase) self.phraseClause(clause, w.phrase);
      else self.termClause(clause, w.prefix ? self.expand(w.term, w.prefix) : [w.exact]);
      return clause;
    });
    var hits = combine(clauses, n, true);
    if (!hits.length && clauses.length > 1) hits = combine(clauses, n, false);
    hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return { hits: hits, words: words };
  };

  /* Sums the clauses' scores of notes matching all of them (or any). */
  function combine(clauses, n, all) {
    var hits = [];
    for (var doc = 0; doc < n; doc++) {
      var score = 0, matched = 0;
      for (var c = 0; c < clauses.length; c++) {
        if (clauses[c].hit[doc]) { matched++; score = f32(score + clauses[c].scores[doc]); }
      }
      if (all ? clauses.length && matched === clauses.length : matched) hits.push({ id: doc, score: score });
    }
    return hits;
  }

  /* What result `id` shows: {t, u, s, e, d, x} (export.rs). */
  Engine.prototype.doc = function (id) {
    var self = this;
    return this.manifest().then(function (m) {
      return self.get('docs/' + id + '.js?v=' + m.docs_version, 'd' + id);
    });
  };

  /* The facets: {kinds, names: {kind: [[slug, name]]}, of: {kind: [[index]] per note}}. */
  Engine.prototype.facets = function () {
    var self = this;
    if (!this.facetsP) {
      this.facetsP = this.manifest().then(function (m) {
        return self.get(m.facets + '.js', m.facets);
      }).then(function (f) {
        var r = new Reader(bytesOf(f.docs)), of = {};
        f.kinds.forEach(function (kind) { of[kind] = []; });
        for (var doc = 0; doc < self.m.docs; doc++) {
          f.kinds.forEach(function (kind) {
            var list = [];
            for (var c = r.varint(); c > 0; c--) list.push(r.varint());
            of[kind].push(list);
          });
        }
        return { kinds: f.kinds, names: f.names, of: of };
      });
      this.facetsP.catch(function () { self.facetsP = null; });
    }
    return this.facetsP;
  };

  /* Whether note `id` has, for each kind in `filters` ({kind: Set of
   * slugs}) but `except`, one of the wanted values: AND across kinds, OR
   * within one. */
  function passes(facets, filters, id, except) {
    return Object.keys(filters).every(function (kind) {
      var wanted = filters[kind], names = facets.names[kind] || [];
      if (kind === except || !wanted.size) return true;
      return ((facets.of[kind] || [])[id] || []).some(function (i) { return names[i] && wanted.has(names[i][0]); });
    });
  }

  // ---- Excerpts -------------------------------------------------------

  /* Whether a word of a note matches the query: its term is a query term,
   * or it starts with the prefix being typed. */
  function matcher(words) {
    var exact = new Set(), prefixes = [];
    words.forEach(function (w) {
      if (w.phrase) w.phrase.forEach(function (p) { exact.add(p[1]); });
      else exact.add(w.exact || w.term);
      if (w.prefix) prefixes.push(w.prefix);
    });
    return function (t) {
      return exact.has(t.text) || prefixes.some(function (p) { return t.folded.startsWith(p); });
    };
  }

  /* The ~`size`-character window of `text` with the most matches, as
   * [text, marked] pieces (`…` where cut). `size` 0: the whole text. */
  function excerpt(text, match, size) {
    var hits = analyze(text).filter(match), from = 0, to = text.length;
    if (size && text.length > size) {
      var best = 0, most = 0, j = 0;
      for (var i = 0; i < hits.length; i++) {
        j = Math.max(j, i);
        while (j < hits.length && hits[j].end <= hits[i].start + size) j++;
        if (j - i > most) { most = j - i; best = i; }
      }
      if (most) {
        var span = hits[best + most - 1].end - hits[best].start;
        from = Math.max(0, hits[best].start - Math.min(40, (size - span) >> 1));
        var space = text.slice(from, hits[best].start).search(/\s/);
        if (from > 0 && space >= 0) from += space + 1; // start on a word
      }
      to = Math.min(text.length, from + size);
      var last = text.slice(from, to).search(/\s\S*$/);
      if (to < text.length && last > 0 && from + last >= (most ? hits[best + most - 1].end : 0)) to = from + last;
    }
    var pieces = from > 0 ? [['…', false]] : [], at = from;
    hits.forEach(function (h) {
      if (h.start < at || h.end > to) return;
      pieces.push([text.slice(at, h.start), false], [text.slice(h.start, h.end), true]);
      at = h.end;
    });
    pieces.push([text.slice(at, to), false]);
    if (to < text.length) pieces.push(['…', false]);
    return pieces;
  }

  var api = { analyze: analyze, parse: parse, compare: compare, Engine: Engine, passes: passes, matcher: matcher, excerpt: excerpt };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else if (typeof document === 'object') ui(api);

  // ---- The page -------------------------------------------------------

  function ui() {
    var script = document.currentScript || document.querySelector('script[data-root]');
    var root = (script && script.getAttribute('data-root')) || '';
    var fromDisk = location.protocol === 'file:';
    var engine = new Engine(scriptLoader(root + 'search/'));
    var KINDS = [['speaker', 'Speakers'], ['project', 'Projects'], ['tag', 'Tags'], ['event', 'Events']];

    /* A site URL; from file:// a folder shows its index.html. */
    function link(url) {
      var href = root + url;
      return fromDisk && /\/$/.test(href) ? href + 'index.html' : href;
    }
    function searchUrl(params) {
      var query = params.toString();
      return link('search/') + (query ? '?' + query : '');
    }

    function el(tag, className, text) {
      var e = document.createElement(tag);
      if (className) e.className = className;
      if (text != null) e.textContent = text;
      return e;
    }
    function marked(parent, pieces) {
      pieces.forEach(function (p) {
        parent.appendChild(p[1] ? el('mark', null, p[0]) : document.createTextNode(p[0]));
      });
      return parent;
    }

    /* One result: title (a link), speakers, event and date, excerpt. All
     * text goes in as text nodes, never as HTML. */
    function result(doc, match, tag, id) {
      var item = el(tag, 'search-result');
      if (id) { item.id = id; item.setAttribute('role', 'option'); item.setAttribute('aria-selected', 'false'); }
      var title = marked(el('a', 'search-result-title'), excerpt(String(doc.t || ''), match, 0));
      title.href = link(String(doc.u || ''));
      if (id) title.tabIndex = -1;
      item.appendChild(title);
      var meta = [].concat(doc.s || []).join(', ');
      [doc.e, doc.d].forEach(function (v) { if (v) meta += (meta ? ' · ' : '') + v; });
      if (meta) item.appendChild(el('span', 'search-result-meta', meta));
      item.appendChild(marked(el('p', 'search-result-excerpt'), excerpt(String(doc.x || ''), match, 160)));
      return item;
    }

    /* The doc files of `hits` (in parallel), then `render(docs)`. */
    function withDocs(hits, render) {
      return Promise.all(hits.map(function (h) { return engine.doc(h.id); })).then(render);
    }

    function failed(status, err) {
      status.textContent = 'Search is unavailable: the search index could not be loaded.';
      if (window.console) console.error('talkbook search:', err);
    }

    // -- The header box: results as you type, `/` to focus, Escape to close.
    var form = document.querySelector('form.search-box');
    var input = document.getElementById('search-input');
    var dropdown = document.getElementById('search-dropdown');
    if (form && input && dropdown) {
      var boxStatus = document.getElementById('search-box-status') || el('p');
      var list = el('ul', 'search-dropdown-list'), active = -1, boxRun = 0, timer = 0;
      list.id = 'search-listbox';
      list.setAttribute('role', 'listbox');
      list.setAttribute('aria-label', 'Search results');
      input.setAttribute('role', 'combobox');
      input.setAttribute('aria-autocomplete', 'list');
      input.setAttribute('aria-controls', 'search-listbox');
      input.setAttribute('aria-expanded', 'false');

      var close = function () {
        dropdown.hidden = true;
        input.setAttribute('aria-expanded', 'false');
        select(-1);
      };
      var select = function (i) {
        var items = list.children;
        if (active >= 0 && items[active]) items[active].setAttribute('aria-selected', 'false');
        active = i < 0 || !items.length ? -1 : (i + items.length) % items.length;
        if (active >= 0) {
          items[active].setAttribute('aria-selected', 'true');
          items[active].scrollIntoView({ block: 'nearest' });
          input.setAttribute('aria-activedescendant', items[active].id);
        } else input.removeAttribute('aria-activedescendant');
      };
      var update = function () {
        var query = input.value, run = ++boxRun;
        if (!query.trim()) { close(); boxStatus.textContent = ''; return; }
        engine.search(query).then(function (found) {
          var top = found.hits.slice(0, 8);
          return withDocs(top, function (docs) {
            if (run !== boxRun) return;
            var match = matcher(found.words), all = el('a', 'search-dropdown-all');
            list.textContent = '';
            dropdown.textContent = '';
            active = -1;
            docs.forEach(function (doc, i) { list.appendChild(result(doc, match, 'li', 'search-option-' + i)); });
            var count = found.hits.length;
            var summary = count ? count + (count === 1 ? ' result' : ' results') : 'No results for “' + query + '”';
            all.href = searchUrl(new URLSearchParams({ q: query }));
            all.textContent = count > top.length ? 'All ' + summary + ' →' : summary;
            if (count) dropdown.appendChild(list);
            dropdown.appendChild(all);
            boxStatus.textContent = summary;
            dropdown.hidden = false;
            input.setAttribute('aria-expanded', 'true');
          });
        }).catch(function (err) { if (run === boxRun) failed(boxStatus, err); });
      };

      input.addEventListener('input', function () { select(-1); clearTimeout(timer); timer = setTimeout(update, 60); });
      input.addEventListener('focus', function () { if (input.value.trim() && dropdown.hidden && list.parentNode) { dropdown.hidden = false; input.setAttribute('aria-expanded', 'true'); } });
      input.addEventListener('keydown', function (e) {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          if (dropdown.hidden) return;
          e.preventDefault();
          select(active < 0 && e.key === 'ArrowUp' ? list.children.length - 1 : active + (e.key === 'ArrowDown' ? 1 : -1));
        } else if (e.key === 'Escape') {
          if (!dropdown.hidden) { e.preventDefault(); close(); } else input.blur();
        } else if (e.key === 'Enter' && active >= 0) {
          e.preventDefault();
          location.href = list.children[active].querySelector('a').href;
        }
      });
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        location.href = searchUrl(new URLSearchParams({ q: input.value }));
      });
      document.addEventListener('click', function (e) { if (!form.contains(e.target)) close(); });
      form.addEventListener('focusout', function (e) { if (e.relatedTarget && !form.contains(e.relatedTarget)) close(); });
      document.addEventListener('keydown', function (e) {
        var t = e.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
        if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
          e.preventDefault();
          input.focus();
          input.select();
        }
      });
    }

    // -- The search page: ?q= and filters in the URL, facets, more results.
    var page = document.getElementById('search-results');
    var pageInput = document.getElementById('search-page-input');
    if (!page || !pageInput) return;
    var status = document.getElementById('search-status');
    var details = document.getElementById('search-filters');
    var facetsBox = document.getElementById('search-facets');
    var more = document.getElementById('search-more');
    var params = new URLSearchParams(location.search);
    var filters = {}, shown = 20, pageRun = 0, pageTimer = 0, facets = null;
    KINDS.forEach(function (k) { filters[k[0]] = new Set(params.getAll(k[0])); });
    var filtering = function () { return KINDS.some(function (k) { return filters[k[0]].size; }); };
    pageInput.value = params.get('q') || '';

    var writeUrl = function () {
      var p = new URLSearchParams();
      if (pageInput.value) p.set('q', pageInput.value);
      KINDS.forEach(function (k) { filters[k[0]].forEach(function (v) { p.append(k[0], v); }); });
      var query = p.toString();
      try { history.replaceState(null, '', location.pathname + (query ? '?' + query : '')); } catch (e) { /* some file:// */ }
    };

    var renderFacets = function (hits) {
      if (!facets) return;
      var focused = document.activeElement && facetsBox.contains(document.activeElement) ? document.activeElement.id : null;
      facetsBox.textContent = '';
      KINDS.forEach(function (k) {
        var kind = k[0], names = facets.names[kind] || [], counts = new Map();
        hits.forEach(function (h) {
          if (passes(facets, filters, h.id, kind)) ((facets.of[kind] || [])[h.id] || []).forEach(function (i) { counts.set(i, (counts.get(i) || 0) + 1); });
        });
        var values = names.map(function (n, i) { return { i: i, slug: n[0], name: n[1], count: counts.get(i) || 0 }; })
          .filter(function (v) { return v.count || filters[kind].has(v.slug); })
          .sort(function (a, b) { return b.count - a.count || compare(a.name, b.name); });
        var limit = 12;
        values = values.filter(function (v, n) { return n < limit || filters[kind].has(v.slug); });
        if (!values.length) return;
        var set = el('fieldset', 'search-facet');
        set.appendChild(el('legend', null, k[1]));
        values.forEach(function (v) {
          var label = el('label'), box = el('input');
          box.type = 'checkbox';
          box.id = 'facet-' + kind + '-' + v.slug;
          box.value = v.slug;
          box.checked = filters[kind].has(v.slug);
          box.addEventListener('change', function () {
            filters[kind][box.checked ? 'add' : 'delete'](v.slug);
            shown = 20;
            update();
          });
          label.appendChild(box);
          label.appendChild(document.createTextNode(' ' + v.name + ' '));
          label.appendChild(el('span', 'count', '(' + v.count + ')'));
          set.appendChild(label);
        });
        facetsBox.appendChild(set);
      });
      var again = focused && document.getElementById(focused);
      if (again) again.focus();
    };

    var update = function () {
      var query = pageInput.value, run = ++pageRun;
      writeUrl();
      if (!query.trim()) {
        page.textContent = '';
        status.textContent = 'Type a few words to search the notes.';
        if (more) more.hidden = true;
        return;
      }
      status.textContent = 'Searching…';
      var needFacets = filtering() || (details && details.open);
      Promise.all([engine.search(query), needFacets ? engine.facets() : null]).then(function (got) {
        if (got[1]) facets = got[1];
        var found = got[0], hits = found.hits;
        if (facets && filtering()) hits = hits.filter(function (h) { return passes(facets, filters, h.id, null); });
        return withDocs(hits.slice(0, shown), function (docs) {
          if (run !== pageRun) return;
          var match = matcher(found.words);
          page.textContent = '';
          docs.forEach(function (doc) { page.appendChild(result(doc, match, 'li')); });
          var n = hits.length;
          status.textContent = (n ? n + (n === 1 ? ' result' : ' results') : 'No results') + ' for “' + query + '”' +
            (filtering() ? ' (filtered)' : '');
          if (more) more.hidden = n <= shown;
          renderFacets(found.hits);
        });
      }).catch(function (err) { if (run === pageRun) failed(status, err); });
    };

    pageInput.addEventListener('input', function () { shown = 20; clearTimeout(pageTimer); pageTimer = setTimeout(update, 60); });
    var pageForm = pageInput.form;
    if (pageForm) pageForm.addEventListener('submit', function (e) { e.preventDefault(); update(); });
    if (more) more.addEventListener('click', function () { shown += 20; update(); });
    if (details) {
      if (filtering()) details.open = true;
      details.addEventListener('toggle', function () { if (details.open && !facets) update(); });
    }
    update();
  }

  /* Loads search/<path> with a <script> tag (works from file://, where
   * fetch does not); the file calls __talkbook(key, payload). */
  function scriptLoader(base) {
    var waiting = new Map();
    window.__talkbook = function (key, payload) {
      var w = waiting.get(key);
      if (w) { waiting.delete(key); w.resolve(payload); }
    };
    return function (path, key) {
      return new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        waiting.set(key, { resolve: resolve });
        s.src = base + path;
        s.async = true;
        s.onload = s.onerror = function () {
          s.remove();
          if (waiting.delete(key)) reject(new Error('cannot load ' + base + path));
        };
        document.head.appendChild(s);
      });
    };
  }
})();
