import * as ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
const files: string[] = [];
const walk = (d: string) => { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else if (p.endsWith('.ts')) files.push(p); } };
walk('server/src');
const LEN = 64 * 1024;
const results: [number, string, string, string][] = [];
for (const file of files) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (n: ts.Node) => {
    if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = n.getText(sf);
      const last = text.lastIndexOf('/');
      const source = text.slice(1, last); const flags = text.slice(last + 1);
      let re: RegExp; try { re = new RegExp(source, flags.includes('g') ? flags : flags + 'g'); } catch { return; }
      // Literal fragments of the pattern, and growing concatenations of them (prefixes of a match).
      const frags = source.replace(/\\[sSdDwWbB]/g, ' ').replace(/\\(.)/g, '$1').split(/[\[\]()|*+?{}^$]+/).filter((f) => f.length > 0 && f.length < 40);
      const prefixes = new Set<string>();
      let acc = '';
      for (const f of frags) { acc += f; prefixes.add(acc); prefixes.add(f); }
      for (const p of prefixes) for (const filler of [' ', '\n', 'a', "'", '"', ':', '=', ',']) {
        for (const input of [(p + filler).repeat(Math.ceil(LEN / (p.length + 1))).slice(0, LEN), (p + filler.repeat(LEN)).slice(0, LEN)]) {
          const t = performance.now(); re.lastIndex = 0; let c = 0; while (re.exec(input) && c++ < 1e6) if (re.lastIndex === 0) break; else if (!re.global) break;
          const ms = performance.now() - t;
          if (ms > 40) { results.push([ms, `${file}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`, text.slice(0, 90), JSON.stringify((p + filler).slice(0, 40))]); return; }
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
results.sort((a, b) => b[0] - a[0]);
for (const r of results) console.log(r[0].toFixed(0), r[1], r[2], r[3]);
