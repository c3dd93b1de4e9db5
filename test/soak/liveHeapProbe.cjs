// Preloaded into the soak's language server (NODE_OPTIONS --require), never into the product: on
// SIGUSR2 the server collects its garbage fully and appends its live heap's size to the file
// named by DEPLOYRISK_SOAK_HEAP_FILE. Resident memory alone cannot tell a slow leak from heap
// room V8 keeps; the live heap after a full collection can, whenever it is read.
'use strict';
const file = process.env.DEPLOYRISK_SOAK_HEAP_FILE;
// The scan processes the server starts run the same bundle (with --deployrisk-scan) and inherit the preload.
if (file && !process.argv.includes('--deployrisk-scan')) {
  const { appendFileSync } = require('node:fs');
  const v8 = require('node:v8');
  v8.setFlagsFromString('--expose-gc');
  const gc = require('node:vm').runInNewContext('gc');
  process.on('SIGUSR2', () => {
    gc();
    appendFileSync(file, `${v8.getHeapStatistics().used_heap_size}\n`);
  });
}
