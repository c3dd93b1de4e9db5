/**
 * Biome in a worker thread of its own (dist/biome-worker.js): compiling its 45 MB of WebAssembly
 * and formatting run beside the analysis that decides what to format, on the machine's other core
 * (see biomeThread.ts). One Biome serves every configuration: each is a project in it (a folder
 * of its own), by its JSON.
 */
import { parentPort } from 'node:worker_threads';
import type { Biome, Configuration } from '@biomejs/js-api/nodejs';
import type { BiomeReply, BiomeRequest } from './biomeThread';

// Loaded as the thread starts, before it is asked anything: Biome compiles while the removal is
// still deciding what to format. Requests wait in the thread's queue until it is loaded.
const biome: Biome = new (require('./biomeBundle') as typeof import('./biomeBundle')).Biome();
const projects = new Map<string, number | { reason: string }>();
let opened = 0;

parentPort?.on('message', (request: BiomeRequest) => parentPort!.postMessage(answer(request)));

function answer(request: BiomeRequest): BiomeReply {
  try {
    const project = openProject(request.configuration);
    if (typeof project !== 'number') return { id: request.id, refused: project.reason };
    if (request.text === undefined) return { id: request.id };
    const result = biome.formatContent(project, request.text, { filePath: request.filePath ?? 'file.ts' });
    // A file Biome cannot parse comes back as it was, with the syntax error.
    const error = result.diagnostics.find((d) => d.severity === 'error' || d.severity === 'fatal');
    if (error) return { id: request.id, failed: `Biome cannot parse the file: ${String(error.description ?? '').split('\n')[0]}` };
    return { id: request.id, content: result.content };
  } catch (error) {
    return { id: request.id, failed: `Biome failed on the file${wasmMessage(error)}` };
  }
}

/** A configuration Biome refuses is remembered as refused: it opens no second project. */
function openProject(configuration: string): number | { reason: string } {
  let project = projects.get(configuration);
  if (project === undefined) {
    const key = biome.openProject(`/${opened++}`).projectKey;
    try {
      biome.applyConfiguration(key, JSON.parse(configuration) as Configuration);
      project = key;
    } catch (error) {
      project = { reason: `Biome does not accept the configuration${wasmMessage(error)}` };
    }
    projects.set(configuration, project);
  }
  return project;
}

/** The API's error wraps what the WebAssembly threw, which may carry Biome's message. */
function wasmMessage(error: unknown): string {
  const thrown = (error as { stackTrace?: unknown }).stackTrace ?? error;
  const text = (thrown instanceof Error ? thrown.message : typeof thrown === 'string' ? thrown : '').replace(/^Error: /, '');
  return text ? ` (${text.split('\n')[0].slice(0, 120)})` : '';
}
