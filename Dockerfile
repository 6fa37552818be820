# kaoping: one image for the bot, the worker and the score command (choose with the command).
# Build needs network access to the npm registry; `prisma migrate deploy` works in a connected
# build or at start-up, and agrees with prisma/migrate.ts (same _prisma_migrations bookkeeping).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY prisma.config.ts tsconfig.json ./
# postinstall generates the Prisma client into prisma/generated
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run typecheck

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
RUN useradd --system --uid 10001 kaoping
COPY --from=build /app /app
USER kaoping
# HTTP receiver for Slack (/slack/events)
EXPOSE 3000
# Override with `npm run worker`, or `npm run --silent score -- file.json`.
CMD ["sh", "-c", "npm run db:migrate && npm run bot"]
