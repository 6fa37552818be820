// npm run db:generate — `prisma generate` that works without internet.
//
// The Prisma 7 CLI downloads its native schema-engine binary at start-up, even for `generate`,
// which does not use it. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any executable file skips the
// download; we use the running Node binary, which exists on every platform. A value the user set
// (e.g. a real engine on a connected machine) is respected.
//
// The client is written to prisma/generated (gitignored). To keep `npm test` quick and to avoid
// rewriting files under other processes' feet, generation is skipped when prisma/generated was
// produced from the same schema.prisma by the same Prisma version; `--force` regenerates anyway.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = join(root, 'prisma', 'schema.prisma');
const outputDir = join(root, 'prisma', 'generated');
const stampPath = join(outputDir, '.generated-from.json');

const require = createRequire(join(root, 'package.json'));

function prismaCli(): { entry: string; version: string } {
  const pkgPath = require.resolve('prisma/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string; bin: { prisma: string } };
  return { entry: join(dirname(pkgPath), pkg.bin.prisma), version: pkg.version };
}

interface Stamp {
  schemaSha256: string;
  prismaVersion: string;
}

function isUpToDate(want: Stamp): boolean {
  if (!existsSync(stampPath) || !existsSync(join(outputDir, 'client.ts'))) return false;
  try {
    const have = JSON.parse(readFileSync(stampPath, 'utf8')) as Partial<Stamp>;
    return have.schemaSha256 === want.schemaSha256 && have.prismaVersion === want.prismaVersion;
  } catch {
    return false;
  }
}

function main(): number {
  const force = process.argv.includes('--force') || process.env.KAOPING_FORCE_GENERATE === '1';
  const cli = prismaCli();
  const want: Stamp = {
    schemaSha256: createHash('sha256').update(readFileSync(schemaPath)).digest('hex'),
    prismaVersion: cli.version,
  };
  if (!force && isUpToDate(want)) {
    console.log(
      `prisma client in ${relative(root, outputDir)} is up to date (schema unchanged, prisma ${cli.version}); --force regenerates`,
    );
    return 0;
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
    // no update check / telemetry round trips (they would wait on the network here)
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  };
  const result = spawnSync(process.execPath, [cli.entry, 'generate', '--schema', schemaPath], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (result.error) {
    console.error(`could not run prisma generate: ${result.error.message}`);
    return 1;
  }
  if (result.status !== 0) {
    console.error(`prisma generate failed (exit ${result.status ?? result.signal})`);
    return result.status ?? 1;
  }
  if (!existsSync(join(outputDir, 'client.ts'))) {
    console.error(
      `prisma generate succeeded but ${relative(root, join(outputDir, 'client.ts'))} is missing; check the generator output in schema.prisma`,
    );
    return 1;
  }
  writeFileSync(stampPath, `${JSON.stringify(want, null, 2)}\n`);
  return 0;
}

process.exitCode = main();
