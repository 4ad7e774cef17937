// A self-contained query page for /graphql in a browser. Hospital networks are often closed to the
// internet, so it loads nothing from a CDN: one HTML document with inline script and style, which its
// Content-Security-Policy allows by their SHA-256 hashes (nothing else runs, nothing is loaded).
import { createHash } from 'node:crypto';

const EXPLORER_STYLE = `
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; display: grid; grid-template-rows: auto 1fr; height: 100vh; }
  header { padding: 8px 12px; background: #0b5c4a; color: #fff; display: flex; gap: 8px; align-items: center; }
  header input { flex: 1; font: inherit; padding: 4px; }
  main { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; padding: 8px; min-height: 0; }
  section { display: grid; grid-template-rows: 2fr auto 1fr; gap: 4px; min-height: 0; }
  textarea, pre { font: 13px/1.4 ui-monospace, monospace; width: 100%; box-sizing: border-box; margin: 0; }
  pre { background: #f6f8f7; overflow: auto; padding: 8px; border: 1px solid #ccc; }
  button { font: inherit; padding: 4px 16px; }
`;

const EXPLORER_SCRIPT = `
  const $ = (id) => document.getElementById(id);
  // Session storage: the token is gone when the tab closes, and never sits on a shared screen's disk.
  $('token').value = sessionStorage.getItem('gateway-token') || '';
  async function run() {
    sessionStorage.setItem('gateway-token', $('token').value.trim());
    let variables = {};
    try { variables = $('variables').value.trim() ? JSON.parse($('variables').value) : {}; }
    catch (e) { $('result').textContent = 'Variables are not valid JSON: ' + e.message; return; }
    $('result').textContent = '…';
    const response = await fetch(location.pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + $('token').value.trim() },
      body: JSON.stringify({ query: $('query').value, variables }),
    });
    $('result').textContent = 'HTTP ' + response.status + '\\n' + JSON.stringify(await response.json(), null, 2);
  }
  $('run').onclick = run;
  document.addEventListener('keydown', (e) => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') run(); });
`;

export const EXPLORER_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>县域医共体 GraphQL gateway</title>
<link rel="icon" href="data:,">
<style>${EXPLORER_STYLE}</style>
</head>
<body>
<header>
  <strong>GraphQL</strong>
  <input id="token" placeholder="Bearer token (the gateway prints demo tokens at start; npm run token issues one)">
  <button id="run">Run ▶</button>
</header>
<main>
  <section>
    <textarea id="query" spellcheck="false">query GroupList($first: Int) {
  countyGroups(first: $first) {
    totalCount
    edges { node { code name region { code name } lead { name } memberCount } }
  }
}</textarea>
    <label>Variables (JSON)</label>
    <textarea id="variables" spellcheck="false">{ "first": 10 }</textarea>
  </section>
  <pre id="result">Results appear here. The schema is in schema/schema.graphql.</pre>
</main>
<script>${EXPLORER_SCRIPT}</script>
</body>
</html>`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page's CSP directives: its own script and style, requests to its own origin, no framing. */
export const EXPLORER_CSP_DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'none'"],
  'script-src': [hash(EXPLORER_SCRIPT)],
  'style-src': [hash(EXPLORER_STYLE)],
  'connect-src': ["'self'"],
  'img-src': ['data:'],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};
