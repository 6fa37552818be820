// The commands themselves, spawned: a wrong setting stops them before they connect to anything,
// with exit code 2 and a report naming each variable — never a secret's value.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { environmentWith } from '../../adapters/config/load-settings.ts';
import { repoRoot } from '../support/slack-requests.ts';

const SECRET = 'S3CRET-never-printed';

function npmRun(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: repoRoot,
      env: environmentWith(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a command with a wrong setting', () => {
  it('npm run worker exits 2 and names every wrong variable', async () => {
    const r = await npmRun('worker', {
      KAOPING_MESSENGER: 'slack',
      SLACK_BOT_TOKEN: '',
      KAOPING_PUBLISH: 'everyone',
      REDIS_URL: `redis-host:6379/${SECRET}`,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      [
        'kaoping worker: 3 settings are wrong:',
        '  REDIS_URL: must be a redis:// or rediss:// URL; e.g. REDIS_URL=redis://127.0.0.1:6379',
        '  KAOPING_PUBLISH: takes advanced, own or none, comma-separated (got "everyone"); e.g. KAOPING_PUBLISH=advanced',
        '  SLACK_BOT_TOKEN: is not set (or run with KAOPING_MESSENGER=console to print messages here); e.g. SLACK_BOT_TOKEN=xoxb-…',
        'See "Configuration" in README.md.',
        '',
      ].join('\n'),
    );
    expect(r.stdout).toBe('');
  }, 120_000);

  it('npm run bot exits 2 without printing the secret it refused', async () => {
    const r = await npmRun('bot', {
      SLACK_BOT_TOKEN: `xoxp-${SECRET}`,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_SOCKET_MODE: '',
      PORT: 'eighty',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('kaoping bot: 2 settings are wrong:');
    expect(r.stderr).toContain(
      '  SLACK_BOT_TOKEN: must start with xoxb- (the Bot User OAuth Token); e.g. SLACK_BOT_TOKEN=xoxb-…',
    );
    expect(r.stderr).toContain('  PORT: must be a whole number from 0 to 65535 (got "eighty"); e.g. PORT=8080');
    expect(r.stderr + r.stdout).not.toContain(SECRET);
  }, 120_000);
});
