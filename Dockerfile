# syntax=docker/dockerfile:1
# kaoping: one production image for the bot, the worker and the one-shot migrate-and-seed step
# (choose with the command; compose.yaml does). Node 26, the current LTS line. The TypeScript is
# compiled to JavaScript in the build stage (tsc 7, tsconfig.build.json), so the image runs plain
# `node` with production dependencies only: no tsx, no TypeScript, no Prisma CLI, no test tools.
# The build needs the npm registry; the Prisma client is generated without Prisma's engine download
# (scripts/prisma-generate.ts).
ARG NODE_IMAGE=node:26.10.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY prisma ./prisma
COPY scripts ./scripts
# all dependencies; postinstall generates the Prisma client into prisma/generated
RUN npm ci --no-audit --no-fund
COPY rules ./rules
COPY core ./core
COPY adapters ./adapters
COPY bot ./bot
COPY worker ./worker
RUN npx tsc -p tsconfig.build.json \
 && cp -r rules/rulebooks dist/rules/ \
 && cp -r prisma/migrations dist/prisma/

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the postinstall (client generation) needs dev tools; the compiled client is in dist
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
RUN groupadd --system --gid 10001 kaoping \
 && useradd --system --uid 10001 --gid kaoping --create-home --home-dir /home/kaoping \
      --shell /usr/sbin/nologin kaoping
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./
COPY package.json ./
USER kaoping
# 3000: the bot (/slack/events, /healthz, /readyz, /metrics); 3001: the worker in compose.yaml
# (WORKER_PORT: /healthz, /readyz, /metrics)
EXPOSE 3000 3001
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The bot. The worker: ["node", "worker/main.js"]; migrations and seed, once per upgrade:
# ["sh", "-c", "node prisma/migrate.js && node prisma/seed.js"].
CMD ["node", "bot/app.js"]
