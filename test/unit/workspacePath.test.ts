import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BLOCKING_ACCESS, POOLED_ACCESS } from '../../server/src/workspace/fileAccess';
import { workspacePathProblem } from '../../server/src/workspace/workspacePath';
import { tempWorkspace } from '../helpers/fixtures';

test('a workspace path: relative, inside, and no link on the way (to a folder inside or out), read either way', async () => {
  const ws = tempWorkspace({ 'src/price.ts': 'x\n', 'outside-ish/file.txt': 'x\n' });
  try {
    mkdirSync(join(ws.root, 'test'));
    symlinkSync(join(ws.root, 'outside-ish'), join(ws.root, 'linked'));
    symlinkSync(join(ws.root, 'src/price.ts'), join(ws.root, 'price-link.ts'));
    const cases: [string, string | undefined][] = [
      ['src/price.ts', undefined],
      ['test/price.test.ts', undefined],
      ['new/folder/file.ts', undefined],
      ['./src/../test/x.ts', undefined],
      ['', undefined],
      ['../x', 'is outside the workspace'],
      ['src/../../x', 'is outside the workspace'],
      ['..\\..\\x', 'is outside the workspace'],
      ['/etc/passwd', 'is an absolute path'],
      ['C:\\Windows\\x', 'is an absolute path'],
      ['\\\\server\\share\\x', 'is an absolute path'],
      ['src/a\0b', 'holds a NUL character'],
      ['linked/file.txt', 'is a symbolic link or inside a linked folder, and links are not followed'],
      ['linked/new.ts', 'is a symbolic link or inside a linked folder, and links are not followed'],
      ['price-link.ts', 'is a symbolic link or inside a linked folder, and links are not followed'],
      ['src/price.ts/below', undefined],
    ];
    for (const access of [POOLED_ACCESS, BLOCKING_ACCESS]) {
      for (const [relPath, expected] of cases) assert.equal(await workspacePathProblem(ws.root, relPath, access), expected, JSON.stringify(relPath));
    }
  } finally {
    ws.cleanup();
  }
});
