/**
 * yamlNestingDepth: a cheap, single-pass estimate of how deeply a YAML text nests, so parseYaml can refuse absurd
 * inputs before handing them to the `yaml` package.
 *
 * Why: the yaml package composes recursively. Around 900 levels it overflows the stack (which it catches and
 * reports), but a regular expression that V8 happens to compile for the first time that deep aborts the whole
 * process ("RegExpCompiler Allocation failed"), which no try/catch can stop. Real deployment YAML nests a few
 * levels, tens at most, so refusing anything estimated deeper than a few hundred loses nothing.
 *
 * The estimate, per line: the number of enclosing block indentation levels (an indent stack, as Python's
 * tokenizer keeps), plus compact `- `/`? ` indicators at the start of the line, plus open flow brackets (`[`, `{`)
 * carried over from earlier lines. Quoted strings and comments are skipped on each line. It can over-count (a
 * block scalar whose lines keep indenting further), never by much on real files.
 */

/** Maximum estimated depth, or the first value past `limit` (the scan stops there). */
export function yamlNestingDepth(text: string, limit: number): number {
  const indents: number[] = [];
  let flow = 0;
  let max = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    // Each line is read up to its own end only (`eol`), so a stray quote never sends a search through the rest
    // of the text.
    let eol = text.indexOf('\n', i);
    if (eol === -1) eol = n;
    let indent = 0;
    while (i < eol && text.charCodeAt(i) === 32) {
      indent++;
      i++;
    }
    const c = text.charCodeAt(i);
    if (i >= eol || c === 13 || c === 35 /* # */) {
      i = eol + 1;
      continue;
    }
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
    }
    // Compact nested sequences / complex keys: `- - - x`, `? ? x`.
    let compact = 0;
    for (;;) {
      const d = text.charCodeAt(i);
      const e = text.charCodeAt(i + 1);
      if ((d !== 45 && d !== 63) || (e !== 32 && e !== 9)) break;
      compact++;
      i += 2;
      while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    }
    let lineMax = indents.length + compact + flow;
    // Rest of the line: flow brackets outside quotes and comments.
    while (i < eol) {
      const ch = text.charCodeAt(i);
      if (ch === 91 || ch === 123) {
        flow++;
        if (indents.length + compact + flow > lineMax) {
          lineMax = indents.length + compact + flow;
          if (lineMax > limit) return lineMax;
        }
      } else if ((ch === 93 || ch === 125) && flow > 0) flow--;
      else if (ch === 34 || ch === 39) {
        let close = i + 1;
        while (close < eol && text.charCodeAt(close) !== ch) close++;
        if (close < eol) i = close;
      } else if (ch === 35 && i > 0 && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) {
        break;
      }
      i++;
    }
    if (lineMax > max) {
      max = lineMax;
      if (max > limit) return max;
    }
    i = eol + 1;
  }
  return max;
}
