// The layers of docs/ARCHITECTURE.md as rules, checked on the real imports (type-only imports
// included) by `npm run check:layers`, which .ci/run runs before the tests. Parsed with swc:
// TypeScript 7's native compiler has no JavaScript API for dependency-cruiser to use.
//
//   bot/  worker/                      entry points (composition roots may import prisma/)
//     ↓        ↓
//   adapters/   prisma/                shared platform code; the store's repositories
//     ↓        ↓
//   core/                              use cases, ports, errors, i18n, message descriptors
//     ↓
//   rules/                             rulebook data + pure engine
const COMPOSITION_ROOTS = '^(bot/app[.]ts|bot/console[.]ts|bot/console/app[.]ts|worker/main[.]ts)$';
const PLATFORM_PACKAGES =
  '(^|/)node_modules/(@slack|bullmq|ioredis|@prisma|prisma|pg|pino|dingtalk-stream|express)(/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'rules-is-the-bottom',
      comment: 'rules/ (rulebook data + pure engine) imports only rules/, zod and node built-ins',
      severity: 'error',
      from: { path: '^rules/' },
      to: { pathNot: ['^rules/', '(^|/)node_modules/zod(/|$)', '^node:'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'core-only-on-rules',
      comment:
        'core/ (use cases, ports, i18n, messages) imports only core/, rules/ and zod: no platform, store or queue',
      severity: 'error',
      from: { path: '^core/' },
      to: { pathNot: ['^core/', '^rules/', '(^|/)node_modules/zod(/|$)'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'no-platform-in-core',
      comment: 'core/ and rules/ never see Slack, BullMQ, Redis, Prisma, pg or pino',
      severity: 'error',
      from: { path: '^(core|rules)/' },
      to: { path: PLATFORM_PACKAGES },
    },
    {
      name: 'adapters-below-entry-points',
      comment:
        'adapters/ (messengers, queue producer, clock, configuration) is shared by bot/ and worker/ and imports neither, nor the store',
      severity: 'error',
      from: { path: '^adapters/' },
      to: { path: '^(bot|worker|prisma|test|bench|scripts)/' },
    },
    {
      name: 'prisma-below-entry-points',
      comment:
        'prisma/ (repositories, migrations, seed) implements core ports; it imports no bot, worker or adapters code (its commands read their settings through adapters/config)',
      severity: 'error',
      from: { path: '^prisma/' },
      to: { path: '^(bot|worker|adapters|test|bench|scripts)/', pathNot: '^adapters/config/' },
    },
    {
      name: 'config-is-a-leaf',
      comment:
        'adapters/config parses the environment with zod; it builds no client, so every command can load it first',
      severity: 'error',
      from: { path: '^adapters/config/' },
      to: {
        pathNot: [
          '^adapters/config/',
          '^adapters/queue/queue-prefix[.]ts$',
          '^core/',
          '^rules/',
          '(^|/)node_modules/zod(/|$)',
          '^node:',
        ],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'settings-read-by-commands-only',
      comment:
        'only commands (entry points, migrate/seed, tests, benches, scripts) load settings; everything else is handed the parsed values',
      severity: 'error',
      from: {
        pathNot: [COMPOSITION_ROOTS, '^prisma/(seed|migrate)[.]ts$', '^(test|bench|scripts)/', '^adapters/config/'],
      },
      to: { path: '^adapters/config/load-settings[.]ts$' },
    },
    {
      name: 'bot-not-worker',
      comment: 'the bot and the worker share code through adapters/ and core/, never directly',
      severity: 'error',
      from: { path: '^bot/' },
      to: { path: '^worker/' },
    },
    {
      name: 'worker-not-bot',
      comment: 'the bot and the worker share code through adapters/ and core/, never directly',
      severity: 'error',
      from: { path: '^worker/' },
      to: { path: '^bot/' },
    },
    {
      name: 'store-only-in-composition-roots',
      comment: 'bot/ and worker/ get the store through core ports; only their composition roots build repositories',
      severity: 'error',
      from: { path: '^(bot|worker)/', pathNot: COMPOSITION_ROOTS },
      to: { path: '^prisma/' },
    },
    {
      name: 'scripts-are-not-libraries',
      comment: 'migrate and seed are commands; shared code lives in prisma/repositories or prisma/migrate-runner',
      severity: 'error',
      from: { pathNot: '^(test|bench|scripts)/|^prisma/seed[.]ts$' },
      to: { path: '^prisma/seed[.]ts$' },
    },
    {
      name: 'no-tests-or-benches-in-production',
      severity: 'error',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^prisma/generated/' },
    // conditionNames: packages that only publish an "exports" map (dingtalk-stream) resolve like Node's ESM loader
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json'],
      conditionNames: ['import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
    },
  },
};
