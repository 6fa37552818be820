import { localized, type LocalizedParam } from '../../i18n/t.ts';

/** Units as a list in each language (、 in Chinese, commas in English), for an error's {detail}. */
export function unitList(units: readonly string[]): LocalizedParam {
  const sep = localized('msg.common.listSeparator');
  return { 'zh-CN': units.join(sep['zh-CN']), en: units.join(sep.en) };
}
