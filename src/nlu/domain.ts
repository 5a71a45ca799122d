import { readFileSync } from 'node:fs';
import type { LanguageData } from './data.js';

/** Words that by themselves make a question one about medical insurance. */
const CORE =
  '医保 医疗保险 医疗保障 社保 社会保险 参保 缴费 报销 医疗费 医药费 药费 看病 就医 门诊 住院 医院 药店 药 处方 开药 ' +
  '慢性病 备案 结算 定点 异地 新冠 疫情 核酸 抗原 疫苗 救助 生育 津贴 退休 转移 滞纳金 缓缴 补缴 补办 参保人 病 医生 ' +
  '热线 经办 窗口 医保局 医保卡 社保卡 个人账户 透析 编码 诊断 检测 口罩 发热 通知 文号 号文 政策 措施';

/**
 * The domain lexicon: core words, the notice intents' keywords, the user dictionary's terms, the
 * synonyms' canonical terms and the entities' names — all as segmented words.
 */
export function domainLexicon(data: LanguageData, segment: (text: string) => string[]): Set<string> {
  const out = new Set<string>();
  const add = (text: string) => {
    out.add(text);
    for (const w of segment(text)) if (w.length >= 2) out.add(w);
  };
  for (const w of CORE.split(/\s+/)) add(w);
  for (const intent of data.intents) if (intent.kind === 'notice') for (const k of intent.keywords ?? []) add(k);
  for (const canonical of [...Object.keys(data.synonyms.synonyms), ...Object.keys(data.synonyms.typos ?? {})]) add(canonical);
  for (const e of [...data.entities.diseases, ...data.entities.groups]) add(e.name);
  let dict = '';
  try {
    dict = readFileSync(data.userDict, 'utf8');
  } catch {
    dict = '';
  }
  for (const line of dict.split('\n')) {
    const term = line.trim().split(/\s+/)[0];
    if (term) add(term);
  }
  return out;
}
