/* talkbook search, in the browser. Plain JavaScript, no build step.
 * The engine (analyzer, query parser, index files, BM25) mirrors
 * src/search/{analyzer,query,mod}.rs exactly, so the browser ranks as
 * tantivy does; their constants come from the index's manifest. Under node
 * it is exported for the tests. The rest is the header search box and the
 * search page. File formats: src/search/export.rs. */
(() => {
  'use strict';

  // ---- Analyzer (analyzer.rs) -----------------------------------------
  const WORD = /[\p{Alphabetic}\p{N}]+/gu; // char::is_alphanumeric
  const SPACE = /\p{White_Space}+/u; // char::is_whitespace
  const chars = (s) => [...s].length;

  /* The manifest's `analysis` (the constants of analyzer.rs and query.rs),
   * ready for analyze() and parse(): with `fold`, which applies `folds`. */
  function textRules(analysis) {
    const folds = new Map(Object.entries(analysis.folds));
    const letter = (c) => `\\u{${c.codePointAt(0).toString(16)}}`;
    const foldable = new RegExp(`[${[...folds.keys()].map(letter).join('')}]`, 'gu');
    return { ...analysis, fold: (s) => s.replace(foldable, (c) => folds.get(c)) };
  }

  /* The terms of `text`: {text, folded, position, start, end} (UTF-16 offsets). */
  function analyze(text, rules) {
    const terms = [];
    let position = 0;
    for (const m of text.matchAll(WORD)) {
      const folded = rules.fold(m[0].toLowerCase().normalize('NFKD').replace(/\p{M}/gu, ''));
      if (folded && chars(folded) <= rules.max_term_chars) {
        terms.push({ text: stem(folded, rules), folded, position, start: m.index, end: m.index + m[0].length });
      }
      position++;
    }
    return terms;
  }

  /* Strips a plural ending: the first of `rules.plurals` that applies. */
  function stem(w, rules) {
    if (chars(w) < rules.stem_min_chars) return w;
    const rule = rules.plurals.find((p) => w.endsWith(p.ending) && !p.unless.some((u) => w.endsWith(u)));
    return rule ? w.slice(0, w.length - rule.ending.length) + rule.replacement : w;
  }

  // ---- Queries (query.rs) ---------------------------------------------
  /* The query's words, in order, once each: {exact: term}, {term, prefix}
   * (the last word, being typed) or {phrase: [[offset, term], ...]}. */
  function parse(query, rules) {
    const parts = [];
    query.split('"').forEach((chunk, i) => {
      if (i % 2) parts.push([chunk, true]);
      else for (const w of chunk.split(SPACE)) if (w) parts.push([w, false]);
    });
    const typing = !/[\p{White_Space}"]$/u.test(query);
    const words = [], seen = new Set();
    parts.forEach(([text, quoted], i) => {
      const terms = analyze(text, rules), typed = i === parts.length - 1 && typing && !quoted;
      let word;
      if (!terms.length) return;
      if (terms.length > 1) word = { phrase: terms.map((t) => [t.position - terms[0].position, t.text]) };
      else if (typed && chars(terms[0].folded) >= rules.prefix_min) word = { term: terms[0].text, prefix: terms[0].folded };
      else if (typed && words.length) return; // a short last word, still being typed
      else word = { exact: terms[0].text };
      const key = JSON.stringify(word);
      if (!seen.has(key)) seen.add(key), words.push(word);
    });
    return words;
  }

  // ---- Index files ----------------------------------------------------
  /* Compares by code point, as Rust does (not by UTF-16 unit). */
  function compare(a, b) {
    const unit = (u) => (u >= 0xe000 ? u - 0x800 : u >= 0xd800 ? u + 0x2000 : u);
    for (let i = 0; i < a.length && i < b.length; i++) {
      if (a.charCodeAt(i) !== b.charCodeAt(i)) return unit(a.charCodeAt(i)) - unit(b.charCodeAt(i));
    }
    return a.length - b.length;
  }

  const bytesOf = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

  /* The bytes of a deflated (raw) base64 string. */
  async function inflate(base64) {
    const stream = new Blob([bytesOf(base64)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  /* Reads bytes and LEB128 varints from bytes or a base64 string. */
  class Reader {
    constructor(data) {
      this.b = typeof data === 'string' ? bytesOf(data) : data;
      this.i = 0;
    }
    byte() {
      if (this.i >= this.b.length) throw new Error('truncated search file');
      return this.b[this.i++];
    }
    varint() {
      let v = 0, scale = 1, b;
      do { b = this.byte(); v += (b & 127) * scale; scale *= 128; } while (b & 128);
      return v;
    }
  }

  /* The entries of a sorted `[[first term, key]]` list whose ranges may
   * hold `term`: the last one starting at or before it; with `prefix`, also
   * the next ones while they start with it (they hold terms starting so). */
  function covering(list, term, prefix) {
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(list[mid][0], term) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const out = lo ? [list[lo - 1]] : [];
    while (prefix && lo < list.length && list[lo][0].startsWith(term)) out.push(list[lo++]);
    return out;
  }

  /* One field's postings: {field, df, ids, tfs, norms, pos}; a head's
   * (`listed` notes, not a bitmap) lists fewer notes than its df. */
  function decodeField(r, n, head) {
    const flags = r.byte(), field = flags & 127, df = r.varint(), count = head ? r.varint() : df;
    const p = { field, df, ids: new Uint32Array(count), tfs: new Uint32Array(count), norms: new Uint8Array(count), pos: null };
    const bitmap = !head && flags & 128;
    if (bitmap) {
      // The notes as a bitmap: bit i of byte j stands for note 8j + i.
      for (let id = 0, k = 0, at = r.i; id < n; id++) if (r.b[at + (id >> 3)] & (1 << (id & 7))) p.ids[k++] = id;
      r.i += (n + 7) >> 3;
    }
    for (let k = 0, id = 0; k < count; k++) {
      if (!bitmap) p.ids[k] = id += r.varint();
      p.tfs[k] = r.varint();
      p.norms[k] = r.byte();
    }
    return p;
  }

  /* A term's postings in every field it has: [{field, df, ids, ...}]. */
  function decodeFields(r, n, head) {
    const fields = [];
    for (let nf = r.byte(); nf > 0; nf--) fields.push(decodeField(r, n, head));
    return fields;
  }

  /* A shard's entries (export.rs): {terms: term -> whole postings, heads:
   * term -> {notes, tail, fields}, prefixes: prefix -> {total, hits}}. */
  function decodeShard(bytes, n) {
    const r = new Reader(bytes), utf8 = new TextDecoder();
    const terms = new Map(), heads = new Map(), prefixes = new Map();
    const text = () => {
      const len = r.varint();
      return utf8.decode(r.b.subarray(r.i, (r.i += len)));
    };
    while (r.i < r.b.length) {
      const key = text(), flags = r.byte();
      if (flags & 1) terms.set(key, decodeFields(r, n, false));
      if (flags & 2) {
        const notes = r.varint(), tail = text();
        heads.set(key, { notes, tail, fields: decodeFields(r, n, true) });
      }
      if (flags & 4) {
        const total = r.varint(), hits = [];
        for (let k = r.varint(); k > 0; k--) {
          const id = r.varint(), score = new DataView(r.b.buffer, r.b.byteOffset + r.i, 4).getFloat32(0, true);
          r.i += 4;
          hits.push({ id, score });
        }
        prefixes.set(key, { total, hits, passages: new Map() });
      }
    }
    return { terms, heads, prefixes };
  }

  /* Adds a shard's positions (loaded for phrases only) to its postings. */
  function decodePositions(terms, base64) {
    const r = new Reader(base64);
    for (const fields of terms.values()) {
      for (const p of fields) {
        p.pos = Array.from(p.tfs, (tf) => {
          const list = new Uint32Array(tf);
          for (let j = 0, at = 0; j < tf; j++) list[j] = at += r.varint();
          return list;
        });
      }
    }
  }

  // ---- Suggestions (suggest.rs) ----------------------------------------
  /* Edits from a to b, by code point: insertions, deletions, substitutions,
   * swaps of neighbours (optimal string alignment, as strsim::osa_distance). */
  function edits(a, b) {
    a = [...a], b = [...b];
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i ? (j ? 0 : i) : j)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length];
  }

  /* suggest::nearest: the candidate ([term, notes]) fewest edits from
   * `term`, then in most notes, then first; with the word's ending. */
  function nearest(folded, term, candidates, rules) {
    const length = chars(term), most = length <= rules.suggest_short_chars ? 1 : rules.suggest_max_edits;
    let best = null;
    for (const [candidate, notes] of candidates) {
      if (notes < rules.suggest_min_notes || candidate === term || Math.abs(chars(candidate) - length) > most) continue;
      const e = edits(term, candidate);
      const better = !best || e < best[0] || (e === best[0] && (notes > best[1] || (notes === best[1] && compare(candidate, best[2]) < 0)));
      if (e <= most && better) best = [e, notes, candidate];
    }
    return best && { word: folded, nearest: withEnding(folded, term, best[2], rules) };
  }

  /* suggest::with_ending: `candidate` with the plural ending the stemmer
   * took from `folded` put back, if it then stems to `candidate`. */
  function withEnding(folded, term, candidate, rules) {
    const rule = rules.plurals.find((p) => folded.endsWith(p.ending) && folded.slice(0, folded.length - p.ending.length) + p.replacement === term);
    if (rule && folded !== term && candidate.endsWith(rule.replacement)) {
      const shown = candidate.slice(0, candidate.length - rule.replacement.length) + rule.ending;
      if (stem(shown, rules) === candidate) return shown;
    }
    return candidate;
  }

  // ---- Engine: SearchIndex::search with tantivy's BM25 in f32 ----------
  const f32 = Math.fround;

  class Engine {
    /* `load(path, key)`: the payload of search/<path>, which calls
     * __talkbook(key, payload) (a promise or a value). */
    constructor(load) {
      this.load = load;
      this.files = new Map();
      this.shards = new Map(); // key -> decoded shard
      this.positions = new Set(); // keys of shards with positions
      this.terms = new Map(); // every loaded term with whole postings -> its postings
      this.heads = new Map(); // every loaded term with a head -> {notes, tail, fields, whole?}
      this.prefixes = new Map(); // every loaded prefix head -> {total, hits, passages}
      this.passages = new Map(); // every loaded term -> Map(note -> excerpt)
      this.cards = new Map(); // chunk number -> its notes' display data
    }

    get(path, key) {
      if (!this.files.has(key)) {
        const p = Promise.resolve().then(() => this.load(path, key));
        this.files.set(key, p);
        p.catch(() => this.files.delete(key)); // may be retried
      }
      return this.files.get(key);
    }

    async manifest() {
      const m = await this.get('manifest.js', 'manifest');
      if (!this.m) {
        this.rules = textRules(m.analysis);
        const K1 = f32(m.k1), B = f32(m.b);
        this.weight1 = f32(1 + K1);
        // Bm25Weight's tf cache, per field and fieldnorm id.
        this.cache = m.tokens.map((tokens) => {
          const avg = f32(f32(tokens) / f32(m.docs));
          return Float32Array.from(m.norms, (n) => f32(K1 * f32(f32(1 - B) + f32(f32(B * f32(n)) / avg))));
        });
        this.m = m;
      }
      return m;
    }

    /* The shards that may hold `term` (or, with `prefix`, the terms
     * starting with it), through the directories the manifest lists:
     * [first term, key, positions key]. */
    async keys(term, prefix) {
      const dir = (key) => this.get(`i-${key}.js`, `i-${key}`);
      const dirs = await Promise.all(covering(this.m.dirs, term, prefix).map(([, key]) => dir(key)));
      return covering(dirs.flat(), term, prefix);
    }

    /* Loads and decodes a shard (once), and its positions if asked. */
    async shard([, key, positionsKey], positions) {
      if (!this.shards.has(key)) {
        const bytes = await inflate(await this.get(`s-${key}.js`, `s-${key}`));
        if (!this.shards.has(key)) this.addShard(key, positionsKey, bytes);
      }
      if (positions && !this.positions.has(key)) {
        const all = await this.get(`${positionsKey}.js`, positionsKey);
        if (!this.positions.has(key)) this.positions.add(key), decodePositions(this.shards.get(key).terms, all[key]);
      }
    }

    /* Adds a shard's entries and passages to what is loaded. */
    addShard(key, positionsKey, bytes) {
      // The entries' length, the entries, then the passages as JSON.
      const r = new Reader(bytes), length = r.varint(), end = r.i + length;
      const shard = decodeShard(bytes.subarray(r.i, end), this.m.docs);
      this.shards.set(key, shard);
      for (const [t, fields] of shard.terms) this.terms.set(t, fields);
      for (const [t, head] of shard.heads) this.heads.set(t, { ...head, positionsKey });
      for (const [p, head] of shard.prefixes) this.prefixes.set(p, head);
      const byNote = (list) => {
        const map = new Map();
        for (let i = 0; i < list.length; i += 2) map.set(list[i], list[i + 1]);
        return map;
      };
      const passages = JSON.parse(new TextDecoder().decode(bytes.subarray(end)));
      for (const [t, list] of Object.entries(passages.t)) this.passages.set(t, byNote(list));
      for (const [p, list] of Object.entries(passages.p)) this.prefixes.get(p).passages = byNote(list);
    }

    /* Loads the whole postings (the tail) of a term loaded as a head, and
     * their positions if asked. */
    async tail(term, positions) {
      const head = this.heads.get(term);
      if (!head) return;
      if (!head.whole) {
        const bytes = await inflate(await this.get(`${head.tail}.js`, head.tail));
        head.whole ??= decodeFields(new Reader(bytes), this.m.docs, false);
      }
      if (positions && !head.positioned) {
        const all = await this.get(`${head.positionsKey}.js`, head.positionsKey);
        if (!head.positioned) (head.positioned = true), decodePositions(new Map([[term, head.whole]]), all[head.tail]);
      }
    }

    /* The postings of a loaded term, per field ([] if none): whole if
     * loaded, else its head's. */
    postings(term) {
      const head = this.heads.get(term);
      return this.terms.get(term) || (head && (head.whole || head.fields)) || [];
    }

    /* How many notes have a loaded term, summed over fields. */
    notes(term) {
      return this.postings(term).reduce((n, p) => n + p.df, 0);
    }

    /* SearchIndex::expand: the term, then the prefix_max - 1 most frequent
     * terms starting with the prefix (df summed over fields; ties by term).
     * search() loaded every shard that holds such terms. */
    expand(term, prefix) {
      const counts = [];
      for (const loaded of [this.terms, this.heads]) {
        for (const t of loaded.keys()) if (t !== term && t.startsWith(prefix)) counts.push([t, this.notes(t)]);
      }
      counts.sort((a, b) => b[1] - a[1] || compare(a[0], b[0]));
      return [term, ...counts.slice(0, this.rules.prefix_max - 1).map((c) => c[0])];
    }

    idf(df) {
      const n = this.m.docs;
      return f32(Math.log(f32(1 + f32(f32(f32(n - df) + 0.5) / f32(f32(df) + 0.5)))));
    }

    /* Adds a boosted TermQuery or PhraseQuery in one field to a clause:
     * weight = idf * (1 + k1) * boost; score = weight * tf / (tf + cache[norm]). */
    add(clause, field, idf, { ids, tfs, norms }) {
      const cache = this.cache[field], weight = f32(f32(idf * this.weight1) * f32(this.m.boosts[field]));
      for (let k = 0; k < ids.length; k++) {
        const doc = ids[k], tf = tfs[k];
        clause.scores[doc] = f32(clause.scores[doc] + f32(weight * f32(tf / f32(tf + cache[norms[k]]))));
        clause.hit[doc] = 1;
      }
    }

    /* A phrase: its idf is the sum of its terms' idfs, its tf the number of
     * places where each term is at its offset from the first. */
    phrase(clause, phrase) {
      for (let field = 0; field < this.m.fields.length; field++) {
        const lists = phrase.map(([, t]) => this.postings(t).find((p) => p.field === field));
        if (lists.some((p) => !p)) continue;
        const idf = lists.reduce((sum, p) => f32(sum + this.idf(p.df)), 0);
        const found = { ids: [], tfs: [], norms: [] }, at = lists.map(() => 0), [first] = lists;
        first.ids.forEach((doc, k) => {
          const where = [first.pos[k]];
          for (let t = 1; t < lists.length; t++) {
            const l = lists[t];
            while (l.ids[at[t]] < doc) at[t]++;
            if (l.ids[at[t]] !== doc) return;
            where.push(l.pos[at[t]]);
          }
          const tf = where[0].filter((start) => where.every((list, t) => list.includes(start + phrase[t][0]))).length;
          if (tf) found.ids.push(doc), found.tfs.push(tf), found.norms.push(first.norms[k]);
        });
        this.add(clause, field, idf, found);
      }
    }

    /* Every note matching `query`, best first, ties by note id:
     * {hits: [{id, score}], total, words, every}. A query of one word
     * (unless `full`) may be answered by a head: then `hits` are only its
     * first notes, `total` still counts them all. */
    async search(query, full = false) {
      await this.manifest();
      const words = parse(String(query), this.rules), one = !full && words.length === 1;
      await Promise.all(words.map((w) => this.loadWord(w, one && !w.phrase)));
      return this.rank(words, full);
    }

    /* Loads what word `w` needs: the shards of its terms and, for a word
     * being typed, of the terms starting with it; the tails of those with a
     * head, unless the word is the query's `only` one and a head answers it. */
    async loadWord(w, only) {
      const terms = w.phrase ? w.phrase.map((p) => p[1]) : [w.exact || w.term];
      const keys = (await Promise.all(terms.map((t) => this.keys(t)))).flat();
      // The shard where the prefix would be holds its head, if it has one.
      if (w.prefix) keys.push(...(await this.keys(w.prefix)));
      await Promise.all(keys.map((shard) => this.shard(shard, !!w.phrase)));
      if (w.prefix && only && this.prefixes.has(w.prefix)) return;
      if (w.prefix) await Promise.all((await this.keys(w.prefix, true)).map((shard) => this.shard(shard, false)));
      if (only && !w.prefix) return;
      const used = w.prefix ? this.expand(w.term, w.prefix) : terms;
      await Promise.all(used.map((t) => this.tail(t, !!w.phrase)));
    }

    /* Ranks once the shards are loaded (what a keystroke costs). All words
     * must match, else any word; each word looks in every field. One word
     * (unless `full`) is ranked from its head if it has one. */
    rank(words, full = false) {
      const [w] = words, one = !full && words.length === 1 && !w.phrase;
      const prefix = one && w.prefix && this.prefixes.get(w.prefix);
      if (prefix) return { hits: prefix.hits.slice(), total: prefix.total, words, every: true };
      const n = this.m.docs;
      const clauses = words.map((w) => {
        const clause = { scores: new Float32Array(n), hit: new Uint8Array(n) };
        if (w.phrase) this.phrase(clause, w.phrase);
        else {
          for (const t of w.prefix ? this.expand(w.term, w.prefix) : [w.exact]) {
            for (const p of this.postings(t)) this.add(clause, p.field, this.idf(p.df), p);
          }
        }
        return clause;
      });
      const combine = (all) => {
        const hits = [];
        for (let doc = 0; doc < n; doc++) {
          let score = 0, matched = 0;
          for (const c of clauses) if (c.hit[doc]) matched++, (score = f32(score + c.scores[doc]));
          if (all ? matched === clauses.length : matched) hits.push({ id: doc, score });
        }
        return hits;
      };
      let hits = clauses.length ? combine(true) : [], every = true;
      if (!hits.length && clauses.length > 1) (hits = combine(false)), (every = false);
      const head = one && !w.prefix && this.heads.get(w.exact);
      const total = head && !head.whole ? head.notes : hits.length;
      return { hits: hits.sort((a, b) => b.score - a.score || a.id - b.id), total, words, every };
    }

    /* Searcher::suggestions: for each exact or typed word of `query` that no
     * note has, {word, nearest}: the nearest candidate term (suggest.rs). */
    async suggestions(query) {
      const m = await this.manifest(), words = parse(String(query), this.rules), forms = analyze(String(query), this.rules);
      const out = [];
      for (const w of words) {
        if (w.phrase || (w.prefix && (this.prefixes.has(w.prefix) || this.expand(w.term, w.prefix).length > 1))) continue;
        const term = w.exact || w.term;
        if (this.postings(term).length) continue;
        const first = [...term][0], key = m.suggest[first];
        const candidates = key ? await this.get(`${key}.js`, key) : [];
        const folded = (forms.find((f) => f.text === term) || { folded: term }).folded;
        const found = nearest(folded, term, candidates, this.rules);
        if (found) out.push(found);
      }
      return out;
    }

    /* What result `id` shows: {t: title, u: URL, s: speakers, p: projects,
     * g: tags, e: event, d: date, x: excerpt}; the excerpt is the passage
     * where the rarest of the query's `words` that has one matched, or the
     * note's start. */
    async doc(id, words = []) {
      const m = await this.manifest(), chunk = Math.floor(id / m.doc_chunk);
      if (!this.cards.has(chunk)) {
        const cards = this.get(`docs/${chunk}.js?v=${m.docs_version}`, `d${chunk}`)
          .then(inflate)
          .then((bytes) => JSON.parse(new TextDecoder().decode(bytes)));
        this.cards.set(chunk, cards);
        cards.catch(() => this.cards.delete(chunk)); // may be retried
      }
      const card = (await this.cards.get(chunk))[id - chunk * m.doc_chunk], passage = this.passage(id, words);
      return passage == null ? card : { ...card, x: passage };
    }

    /* The stored passage of note `id` for the rarest term of `words` that
     * has one, or null. */
    passage(id, words) {
      const [w] = words, prefix = words.length === 1 && w.prefix && this.prefixes.get(w.prefix);
      if (prefix && prefix.passages.has(id)) return prefix.passages.get(id);
      let best = null, fewest = Infinity;
      for (const w of words) {
        const terms = w.phrase ? w.phrase.map((p) => p[1]) : w.prefix ? this.expand(w.term, w.prefix) : [w.exact];
        for (const t of terms) {
          const text = this.passages.get(t)?.get(id), notes = this.notes(t);
          if (text != null && notes < fewest) (best = text), (fewest = notes);
        }
      }
      return best;
    }

    /* Filters' data: {names: {kind: [[slug, name]]}, of: {kind: [[name index]] by note}}. */
    async facets() {
      const m = await this.manifest(), f = await this.get(`${m.facets}.js`, m.facets);
      if (!this.f) {
        const r = new Reader(f.docs), of = {};
        for (const kind of f.kinds) of[kind] = [];
        for (let doc = 0; doc < m.docs; doc++) {
          for (const kind of f.kinds) of[kind].push(Array.from({ length: r.varint() }, () => r.varint()));
        }
        this.f = { names: f.names, of };
      }
      return this.f;
    }
  }

  /* Whether note `id` has one of the wanted slugs of each kind in `filters`
   * ({kind: Set}) but `except`: AND across kinds, OR within one. */
  function passes(facets, filters, id, except) {
    return Object.entries(filters).every(([kind, wanted]) => {
      if (kind === except || !wanted.size) return true;
      const names = facets.names[kind] || [];
      return ((facets.of[kind] || [])[id] || []).some((i) => names[i] && wanted.has(names[i][0]));
    });
  }

  // ---- Excerpts -------------------------------------------------------
  /* Whether a word of a note matches: its term is a query term, or it
   * starts with the prefix being typed. */
  function matcher(words) {
    const exact = new Set(), prefixes = [];
    for (const w of words) {
      for (const t of w.phrase ? w.phrase.map((p) => p[1]) : [w.exact || w.term]) exact.add(t);
      if (w.prefix) prefixes.push(w.prefix);
    }
    return (t) => exact.has(t.text) || prefixes.some((p) => t.folded.startsWith(p));
  }

  /* `text` as [text, matched] pieces, the words `match` accepts marked.
   * Excerpts come cut already (src/search/excerpt.rs has the rule). */
  function marks(text, match, rules) {
    const pieces = [];
    let at = 0;
    for (const h of analyze(text, rules).filter(match)) {
      pieces.push([text.slice(at, h.start)], [text.slice(h.start, h.end), true]);
      at = h.end;
    }
    pieces.push([text.slice(at)]);
    return pieces;
  }

  // ---- The page -------------------------------------------------------
  /* The header search box on every page, and the search page (/search/). */
  function ui() {
    const script = document.currentScript || document.querySelector('script[data-root]');
    const kit = pageKit((script && script.getAttribute('data-root')) || '');
    headerBox(kit);
    searchPage(kit);
  }

  const $ = (id) => document.getElementById(id);
  /* A result's ISO date (`2018-05-02`, maybe with a time) as the pages
   * show dates (`2 May 2018`, src/content/when.rs), kept on one line;
   * anything else as is. */
  const humanDate = (iso) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso ?? '').slice(0, 10));
    if (!m) return iso;
    const day = new Date(Date.UTC(+m[1], m[2] - 1, +m[3]));
    return `${day.getUTCDate()}\u00a0${day.toLocaleString('en', { month: 'long', timeZone: 'UTC' })}\u00a0${m[1]}`;
  };
  const plural = (n) => `${n} result${n === 1 ? '' : 's'}`;
  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  };
  // Note text goes in as text nodes, never as HTML.
  const marked = (parent, pieces) => {
    for (const [text, hit] of pieces) parent.append(hit ? el('mark', null, text) : text);
    return parent;
  };

  /* What the header box and the search page share, for a page `root` away
   * from the site's root: the engine, links, one result, a query runner. */
  function pageKit(root) {
    const engine = new Engine(scriptLoader(`${root}search-index/`));
    // From file:// a folder does not open its index.html: link to it.
    const link = (url) => root + url + (location.protocol === 'file:' && /\/$/.test(url) ? 'index.html' : '');
    const searchUrl = (params) => link('search/') + (String(params) ? `?${params}` : '');
    const failed = (status, err) => {
      status.textContent = 'Search is unavailable: its index could not be loaded.';
      console.error('talkbook search:', err);
    };

    /* One result: linked title, speakers · event · date, excerpt, and the
     * speakers, projects and tags that match; `cut` marks the query's words
     * in a text, `cut.matches` says if a text matches.
     * As a dropdown `option` (its id), the whole result is the link. */
    const result = (doc, cut, option) => {
      const item = el('li', 'search-result');
      const title = marked(el(option ? 'span' : 'a', 'search-result-title'), cut(String(doc.t ?? '')));
      const href = link(String(doc.u ?? ''));
      const meta = [[].concat(doc.s ?? []).join(', '), doc.e, humanDate(doc.d)].filter(Boolean).join(' · ');
      const excerpt = marked(el(option ? 'span' : 'p', 'search-result-excerpt'), cut(String(doc.x ?? '')));
      // A match in speakers, projects or tags says so ("tag: service-mesh").
      const where = { s: 'speaker', p: 'project', g: 'tag' }, found = [];
      for (const key in where) for (const name of [].concat(doc[key] ?? [])) if (cut.matches(String(name))) found.push(`${where[key]}: ${name}`);
      const matched = found.length ? el('span', 'search-result-matched', found.join(' · ')) : '';
      const parts = [title, meta ? el('span', 'search-result-meta', meta) : '', excerpt, matched];
      if (!option) {
        title.href = href;
        item.append(...parts);
        return item;
      }
      const whole = el('a', 'search-option');
      Object.assign(whole, { href, id: option, tabIndex: -1 });
      whole.setAttribute('role', 'option');
      whole.setAttribute('aria-selected', 'false');
      whole.append(...parts);
      item.setAttribute('role', 'presentation');
      item.append(whole);
      return item;
    };
    /* Every note, in the index's order: what browsing by filters lists. */
    const everything = async () => {
      const m = await engine.manifest();
      return { hits: Array.from({ length: m.docs }, (_, id) => ({ id, score: 0 })), total: m.docs, words: [], every: true };
    };
    /* Runs `query` (every note when it has no words) unless it has fewer
     * than prefix_min letters (then `show(null)`: only the manifest was
     * loaded); loads the docs of the first `limit` of `filter(hits)`, and
     * hands all to `show` unless a newer run started: (hits, docs, cut,
     * found: {hits before `filter`, total, every, suggestions}). With
     * `full`, every hit (else one word may give only its first ones). */
    const runner = (status, full = false) => {
      let run = 0;
      return async (query, limit, show, filter = (hits) => hits) => {
        const mine = ++run;
        try {
          const m = await engine.manifest(), browsing = !query.trim();
          const letters = analyze(query, engine.rules).reduce((n, t) => n + chars(t.folded), 0);
          if (!browsing && letters < m.analysis.prefix_min) return mine === run && show(null);
          const found = browsing ? await everything() : await engine.search(query, full);
          const hits = await filter(found.hits);
          const docs = await Promise.all(hits.slice(0, limit).map((h) => engine.doc(h.id, found.words)));
          found.suggestions = browsing ? [] : await engine.suggestions(query);
          const match = matcher(found.words), cut = (text) => marks(text, match, engine.rules);
          cut.matches = (text) => analyze(text, engine.rules).some(match);
          if (mine === run) show(hits, docs, cut, found);
        } catch (err) {
          if (mine === run) failed(status, err);
        }
      };
    };
    /* Fills `box` with the notice that no note has every word, and a
     * "did you mean" per word no note has; `use(query)` searches again. */
    const explain = (box, found, input, use) => {
      box.replaceChildren();
      if (!found.every) box.append(el('span', 'search-notice-any', engine.m.any_word));
      for (const s of found.suggestions) {
        const fix = el('button', 'search-suggestion', s.nearest);
        fix.type = 'button';
        fix.addEventListener('click', () => {
          const folded = (word) => analyze(word, engine.rules).map((t) => t.folded).join(' ');
          input.value = input.value.split(/(\s+)/).map((w) => (folded(w) === s.word ? s.nearest : w)).join('');
          input.focus();
          use(input.value);
        });
        box.append(el('span', 'search-notice-none', `No note has “${s.word}”: did you mean `), fix, '?');
      }
      box.hidden = !box.childNodes.length;
    };
    return { engine, searchUrl, result, runner, explain };
  }

  /* The header box: results as you type; `/` focuses, Escape closes (and
   * a second Escape keeps the query), ArrowDown opens again. */
  function headerBox({ searchUrl, result, runner, explain }) {
    const form = document.querySelector('form.search-box'), input = $('search-input');
    const list = $('search-listbox'), all = $('search-all'), dropdown = $('search-dropdown');
    if (!form || !input || !list || !all) return;
    const none = $('search-none') || el('p');
    const status = $('search-box-status') || el('p'), search = runner(status);
    const notice = el('p', 'search-notice');
    notice.hidden = true;
    list.before(notice);
    let active = -1, timer = 0;
    const option = (i) => list.children[i]?.firstChild;
    const open = (yes) => {
      dropdown.hidden = !yes;
      input.setAttribute('aria-expanded', String(yes));
      if (!yes) select(-1);
    };
    const select = (i) => {
      const count = list.children.length;
      option(active)?.setAttribute('aria-selected', 'false');
      active = i < 0 || !count ? -1 : (i + count) % count;
      const chosen = option(active);
      if (chosen) chosen.setAttribute('aria-selected', 'true'), chosen.scrollIntoView({ block: 'nearest' });
      if (chosen) input.setAttribute('aria-activedescendant', chosen.id);
      else input.removeAttribute('aria-activedescendant');
    };
    const update = () => {
      const query = input.value;
      if (!query.trim()) return open(false), (status.textContent = '');
      search(query, 8, (hits, docs, cut, found) => {
        if (!hits) return open(false), (status.textContent = '');
        list.replaceChildren(...docs.map((doc, i) => result(doc, cut, `search-option-${i}`)));
        list.hidden = !docs.length;
        active = -1;
        explain(notice, found, input, update);
        status.textContent = found.total ? plural(found.total) : `No results for “${query}”`;
        none.textContent = status.textContent;
        none.hidden = !!found.total;
        all.hidden = !found.total;
        all.textContent = found.total > docs.length ? `All ${status.textContent} →` : `${status.textContent} on the search page →`;
        if (!notice.hidden) status.textContent += `. ${notice.textContent}`;
        all.href = searchUrl(new URLSearchParams({ q: query }));
        dropdown.dataset.query = query;
        open(true);
      });
    };
    input.addEventListener('input', () => (select(-1), clearTimeout(timer), (timer = setTimeout(update, 60))));
    input.addEventListener('focus', () => input.value.trim() && status.textContent && open(true));
    input.addEventListener('keydown', (e) => {
      const step = { ArrowDown: 1, ArrowUp: -1 }[e.key];
      if (e.key === 'ArrowDown' && dropdown.hidden && input.value.trim()) {
        e.preventDefault();
        if (status.textContent) open(true);
        else update();
      } else if (step && !dropdown.hidden) {
        e.preventDefault();
        select(active < 0 && step < 0 ? list.children.length - 1 : active + step);
      } else if (e.key === 'Escape') {
        // The browser's own Escape would empty the box: keep what was typed.
        e.preventDefault();
        open(false);
      } else if (e.key === 'Enter' && active >= 0) {
        e.preventDefault();
        location.href = option(active).href;
      }
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      location.href = searchUrl(new URLSearchParams({ q: input.value }));
    });
    document.addEventListener('click', (e) => form.contains(e.target) || open(false));
    form.addEventListener('focusout', (e) => e.relatedTarget && !form.contains(e.relatedTarget) && open(false));
    document.addEventListener('keydown', (e) => {
      const t = e.target, typing = t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        const page = $('search-page-input'), box = page && page.offsetParent ? page : input;
        box.focus();
        box.select();
      }
    });
  }

  /* The filters' legends, by facet kind, in the order shown. */
  const KINDS = { speaker: 'Speakers', project: 'Projects', tag: 'Tags', event: 'Events' };
  /* The values a filter shows before its box is typed in. */
  const FACET_SHOWN = 12;

  /* The search page: ?q= and filters in its URL, filter counts, more; with
   * filters and no words, every note that passes them. */
  function searchPage({ engine, result, runner, explain }) {
    const page = $('search-results'), pageInput = $('search-page-input');
    if (!page || !pageInput) return;
    const status = $('search-status'), details = $('search-filters'), facetsBox = $('search-facets'), more = $('search-more');
    const active = $('search-active'), params = new URLSearchParams(location.search), filters = {}, search = runner(status, true);
    for (const kind in KINDS) filters[kind] = new Set(params.getAll(kind));
    const filtering = () => Object.values(filters).some((s) => s.size);
    const typed = {}; // what each filter's box holds, by kind
    let shown = 20, timer = 0, facets = null;
    pageInput.value = params.get('q') || '';
    const notice = el('p', 'search-notice');
    notice.hidden = true;
    page.before(notice);
    pageInput.focus();

    const writeUrl = () => {
      const p = new URLSearchParams();
      if (pageInput.value) p.set('q', pageInput.value);
      for (const kind in KINDS) for (const slug of filters[kind]) p.append(kind, slug);
      try {
        history.replaceState(null, '', location.pathname + (String(p) ? `?${p}` : ''));
      } catch { /* not allowed here */ }
    };
    const toggled = (kind, slug, on) => {
      filters[kind][on ? 'add' : 'delete'](slug);
      shown = 20;
      update();
    };
    const clear = () => {
      for (const kind in KINDS) filters[kind].clear();
      shown = 20;
      update();
      pageInput.focus();
    };

    const update = () => {
      const query = pageInput.value, browsing = !query.trim();
      writeUrl();
      if (browsing && !filtering() && !details?.open) {
        page.replaceChildren();
        if (active) active.hidden = true;
        status.textContent = 'Type a few words to search the notes, or pick filters to browse them.';
        return more && (more.hidden = true);
      }
      const filter = async (hits) => {
        if (filtering() || details?.open) facets = await engine.facets();
        return facets && filtering() ? hits.filter((h) => passes(facets, filters, h.id, null)) : hits;
      };
      search(query, shown, (hits, docs, cut, found) => {
        if (!hits) {
          page.replaceChildren();
          notice.hidden = true;
          status.textContent = 'Type a few more letters to search the notes.';
          return more && (more.hidden = true);
        }
        const listed = !browsing || filtering();
        page.replaceChildren(...(listed ? docs.map((doc) => result(doc, cut)) : []));
        explain(notice, found, pageInput, update);
        const what = browsing ? 'with these filters' : `for “${query}”${filtering() ? ' (filtered)' : ''}`;
        status.textContent = listed
          ? `${hits.length ? plural(hits.length) : 'No results'} ${what}`
          : 'Type a few words to search the notes, or pick filters to browse them.';
        if (more) more.hidden = !listed || hits.length <= shown;
        page.dataset.query = query;
        if (facets) renderFacets(facetsBox, facets, filters, found.hits, toggled, typed);
        if (active) renderActive(active, facets, filters, toggled, clear);
      }, filter);
    };

    pageInput.addEventListener('input', () => ((shown = 20), clearTimeout(timer), (timer = setTimeout(update, 60))));
    pageInput.form?.addEventListener('submit', (e) => (e.preventDefault(), update()));
    more?.addEventListener('click', () => ((shown += 20), update()));
    if (details) {
      // A side column on a wide screen, folded away under the results on a phone.
      if (filtering() || window.matchMedia('(min-width: 48.01rem)').matches) details.open = true;
      details.addEventListener('toggle', () => details.open && !facets && update());
    }
    update();
  }

  /* The filters set, as chips that remove them, and "Clear all". */
  function renderActive(box, facets, filters, toggled, clear) {
    const chips = [];
    for (const [kind, legend] of Object.entries(KINDS)) {
      for (const slug of filters[kind]) {
        const name = (facets?.names[kind] || []).find(([s]) => s === slug)?.[1] ?? slug;
        const item = el('li'), button = el('button', 'chip-remove', `${name} ×`);
        button.type = 'button';
        button.setAttribute('aria-label', `Remove the filter ${legend.toLowerCase()}: ${name}`);
        button.addEventListener('click', () => toggled(kind, slug, false));
        item.append(button);
        chips.push(item);
      }
    }
    if (chips.length) {
      const item = el('li'), button = el('button', 'clear-filters', 'Clear all filters');
      button.type = 'button';
      button.addEventListener('click', clear);
      item.append(button);
      chips.push(item);
    }
    box.replaceChildren(...chips);
    box.hidden = !chips.length;
  }

  /* Fills `facetsBox` with each filter value and its count among `hits` (those
   * passing the other kinds' filters): the FACET_SHOWN most frequent and
   * those set, or, once its box is typed in (`typed`, by kind), every value
   * whose name holds the text. Ticking one calls `toggled(kind, slug, checked)`. */
  function renderFacets(facetsBox, facets, filters, hits, toggled, typed) {
    const focused = facetsBox.contains(document.activeElement) && document.activeElement.id;
    facetsBox.replaceChildren();
    for (const [kind, legend] of Object.entries(KINDS)) {
      const counts = new Map(), names = facets.names[kind] || [];
      for (const h of hits) {
        if (passes(facets, filters, h.id, kind)) for (const i of facets.of[kind]?.[h.id] || []) counts.set(i, (counts.get(i) || 0) + 1);
      }
      const values = names
        .map(([slug, name], i) => ({ slug, name, count: counts.get(i) || 0 }))
        .filter((v) => v.count || filters[kind].has(v.slug))
        .sort((a, b) => b.count - a.count || compare(a.name, b.name));
      if (!values.length) continue;
      const set = el('fieldset', 'search-facet'), list = el('div', 'facet-values');
      set.append(el('legend', null, legend));
      const fill = () => {
        const text = (typed[kind] || '').trim().toLowerCase();
        const fits = values.filter((v, n) => (text ? v.name.toLowerCase().includes(text) : n < FACET_SHOWN || filters[kind].has(v.slug)));
        list.replaceChildren(...fits.map((v) => {
          const label = el('label'), box = el('input');
          Object.assign(box, { type: 'checkbox', id: `facet-${kind}-${v.slug}`, value: v.slug, checked: filters[kind].has(v.slug) });
          box.addEventListener('change', () => toggled(kind, v.slug, box.checked));
          label.append(box, ` ${v.name} `, el('span', 'count', `(${v.count})`));
          return label;
        }));
        const hidden = values.length - fits.length;
        if (!text && hidden) list.append(el('p', 'count', `${hidden} more: type to find them`));
        if (text && !fits.length) list.append(el('p', 'count', 'None'));
      };
      if (values.length > FACET_SHOWN) {
        const find = el('input', 'facet-filter');
        Object.assign(find, { type: 'search', id: `facet-filter-${kind}`, value: typed[kind] || '', placeholder: `Find ${legend.toLowerCase()}`, autocomplete: 'off' });
        find.setAttribute('aria-label', `Find ${legend.toLowerCase()}`);
        find.addEventListener('input', () => ((typed[kind] = find.value), fill()));
        set.append(find);
      }
      fill();
      set.append(list);
      facetsBox.append(set);
    }
    if (focused) $(focused)?.focus();
  }

  /* Loads search/<path> with a <script> tag, which works from file://
   * (fetch does not); the file calls __talkbook(key, payload). */
  function scriptLoader(base) {
    const waiting = new Map();
    window.__talkbook = (key, payload) => waiting.get(key)?.(payload);
    return (path, key) => new Promise((resolve, reject) => {
      const s = document.createElement('script');
      waiting.set(key, (payload) => (waiting.delete(key), resolve(payload)));
      s.src = base + path;
      s.onload = s.onerror = () => {
        s.remove();
        if (waiting.delete(key)) reject(new Error(`cannot load ${base}${path}`));
      };
      document.head.append(s);
    });
  }

  const api = { textRules, analyze, parse, compare, Engine, passes, matcher, marks, nearest };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else if (typeof document === 'object') ui();
})();
