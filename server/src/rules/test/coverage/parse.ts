import { SAXParser } from 'sax';

/** Hits per 1-based line, per file as the report names it. Lines a report omits are not code. */
export type LineHits = Map<string, Map<number, number>>;

/** A coverage report's content: per-file line hits, and where relative paths in it start from. */
export interface ParsedReport {
  files: LineHits;
  /** Cobertura `<source>` folders; relative file names are relative to one of them. */
  sourceRoots: string[];
}

export type ReportFormat = 'lcov' | 'istanbul' | 'cobertura';

export function formatOf(relPath: string): ReportFormat {
  return relPath.endsWith('.json') ? 'istanbul' : relPath.endsWith('.xml') ? 'cobertura' : 'lcov';
}

export function parseReport(format: ReportFormat, text: string): ParsedReport {
  if (format === 'lcov') return { files: parseLcov(text), sourceRoots: [] };
  if (format === 'istanbul') return { files: parseIstanbul(text), sourceRoots: [] };
  return parseCobertura(text);
}

const record = (files: LineHits, file: string, line: number, hits: number) => {
  let lines = files.get(file);
  if (!lines) files.set(file, (lines = new Map()));
  // A line holding several statements is covered when any of them ran.
  lines.set(line, Math.max(lines.get(line) ?? 0, hits));
};

/** lcov tracefiles (`SF:` then `DA:<line>,<hits>` per line), as c8, nyc, jest, vitest, coverage.py and go tools write them. */
export function parseLcov(text: string): LineHits {
  const files: LineHits = new Map();
  let current: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('SF:')) current = line.slice(3);
    else if (line === 'end_of_record') current = undefined;
    else if (current !== undefined && line.startsWith('DA:')) {
      const [lineNumber, hits] = line.slice(3).split(',');
      const n = Number(lineNumber);
      if (Number.isInteger(n) && n > 0) record(files, current, n, Number(hits) || 0);
    }
  }
  return files;
}

interface IstanbulFile {
  path?: string;
  statementMap?: Record<string, { start: { line: number } }>;
  s?: Record<string, number>;
}

/** istanbul's `coverage-final.json`: statements with their start lines and hit counts. */
export function parseIstanbul(text: string): LineHits {
  const files: LineHits = new Map();
  const report = JSON.parse(text) as Record<string, IstanbulFile>;
  for (const [key, file] of Object.entries(report ?? {})) {
    if (!file || typeof file !== 'object' || !file.statementMap || !file.s) continue;
    for (const [id, statement] of Object.entries(file.statementMap)) {
      const line = statement?.start?.line;
      if (Number.isInteger(line) && line > 0) record(files, file.path ?? key, line, Number(file.s[id]) || 0);
    }
  }
  return files;
}

/** Cobertura XML (coverage.py, JaCoCo converters, c8/istanbul's `cobertura` reporter), read as a stream. */
export function parseCobertura(text: string): ParsedReport {
  const files: LineHits = new Map();
  const sourceRoots: string[] = [];
  const parser = new SAXParser(false, { lowercase: true });
  let currentFile: string | undefined;
  let inSource = false;
  let sourceText = '';
  parser.onopentag = (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    if (tag.name === 'class' && attributes.filename) currentFile = attributes.filename;
    else if (tag.name === 'line' && currentFile !== undefined) {
      const n = Number(attributes.number);
      if (Number.isInteger(n) && n > 0) record(files, currentFile, n, Number(attributes.hits) || 0);
    } else if (tag.name === 'source') {
      inSource = true;
      sourceText = '';
    }
  };
  parser.ontext = (chunk) => {
    if (inSource) sourceText += chunk;
  };
  parser.onclosetag = (name) => {
    if (name === 'class') currentFile = undefined;
    if (name === 'source') {
      inSource = false;
      if (sourceText.trim()) sourceRoots.push(sourceText.trim());
    }
  };
  parser.onerror = () => {
    throw new Error('malformed Cobertura XML');
  };
  parser.write(text).close();
  return { files, sourceRoots };
}
