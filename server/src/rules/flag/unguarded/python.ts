import type { SourceDocument } from '../../../engine/document';
import { detectByPattern } from '../detect/patterns';

export interface PythonFeature {
  /** 0-based line of the decorator or `path(...)` call. */
  line: number;
  label: string;
}

const ROUTE_DECORATOR = /^\s*@\w+(?:\.\w+)*\.(get|post|put|patch|delete|route|api_route|websocket)\(\s*(?:[rbuf]?["']([^"']*)["'])?/;
const DJANGO_PATH = /^\s*(?:re_)?path\(\s*[rbuf]?["']([^"']*)["']/;

/**
 * New Python routes, by pattern: FastAPI and Flask decorators (`@app.get("/x")`, `@bp.route`) and
 * Django `path(...)` in `urls.py`. A route is guarded when the function under the decorator checks
 * a flag with an SDK the file imports, before its body ends.
 */
export function pythonFeatures(doc: SourceDocument, newLines: Set<number>): PythonFeature[] {
  // The document's own lines (a lone \r breaks one too), so line numbers match its positions.
  const lines = doc.lines;
  const flagLines = new Set(detectByPattern(doc.text).references.map((r) => doc.positionAt(r.start).line));
  const features: PythonFeature[] = [];
  const isUrls = /(^|\/)urls\.py$/.test(doc.relPath);
  for (let i = 0; i < lines.length; i++) {
    if (!newLines.has(i)) continue;
    const django = isUrls ? DJANGO_PATH.exec(lines[i]) : null;
    if (django) {
      features.push({ line: i, label: `route ${django[1] || '/'}` });
      continue;
    }
    const route = ROUTE_DECORATOR.exec(lines[i]);
    if (!route) continue;
    const def = lines.findIndex((line, j) => j > i && /^\s*(async\s+)?def\s/.test(line));
    if (def < 0) continue;
    const indent = /^\s*/.exec(lines[def])![0].length;
    let end = def + 1;
    while (end < lines.length && (lines[end].trim() === '' || /^\s*/.exec(lines[end])![0].length > indent)) end++;
    const guarded = [...flagLines].some((line) => line > def && line < end);
    if (!guarded) features.push({ line: i, label: `route ${route[1].toUpperCase()} ${route[2] ?? ''}`.trim() });
  }
  return features;
}
