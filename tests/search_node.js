// Runs static/search.js's engine under node over a built site's search/
// files, read from disk as a browser would load them (each file calls
// __talkbook(key, payload)). Used by tests/it/search_*.rs and
// `scripts/bench.py search`.
//
//   node tests/search_node.js search <site-output> < queries.json
//     queries.json: [{"q": "...", "filters": {"speaker": ["slug"]}?, "full": bool?}, ...]
//     (`full`, or filters: every hit, as the search page; else as the header
//     box, where one word may be answered by a head)
//     prints [{"total", "hits": [[id, score], ...], "urls": [...] (first 10),
//     "every": whether the notes have every word, "suggestions": [{word, nearest}],
//     "files": the index files loaded for it}, ...]
//   node tests/search_node.js analyze|parse < {"analysis": ..., "inputs": texts}
//     prints what the analyzer or the query parser makes of each text, with
//     the constants of `analysis` (the manifest's)
//   node tests/search_node.js marks < {"analysis": ..., "inputs": [[query, text], ...]}
//     prints each text with the query's words marked: [[text, marked?], ...]
//   node tests/search_node.js bench <site-output> <query>...
//     prints, per query, the bytes a browser downloads (script, manifest,
//     shards, the files of the first 10 results) and the time to rank once
//     loaded.
'use strict';

const fs = require('fs');
const path = require('path');
const search = require('../static/search.js');

const SCRIPT = path.join(__dirname, '..', 'static', 'search.js');

/* An engine over `out`/search/, counting the bytes of every file it loads. */
function engine(out) {
  const loaded = [];
  const load = (file, key) => {
    const name = path.join(out, 'search-index', file.replace(/\?.*$/, ''));
    const text = fs.readFileSync(name, 'utf8');
    loaded.push({ file, bytes: fs.statSync(name).size });
    let payload;
    new Function('__talkbook', text)((k, p) => {
      if (k === key) payload = p;
    });
    if (payload === undefined) throw new Error(`${file} does not call __talkbook(${key})`);
    return payload;
  };
  const e = new search.Engine(load);
  e.loaded = loaded;
  return e;
}

async function runQueries(out) {
  const queries = JSON.parse(fs.readFileSync(0, 'utf8'));
  const e = engine(out);
  const results = [];
  for (const { q, filters, full } of queries) {
    const before = e.loaded.length;
    let { hits, total, every, words } = await e.search(q, full || !!filters);
    const suggestions = await e.suggestions(q);
    if (filters) {
      const facets = await e.facets();
      const sets = {};
      for (const [kind, values] of Object.entries(filters)) sets[kind] = new Set(values);
      hits = hits.filter((h) => search.passes(facets, sets, h.id, null));
      total = hits.length;
    }
    const top = hits.slice(0, 10);
    const docs = await Promise.all(top.map((h) => e.doc(h.id, words)));
    results.push({
      every,
      suggestions,
      total,
      hits: top.map((h) => [h.id, h.score]),
      urls: docs.map((d) => d.u),
      excerpts: docs.map((d) => d.x),
      files: e.loaded.slice(before).map((l) => l.file),
    });
  }
  process.stdout.write(JSON.stringify(results));
}

/* Per query: the bytes a browser downloads for it on a fresh page (script,
 * manifest, shards, the first 10 results' files; also when typed letter by
 * letter from the third on), and the time an update takes once its files
 * are loaded (ranking, then the excerpts of the first 10). */
async function bench(out, queries) {
  const script = fs.statSync(SCRIPT).size;
  const rows = [];
  for (const q of queries) {
    const e = engine(out);
    const found = await e.search(q), { hits, words } = found;
    const docs = await Promise.all(hits.slice(0, 10).map((h) => e.doc(h.id, words)));
    const sum = (re) => e.loaded.filter((l) => re.test(l.file)).reduce((n, l) => n + l.bytes, 0);
    const update = () => {
      const found = e.rank(search.parse(q, e.rules));
      const match = search.matcher(found.words);
      for (const d of docs) search.marks(d.x, match, e.rules), search.marks(d.t, match, e.rules);
    };
    for (let i = 0; i < 5; i++) update();
    const runs = 20, start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) update();
    const ms = Number(process.hrtime.bigint() - start) / 1e6 / runs;
    const typing = engine(out);
    for (let i = Math.min(3, q.length); i <= q.length; i++) {
      const found = await typing.search(q.slice(0, i));
      await Promise.all(found.hits.slice(0, 10).map((h) => typing.doc(h.id, found.words)));
    }
    rows.push({
      q,
      words: words.length,
      results: found.total,
      script,
      manifest: sum(/^manifest/),
      dirs: sum(/^i-/),
      shards: sum(/^[spt]-/),
      shard_files: e.loaded.filter((l) => /^[spt]-/.test(l.file)).length,
      docs: sum(/^docs\//),
      total: script + sum(/./),
      typed_total: script + typing.loaded.reduce((n, l) => n + l.bytes, 0),
      update_ms: ms,
    });
  }
  process.stdout.write(JSON.stringify(rows));
}

/* The analyzer's and the query parser's output for texts read as JSON. */
async function mirror(what) {
  const { analysis, inputs } = JSON.parse(fs.readFileSync(0, 'utf8'));
  const rules = search.textRules(analysis);
  const out = inputs.map((t) => {
    if (what === 'analyze') return search.analyze(t, rules).map((x) => [x.text, x.folded, x.position]);
    if (what === 'marks') return search.marks(t[1], search.matcher(search.parse(t[0], rules)), rules);
    return search.parse(t, rules);
  });
  process.stdout.write(JSON.stringify(out));
}

const [mode, out, ...rest] = process.argv.slice(2);
const modes = {
  search: () => runQueries(out),
  bench: () => bench(out, rest),
  analyze: () => mirror('analyze'),
  parse: () => mirror('parse'),
  marks: () => mirror('marks'),
};
const run = (modes[mode] || (() => Promise.reject(new Error(`unknown mode ${mode}`))))();
run.catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
