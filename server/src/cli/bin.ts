import { join } from 'node:path';
import { requireCompiled } from '../engine/compileCache';

// The executable: the CLI's body (dist/cli-main.js, built from process.ts) loaded with V8's code
// cache, which a short run would otherwise spend a tenth of its time compiling.
requireCompiled(join(__dirname, 'cli-main.js'));
