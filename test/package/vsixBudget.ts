/**
 * What the .vsix may weigh: 13.5 MB now. Biome's WebAssembly, for flag removals in projects that
 * format with Biome, is 11.3 MB of it compressed (45 MB unpacked); Prettier and the PostgreSQL parser
 * most of the rest. A dependency that adds megabytes more fails the package test; the benchmark
 * reports the size against it.
 */
export const VSIX_BUDGET_BYTES = 14.5 * 1024 * 1024;
