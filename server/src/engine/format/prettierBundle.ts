/**
 * Prettier's standalone build and the plugins that print TS/JS: 4 MB of JavaScript, bundled into
 * a file of its own (dist/prettier.js, scripts/build.mjs) that is loaded the first time a removal
 * formats a file, so a start of the CLI or the server does not parse it.
 */
export const prettier = require('prettier/standalone') as typeof import('prettier/standalone');
export const estree = require('prettier/plugins/estree');
export const typescript = require('prettier/plugins/typescript');
export const babel = require('prettier/plugins/babel');
