/**
 * The pages' static assets, served by the service under /assets/ (same origin, so a Content-Security-Policy of
 * `default-src 'self'` allows them and nothing else): one stylesheet and two small scripts. The scripts only
 * enhance — live filtering of the rule catalogue and polling /reviews.json to refresh the recent reviews — and
 * insert text as text or markup the server escaped. Kept as strings so the build (tsc) ships them without a copy
 * step.
 */

/** Colours chosen for WCAG AA contrast (4.5:1 or more) on their backgrounds. */
const STYLE = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #4f5a66; --bg: #ffffff; --panel: #f4f6f8; --line: #c9d1d9;
  --link: #0b57b0; --error: #a3001b; --warning: #7a4a00; --info: #0b4f8a; --ok: #1a6b2f; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #1f6feb; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem; }
.skip:focus { left: .5rem; }
header.site { background: #16202b; color: #fff; padding: .6rem 1.25rem; display: flex; gap: 2rem; align-items: baseline; flex-wrap: wrap; }
header.site a { color: #fff; }
header.site .brand { font-weight: 700; text-decoration: none; font-size: 1.1rem; }
header.site nav ul { list-style: none; display: flex; gap: 1.25rem; margin: 0; padding: 0; }
header.site nav a[aria-current="page"] { text-decoration-thickness: 3px; }
main { max-width: 78rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
footer.site { max-width: 78rem; margin: 0 auto; padding: 1rem 1.25rem; color: var(--muted); font-size: .875rem; border-top: 1px solid var(--line); }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; }
h3 { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
pre { background: var(--panel); border: 1px solid var(--line); padding: .75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
.muted { color: var(--muted); }
.sev, .status { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: .85rem; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.sev-error, .status-failed, .status-dead { color: var(--error); }
.sev-warning, .status-skipped { color: var(--warning); }
.sev-info, .status-dry-run { color: var(--info); }
.status-done { color: var(--ok); }
.error-text { color: var(--error); overflow-wrap: anywhere; }
td.subject { min-width: 11rem; }
.cards { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0 0 1rem; padding: 0; list-style: none; }
.cards li { background: var(--panel); border: 1px solid var(--line); border-radius: .4rem; padding: .5rem .9rem; min-width: 11rem; }
.cards .label { display: block; color: var(--muted); font-size: .85rem; }
.cards .value { font-size: 1.15rem; font-weight: 600; }
form.filter { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: end; margin: 0 0 1rem; }
form.filter label { display: block; font-weight: 600; font-size: .9rem; }
form.filter input, form.filter select, form.filter button { font: inherit; padding: .3rem .5rem; border: 1px solid #6b7682; border-radius: .25rem; background: #fff; color: var(--fg); }
form.filter button { background: #16202b; color: #fff; border-color: #16202b; cursor: pointer; }
.live { min-height: 1.5rem; color: var(--muted); font-size: .9rem; }
.path { overflow-wrap: break-word; }
.nowrap, #rules th code, td.rule code { white-space: nowrap; }
td.status-cell { min-width: 14rem; }
.readme h1 { font-size: 1.6rem; }
.readme h2 { border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
[hidden] { display: none !important; }
.hljs-keyword, .hljs-selector-tag, .hljs-section { color: #8b1d8b; font-weight: 600; }
.hljs-string, .hljs-regexp { color: #1a6b2f; }
.hljs-number, .hljs-literal { color: #0550ae; }
.hljs-comment, .hljs-quote, .hljs-meta { color: #57606a; font-style: italic; }
.hljs-attr, .hljs-attribute, .hljs-property { color: #6639ba; }
.hljs-title, .hljs-name, .hljs-variable, .hljs-template-variable, .hljs-type { color: #953800; }
.hljs-built_in, .hljs-symbol, .hljs-bullet { color: #0a5d68; }
`;

/** /rules: hides the rows that do not match the filter as the user types (the form works without it, by GET). */
const FILTER_SCRIPT = `
(function () {
  var form = document.getElementById('rule-filter');
  var table = document.getElementById('rules');
  if (!form || !table) return;
  var q = form.elements.namedItem('q');
  var severity = form.elements.namedItem('severity');
  var count = document.getElementById('rule-count');
  function apply() {
    var words = (q.value || '').toLowerCase().split(/\\s+/).filter(Boolean);
    var sev = severity.value;
    var shown = 0;
    var rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var text = (row.getAttribute('data-search') || '').toLowerCase();
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; }) && (!sev || row.getAttribute('data-severity') === sev);
      row.hidden = !ok;
      if (ok) shown++;
    }
    if (count) count.textContent = shown + ' of ' + rows.length + ' rules shown';
  }
  q.addEventListener('input', apply);
  severity.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
  apply();
})();
`;

/**
 * /: polls the JSON endpoint named by the table's data-source and, when its version differs from the page's (the
 * rows or the service status changed), swaps in the server-rendered (escaped) markup it carries. The page itself is never reloaded.
 */
const REFRESH_SCRIPT = `
(function () {
  var body = document.getElementById('recent-rows');
  var status = document.getElementById('service-status');
  var live = document.getElementById('live-status');
  if (!body || !status) return;
  var source = body.getAttribute('data-source') || 'reviews.json';
  var interval = Number(body.getAttribute('data-interval')) || 5000;
  function tick() {
    fetch(source, { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (data) {
        var changed = typeof data.version === 'string' && data.version !== body.getAttribute('data-version');
        if (changed) {
          body.innerHTML = data.rowsHtml;
          status.innerHTML = data.statusHtml;
          body.setAttribute('data-version', data.version);
        }
        if (live) live.textContent = (changed ? 'Reviews updated at ' : 'Checked at ') + new Date().toLocaleTimeString() + '.';
      })
      .catch(function () { if (live) live.textContent = 'The service does not answer; retrying.'; })
      .then(function () { setTimeout(tick, interval); });
  }
  setTimeout(tick, interval);
})();
`;

/** A heart-beat line, so browsers find an icon here instead of asking for a missing /favicon.ico. */
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#16202b"/><path d="M3 17h7l3-8 5 15 3-7h8" fill="none" stroke="#ff6b6b" stroke-width="3" stroke-linejoin="round" stroke-linecap="round"/></svg>
`;

export interface Asset {
  contentType: string;
  body: string;
}

export const ASSETS: Readonly<Record<string, Asset>> = {
  '/assets/style.css': { contentType: 'text/css; charset=utf-8', body: STYLE.trimStart() },
  '/assets/filter.js': { contentType: 'text/javascript; charset=utf-8', body: FILTER_SCRIPT.trimStart() },
  '/assets/icon.svg': { contentType: 'image/svg+xml', body: ICON },
  '/assets/refresh.js': { contentType: 'text/javascript; charset=utf-8', body: REFRESH_SCRIPT.trimStart() },
};
