import { parseNumber } from './numerals.js';

/**
 * Recognisers for the parts of a notice's letterhead and footer, run on text in match form (Simplified,
 * width-folded). Shared by metadata inference and clause splitting.
 */

/** What a body is about: 医疗保障局 is 医疗保障 + 局, 社会保险事业管理中心 is 社会保险 + 事业管理中心. */
const DOMAINS = [
  '医疗保障',
  '医疗保险',
  '医保',
  '社会保险',
  '社保',
  '人力资源和社会保障',
  '人力资源社会保障',
  '人社',
  '财政',
  '税务',
  '卫生健康',
  '卫生和计划生育',
  '卫健',
  '民政',
  '发展和改革',
  '发展改革',
  '市场监督管理',
  '药品监督管理',
  '退役军人事务',
  '乡村振兴',
  '新闻',
].sort((a, b) => b.length - a.length);
/** What kind of body: 局, 厅, 中心, 事业管理中心, 经办处, 委员会 … and its 办公室. */
const UNIT = '(?:事业|事务|服务|经办|管理|基金管理|结算|征收)*(?:中心|总局|分局|局|厅|委员会|委|处|办公室)(?:办公室|办公厅)?';
const AGENCY = `(?:人民政府(?:办公厅|办公室)?|(?:${DOMAINS.join('|')})${UNIT})`;
/** A ministry, which names no place: 财政部, 人力资源社会保障部(办公厅); not 医保部门. */
const MINISTRY = '(?:财政|民政|人力资源和社会保障|人力资源社会保障|人社|卫生|审计)部(?!门)(?:办公厅|办公室)?';

/** `国家税务总局` before a local bureau (国家税务总局宁波市税务局): one body. */
const VERTICAL = '(?:国家[\\u4e00-\\u9fa5]{1,8}?总局)?';
/** A character of a place name: any but one that starts an agency (so 省医疗保障局会同省财政厅 is two bodies). */
const NAME_CHAR = `(?:(?!${AGENCY})[\\u4e00-\\u9fa5])`;
const PLACE = `(?:国家|${NAME_CHAR}{2,12}?(?:特别行政区|自治区|自治州|地区|省|市|州|盟|县|区|旗))`;
/** A body of a place only named by its level (市医保局, 省医疗保障局), as press reports write it. */
const RELATIVE = '(?:自治区|自治州|[市省区县州])';
/**
 * An issuing body: one or two place names, then an agency; a relative one (市医保局); or a ministry. The
 * place part is only a shape here: what precedes the agency may be a sentence's words (日从市医保局), and
 * the metadata inference keeps the part that is a place.
 */
const ORG_RE = new RegExp(`${RELATIVE}${AGENCY}|${VERTICAL}${PLACE}(?:${NAME_CHAR}{1,6}?(?:市|县|区|旗))?${AGENCY}|${MINISTRY}`, 'g');
const RELATIVE_BODY = new RegExp(`^(${RELATIVE})${AGENCY}$`);

/**
 * The level a body is named by, when it is named by its level only, as press reports write it: `市` for
 * 市医保局, `省` for 省医疗保障局, `自治区` for 自治区医保局; else null.
 */
export function relativeLevel(text: string): string | null {
  return RELATIVE_BODY.exec(text)?.[1] ?? null;
}

/** Words that are not part of a name but can stand right before one. */
const LEADING_WORDS = /^(?:根据|按照|依据|经过|经|由|对|将|为|关于|在|是|和|与|及|向|会同|联合|印发|转发)+/;

export interface Span {
  text: string;
  index: number;
}

/** Issuing bodies named in a text (match form), without leading function words (`根据陕西省…` → `陕西省…`). */
export function findOrgs(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(ORG_RE)) {
    const lead = LEADING_WORDS.exec(m[0])?.[0].length ?? 0;
    const name = m[0].slice(lead);
    if (name.includes('各')) continue;
    out.push({ text: name, index: m.index + lead });
  }
  return out;
}

