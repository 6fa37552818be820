import { defineConfig } from 'prisma/config';

// Prisma 7 keeps the connection URL out of schema.prisma. DATABASE_URL defaults to the local
// PostgreSQL that README's quick start assumes. Stand-alone on purpose (the Prisma CLI loads this
// file by itself), so it reads process.env directly, with adapters/config's rule: a blank value
// is unset.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  datasource: { url: process.env.DATABASE_URL?.trim() || 'postgresql://postgres@127.0.0.1:5432/kaoping' },
});
