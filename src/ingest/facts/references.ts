import { phraseAt } from './text.js';
import type { ChannelFact, ClauseText, CodeFact, Draft, UrlFact } from './types.js';

/** ICD-10 style codes (in match form, lower case): `J12.800`, `B97.200`, `Z03.800`. */
const CODE = /(?<![a-z0-9])([a-z]\d{2}\.\d{1,4}|[a-z]\d{2}\.[0-9x]{1,4})(?![a-z0-9])/g;
const CODE_LABEL = /([\u4e00-\u9fa5]{0,6}(?:编码|代码|编号))(?:为|是|:)?\s*$/;

/** Codes with their label: `主要诊断编码为J12.800`, `附加编码为B97.200`. */
export function extractCodes(c: ClauseText): Draft<CodeFact>[] {
  const out: Draft<CodeFact>[] = [];
  for (const m of c.norm.matchAll(CODE)) {
    const start = m.index;
    const end = start + m[0].length;
    const phrase = phraseAt(c.norm, start);
    const label = CODE_LABEL.exec(c.norm.slice(phrase.start, start));
    const labelText = label?.[1] ? c.quote.slice(start - label[0].length, start - label[0].length + label[1].length) : null;
    out.push({ type: 'code', start, end, code: c.quote.slice(start, end).toUpperCase(), label: labelText });
  }
  return out;
}

const URL = /(?:https?:\/\/|www\.)[a-z0-9\-._~:/?#[\]@!$&'*+=%]+[a-z0-9/#=]/g;

export function extractUrls(c: ClauseText): Draft<UrlFact>[] {
  return [...c.norm.matchAll(URL)].map((m) => ({
    type: 'url' as const,
    start: m.index,
    end: m.index + m[0].length,
    url: c.quote.slice(m.index, m.index + m[0].length),
  }));
}

const FORM: [RegExp, ChannelFact['form']][] = [
  [/app$|客户端$/, 'app'],
  [/小程序$/, 'mini-program'],
  [/公众号$/, 'official-account'],
  [/网站$|网$|网厅$|网上办事大厅$/, 'website'],
  [/平台$|办事通$/, 'platform'],
];

const CHANNEL_WORD = /平台|app|公众号|小程序|网上服务|网厅|办事大厅|办事通|客户端|服务号|支付宝|微信|政务服务网/;
const SUFFIXED =
  /([\u4e00-\u9fa5a-z]{2,14}?)(app|客户端|微信小程序|小程序|微信公众号|公众号|服务平台|网上服务平台|政务服务网|网上办事大厅|网厅)(?![a-z])/g;
const QUOTED = /[“"「]([^”"」\n]{2,24})[”"」]\s*(app|客户端|微信小程序|小程序|微信公众号|公众号|服务号|网站|平台)?/g;
const LEAD = /^(?:通过|使用|下载|关注|登录|登陆|进入|在|或|及|和|与|等|可|可以|也可|线上|手机|利用|的)+/;
const GENERIC = /^(?:手机|微信|支付宝|线上|网上|官方|相关|各类|多种|移动)?(?:微信)?(?:公众号|小程序|app|客户端|网厅)?$/;
/** Words that end the text before a channel's name: `可通过关注|微信公众号`, `全部在|医保网厅`. */
const BOUNDARY = /.*(?:通过|关注|使用|下载|登录|登陆|进入|打开|搜索|点击|利用|在|请|或|及|和|与|等|可|到|向)/;

/**
 * Named service channels: quoted names that name a platform (`“一部手机办事通”`, `“内蒙古税务社保缴费”小程序`),
 * names with a channel suffix (`国家医保服务平台APP`, `蒙速办APP`), and quoted names listed together with
 * them as channels (`“支付宝市民中心”、“蒙速办”等缴费渠道`).
 */
export function extractChannels(c: ClauseText): Draft<ChannelFact>[] {
  const out: Draft<ChannelFact>[] = [];
  const seen = new Set<string>();
  const add = (start: number, end: number, nameNorm: string, suffix: string) => {
    const key = nameNorm.replace(/app$/, '');
    if (seen.has(key) || GENERIC.test(nameNorm)) return;
    seen.add(key);
    const form = FORM.find(([re]) => re.test(nameNorm + suffix))?.[1] ?? 'other';
    out.push({ type: 'channel', start, end, name: c.quote.slice(start, end), form });
  };

  for (const m of c.norm.matchAll(QUOTED)) {
    const name = m[1] ?? '';
    const suffix = m[2] ?? '';
    const listed = /^[、,\s]*(?:“|")|^(?:[、,]\s*[“"][^”"]*[”"])*\s*等?[^,。;]{0,6}(?:渠道|平台|途径|方式)/.test(
      c.norm.slice(m.index + m[0].length),
    );
    const prefix = /(公众号|小程序|app|平台)\s*$/.exec(c.norm.slice(Math.max(0, m.index - 6), m.index))?.[1] ?? '';
    if (!suffix && !CHANNEL_WORD.test(name) && !listed && !prefix) continue;
    if (!suffix && !CHANNEL_WORD.test(name) && !prefix && !/渠道|平台|途径|app|小程序/.test(c.norm.slice(m.index, m.index + 60))) continue;
    const start = m.index + 1;
    add(start, start + name.length, name, suffix || prefix);
  }
  for (const m of c.norm.matchAll(SUFFIXED)) {
    const phrase = phraseAt(c.norm, m.index);
    const full = m[0];
    const lead = LEAD.exec(full)?.[0].length ?? 0;
    let start = m.index + lead;
    const piece = c.norm.slice(Math.max(phrase.start, start), m.index + full.length);
    const lastSep = Math.max(piece.lastIndexOf('、'), piece.lastIndexOf('”'), piece.lastIndexOf('“'));
    if (lastSep >= 0) start = Math.max(phrase.start, start) + lastSep + 1;
    const end = m.index + full.length;
    const nameNorm = c.norm.slice(start, end).replace(BOUNDARY, '').replace(LEAD, '');
    start = end - nameNorm.length;
    if (nameNorm.length < 3) continue;
    add(start, end, nameNorm, '');
  }
  return out.sort((a, b) => a.start - b.start);
}
