// The strings of "the reader's own data" (www/i18n/owndata/*.js), fetched only when a reader
// opens one of its panels, so the chapter's first load does not carry them.
import { fill } from './i18n.js';

const TABLES = { en: () => import('../i18n/owndata/en.js'), zh: () => import('../i18n/owndata/zh.js') };

/** Resolves to t(key, vars) for language `lang` ('en' or 'zh'; anything else: English). */
export async function ownStrings(lang) {
  const table = (await (TABLES[lang] ?? TABLES.en)()).default;
  return (key, vars) => {
    const s = table[key];
    if (typeof s !== 'string') throw new Error(`missing string "${key}"`);
    return fill(s, vars);
  };
}
