import { defineConfig } from 'prisma/config';

// Prisma 7 keeps the connection URL out of schema.prisma. DATABASE_URL defaults to the local
// PostgreSQL that README's quick start assumes.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/kaoping' },
});