/** A paragraph that is only issuing bodies (one or several, separated by 、，or spaces). */
export function isOrgLine(text: string): boolean {
  const orgs = findOrgs(text);
  if (orgs.length === 0) return false;
  let rest = text;
  for (const o of orgs) rest = rest.replace(o.text, '');
  return /^[\s、,，]*$/.test(rest);
}

/** 文号: 京医保发〔2020〕4号, 商医保发〔2022〕40号, 云医保[2020]8号. */
const DOC_NUMBER_RE = /[\u4e00-\u9fa5]{1,12}[〔[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\d{1,4}\s*号/g;
const DOC_NUMBER_AT_START = new RegExp(`^${DOC_NUMBER_RE.source}`);

/** The document number a paragraph starts with, or null. */
export function leadingDocNumber(text: string): string | null {
  return DOC_NUMBER_AT_START.exec(text)?.[0] ?? null;
}

export interface DateParts {
  year: number;
  month: number | null;
  day: number | null;
}

/** A written date: 2022年10月8日, 2022-10-08, 2022.10.8, a partial 2020年1月 日, 二〇二〇年二月七日. */
const DATE_RE =
  /((?:19|20)\d{2}|[二][〇零○o][一二三四五六七八九〇零○o]{2})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})?\s*月?\s*(\d{1,2}|[一二三四五六七八九十]{1,3})?\s*日?|((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})/;

export function parseDateText(text: string): DateParts | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  if (m[4]) return { year: Number(m[4]), month: Number(m[5]), day: Number(m[6]) };
  const year = cnOrNumber(m[1] ?? '');
  if (year === null) return null;
  return { year, month: m[2] ? cnOrNumber(m[2]) : null, day: m[3] ? cnOrNumber(m[3]) : null };
}

function cnOrNumber(text: string): number | null {
  return parseNumber(text.replace(/[○o]/g, '〇'));
}

/** A paragraph that is only a date (a signature date), possibly partial. */
export function isDateLine(text: string): boolean {
  return /^\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*(?:\d{1,2}\s*)?日|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}|[二][〇零○][一二三四五六七八九〇零○]{2}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{0,3}日?)\s*$/.test(
    text,
  );
}

/** A by-line: a reporter, a source, or a platform's publication stamp (`2022-10-08 18:10 发表于内蒙古`). */
export function isByline(text: string): boolean {
  if (text.length > 60) return false;
  return (
    /记者|通讯员|发表于|来源[:：]|发布时间|发布日期|作者[:：]|编辑[:：]|责任编辑|浏览次数/.test(text) ||
    /(?:19|20)\d{2}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}/.test(text)
  );
}

/** Publication-status and distribution lines that close a notice. */
export function isClosingLine(text: string): boolean {
  return /^[(（]此件[^)）]{0,8}[)）]$|^抄送[:：]|^抄报[:：]|^印发[:：]?|^[\u4e00-\u9fa5]{2,20}办公室\s*(?:19|20)\d{2}年\d{1,2}月\d{1,2}日印发$/.test(
    text,
  );
}

/** Words a notice's title ends with. */
export const TITLE_END = '(?:通知|通告|公告|意见|办法|方案|决定|规定|细则|函|批复|指引|指南|措施|公示|说明|解读)';

export interface TrailingSignature {
  /** Offset where the signing body starts. */
  at: number;
  org: string;
  date: string;
}

const TRAILING_DATE = /((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*(?:\d{1,2}\s*)?日)\s*$/;

/** A signing body and date that close a paragraph: `…及时上报。北京市医疗保障局2020年2月7日`. */
export function trailingSignature(norm: string): TrailingSignature | null {
  const m = TRAILING_DATE.exec(norm);
  if (!m?.[1]) return null;
  const before = norm.slice(0, m.index);
  const cut = Math.max(...['。', '!', '?', '”', '"', '\n', ';'].map((p) => before.lastIndexOf(p)));
  const orgText = before.slice(cut + 1).trim();
  if (orgText === '' || !isOrgLine(orgText)) return null;
  return { at: before.indexOf(orgText, cut + 1), org: orgText, date: m[1] };
}
