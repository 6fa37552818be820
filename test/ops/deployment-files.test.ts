import { readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';

// No container engine runs on the build machines, so the Dockerfile and compose.yaml are checked
// here: the Dockerfile by the Docker language server's validator (dockerfile-utils) and by the
// rules an IT department relies on; compose.yaml by dclint (npm run lint:deploy) and below.

const dockerfile = readFileSync('Dockerfile', 'utf8');
const parsed = DockerfileParser.parse(dockerfile);
const compose = parseYaml(readFileSync('compose.yaml', 'utf8'), { merge: true }) as {
  services: Record<string, Record<string, any>>;
  volumes: Record<string, unknown>;
};
const ci = readFileSync('.ci/run', 'utf8');

describe('Dockerfile', () => {
  it('has no validator diagnostics, not even warnings', () => {
    expect(validate(dockerfile).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds on a pinned Node LTS image, the same version CI tests on', () => {
    const image = /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)-bookworm-slim$/m.exec(dockerfile)?.[1];
    expect(image).toBeDefined();
    expect(ci).toContain(`NODE_LTS=${image}\n`);
    expect(Number(image!.split('.')[0]) % 2).toBe(0); // even majors are the LTS lines
  });

  it('runs compiled JavaScript as a non-root user with a home, with production dependencies only', () => {
    const instructions = parsed.getInstructions();
    const finalStart = parsed.getFROMs().at(-1)!.getRange().start.line;
    const final = instructions.filter((i) => i.getRange().start.line >= finalStart);
    const user = final.filter((i) => i.getKeyword() === 'USER').map((i) => i.getArgumentsContent());
    expect(user).toEqual(['kaoping']);
    expect(dockerfile).toMatch(/useradd [^\n]*--create-home --home-dir \/home\/kaoping/);
    expect(dockerfile).toContain('npm ci --omit=dev');
    const cmd = final.find((i) => i.getKeyword() === 'CMD')!.getArgumentsContent() ?? '';
    expect(cmd).toContain('"node", "bot/app.js"');
    expect(cmd).not.toMatch(/tsx|npm/);
    // nothing but the compiled output, node_modules and package.json reaches the final stage
    const copies = final.filter((i) => i.getKeyword() === 'COPY').map((i) => i.getArgumentsContent());
    expect(copies).toEqual(['/app/node_modules ./node_modules', '/app/dist ./', 'package.json ./']);
    expect(dockerfile).toContain('COPY --from=production-dependencies /app/node_modules ./node_modules');
    expect(dockerfile).toContain('COPY --from=build /app/dist ./');
    expect(final.some((i) => i.getKeyword() === 'HEALTHCHECK')).toBe(true);
  });

  it('.dockerignore keeps secrets, tests and local builds out of the context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n');
    for (const p of ['**/node_modules', '.env', '.env.*', 'test', 'dist', '.git', 'secrets'])
      expect(ignored, p).toContain(p);
  });
});

describe('compose.yaml', () => {
  const { services } = compose;

  it('has PostgreSQL, Redis, a one-shot migrate, the bot and the worker, each long-running one with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['bot', 'migrate', 'postgres', 'redis', 'worker']);
    for (const name of ['postgres', 'redis', 'bot', 'worker']) {
      expect(services[name]!.healthcheck?.test, name).toBeDefined();
      expect(services[name]!.restart, name).toBe('unless-stopped');
    }
    expect(services.migrate!.restart).toBe('no');
    expect(services.migrate!.command.join(' ')).toBe('sh -c node prisma/migrate.js && node prisma/seed.js');
  });

  it('migrates as the owner once; the bot and the worker start after it, as the application role', () => {
    expect(services.migrate!.environment.DATABASE_URL).toMatch(/^postgresql:\/\/kaoping_owner:/);
    for (const name of ['bot', 'worker']) {
      expect(services[name]!.depends_on.migrate.condition).toBe('service_completed_successfully');
      expect(services[name]!.environment.DATABASE_URL).toMatch(/^postgresql:\/\/kaoping_service:/);
    }
    const init = readFileSync('deploy/postgres/10-application-role.sh', 'utf8');
    expect(init).toContain('CREATE ROLE kaoping_service LOGIN PASSWORD');
    expect(init).toContain('IN ROLE kaoping_app');
  });

  it("keeps data in volumes and publishes nothing beyond the host's loopback", () => {
    expect(Object.keys(compose.volumes).sort()).toEqual(['postgres-data', 'redis-data']);
    expect(services.postgres!.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(services.redis!.volumes).toContain('redis-data:/data');
    for (const [name, service] of Object.entries(services))
      for (const port of (service.ports ?? []) as string[]) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    expect(services.bot!.ports).toHaveLength(1);
  });

  it('takes every secret from .env, none written in the file', () => {
    const text = readFileSync('compose.yaml', 'utf8');
    for (const v of [
      'KAOPING_DB_OWNER_PASSWORD',
      'KAOPING_DB_APP_PASSWORD',
      'REDIS_PASSWORD',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
    ])
      expect(text, v).toContain(`\${${v}:?set in .env}`);
  });
});
