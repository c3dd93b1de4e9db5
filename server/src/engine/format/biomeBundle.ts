/**
 * Biome's JavaScript API over its Node.js WebAssembly build, bundled into a file of its own
 * (dist/biome.js, with dist/biome_wasm_bg.wasm beside it: scripts/build.mjs) that is loaded the
 * first time a removal formats a file of a project that formats with Biome.
 */
export const { Biome } = require('@biomejs/js-api/nodejs') as typeof import('@biomejs/js-api/nodejs');
