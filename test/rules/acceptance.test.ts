// Runs the shared acceptance checker (shared/acceptance/check.py) through the real `score`
// command, on the shared examples and on this project's own scenarios in test/acceptance.
// Each scenario starts `npm run score`, so this file takes a few seconds per scenario; the two
// directories are checked concurrently.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHECK = join(ROOT, '../shared/acceptance/check.py');
const hasPython = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;

function check(dir?: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [CHECK, ...(dir ? [dir] : [])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out }));
  });
}

describe.skipIf(!hasPython).concurrent('acceptance scenarios via check.py', () => {
  it('shared examples: 3 passed', { timeout: 300_000 }, async () => {
    const r = await check();
    expect(r.out).toMatch(/^3 passed, 0 failed$/m);
    expect(r.status).toBe(0);
  });

  it('test/acceptance: 7 passed', { timeout: 300_000 }, async () => {
    const r = await check(join(ROOT, 'test/acceptance'));
    expect(r.out).toMatch(/^7 passed, 0 failed$/m);
    expect(r.status).toBe(0);
  });
});
