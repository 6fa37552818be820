import pino from 'pino';
import { settingsFor } from '../../adapters/config/load-settings.ts';
import { createDingTalkBot } from '../../bot/dingtalk/create-dingtalk-bot.ts';
import { OpenFormsRepository } from '../../prisma/repositories/open-forms.repository.ts';
import { createCoreFixture, type CoreFixture } from './core-fixture.ts';
import { FakeDingTalkApi } from './dingtalk-fake-api.ts';
import { cardHeaders, post, robotHeaders } from './dingtalk-requests.ts';

export const CARD_API_SECRET = 'kaoping-card-callback-secret';

/**
 * The real DingTalk bot (HTTP callback mode) on a loopback port, a fake DingTalk API recording
 * every call, and a fresh migrated PostgreSQL database with core's use cases — nothing of ours
 * is mocked.
 */
export async function startDingTalkHarness(opts: { now?: string; fx?: CoreFixture } = {}) {
  // a given fixture (another bot on the same database) is the caller's to drop
  const fx = opts.fx ?? (await createCoreFixture(opts.now ? { now: opts.now } : {}));
  const api = await FakeDingTalkApi.start();
  const logger = pino({ level: settingsFor('test').test.logLevel });
  const config = {
    appKey: api.appKey,
    appSecret: api.appSecret,
    robotCode: api.appKey,
    cardTemplateId: 'kaoping-card.schema',
    mode: 'http' as const,
    apiBaseUrl: api.url,
    oapiBaseUrl: api.url,
    cardApiSecret: CARD_API_SECRET,
    cardCallbackRouteKey: 'kaoping',
    processBeforeResponse: true,
  };
  const deps = { ...fx.assessment, logger, defaultLocale: 'zh-CN' as const };
  const ports = { openForms: new OpenFormsRepository(fx.prisma) };
  const bot = createDingTalkBot(deps, config, ports);
  const base = (await bot.start(0, '127.0.0.1'))!;

  /** A DingTalk member bound to a role (and unit) in the store. */
  async function member(userId: string, role: 'organiser' | 'inspector' | 'unit_contact', unit?: string) {
    await fx.prisma.member.create({
      data: {
        identities: { create: { platform: 'dingtalk', externalId: userId } },
        role,
        ...(unit ? { unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: unit } } } } : {}),
      },
    });
  }

  return {
    fx,
    api,
    bot,
    base,
    config,
    deps,
    ports,
    member,
    /** A robot message, signed with the app secret (override headers to sign it wrongly). */
    send: (body: unknown, headers: Record<string, string> = robotHeaders(api.appSecret)) =>
      post(`${base}/dingtalk/robot`, headers, body),
    press: (body: unknown, headers: Record<string, string> = cardHeaders(CARD_API_SECRET)) =>
      post(`${base}/dingtalk/card`, headers, body),
    async close() {
      await bot.stop();
      await api.close();
      if (!opts.fx) await fx.drop();
    },
  };
}
