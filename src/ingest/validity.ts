import type { Paragraph } from './paragraphs.js';
import { type DateParts, parseDateText } from './patterns.js';

/**
 * How long a notice's measures hold, as its text says: temporary (疫情期间, 阶段性, 临时…, or an end date)
 * or standing; the end date when one is written; the date it takes effect, with the sentence that says so.
 */
export type NoticeKind = 'temporary' | 'standing';

export interface Validity {
  kind: NoticeKind;
  /** The words that make it temporary (`疫情防控期间`), or null for a standing notice. */
  kindText: string | null;
  /** ISO date the measures end, when the text states one. */
  expires: string | null;
  /** ISO date the notice takes effect from, when it says. */
  effective: string | null;
  /** The sentence the effective date was read from, exactly as written (for quoting). */
  effectiveText: string | null;
}

/** Words that make the measures temporary. `临时` alone is not enough (临时外出就医人员 are people). */
const TEMPORARY =
  /疫情(?:防控)?期间|防控期间|疫情(?:防控措施)?(?:结束|解除|调整)后|阶段性|临时性|临时(?:纳入|调整|措施|政策|放宽|延长|开通|实行|采取|停止|关闭)|暂时(?!性?(?:生产|经营|困难))|暂停|暂缓|另行通知|另行公告/;

const YMD = '(?:19|20)\\d{2}\\s*年\\s*\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日';
const MD = '\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日';
const DAY = '\\d{1,2}\\s*日';
/** An end of the measures: 有效期至…, 执行至…, 自…起至…止, 截至…止. */
const EXPIRY = [
  new RegExp(`(?:有效期|执行期|实施期|试行期)限?(?:为|暂定为)?(?:自?(?:${YMD}|${MD})起?)?(?:至|到)(${YMD}|${MD})止?`),
  new RegExp(`(?:执行|实施|施行|试行|适用)(?:至|到)(${YMD}|${MD})止?`),
  new RegExp(`(?:截至|至)(${YMD}|${MD})止`),
];
/** The notice's own start: 本通知自2022年9月1日起施行, 自发布之日起执行, 上述措施自…起执行. */
const EFFECTIVE = new RegExp(
  `(本|该|此|上述)?(?:通知|公告|通告|办法|意见|规定|细则|方案|措施|政策)?(?:自|从|于)?(${YMD}|${MD}|(?:发布|印发|公布|下发)之日)起(?:正式)?(?:施行|执行|实施|生效|试行)`,
);
/** A press report's start: `9日起，全市…` (a day, or month and day, then a comma). */
const EFFECTIVE_RELATIVE = new RegExp(`(?:^|[，,。；;\\s])(?:自|从)?(${MD}|${DAY})起[，,]`);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A written date as ISO, the year and month taken from the notice's date when the text leaves them out. */
function resolveDate(text: string, noticeDate: string | null): string | null {
  const compact = text.replace(/\s+/g, '');
  const full = parseDateText(compact);
  if (full?.month && full.day) return `${full.year}-${pad(full.month)}-${pad(full.day)}`;
  const known: DateParts | null = noticeDate
    ? { year: Number(noticeDate.slice(0, 4)), month: noticeDate.length >= 7 ? Number(noticeDate.slice(5, 7)) : null, day: null }
    : null;
  const md = /^(\d{1,2})月(\d{1,2})日$/.exec(compact);
  if (md && known) return `${known.year}-${pad(Number(md[1]))}-${pad(Number(md[2]))}`;
  const d = /^(\d{1,2})日$/.exec(compact);
  if (d && known?.month) return `${known.year}-${pad(known.month)}-${pad(Number(d[1]))}`;
  return null;
}

/** A press report's dateline before its first sentence: 本报讯（记者 …）, 新华社北京5月8日电（…）. */
const DATELINE = /^[^。，,]{0,16}(?:讯|电)\s*[（(][^）)]*[）)]\s*/;

/** The sentence of a paragraph around an offset, as written: from after the previous 。！？ to the next. */
function sentenceAt(p: Paragraph, at: number): string {
  const stops = /[。！？!?]/g;
  let start = 0;
  let end = p.text.length;
  for (const m of p.norm.matchAll(stops)) {
    if (m.index < at) start = m.index + 1;
    else {
      end = m.index + 1;
      break;
    }
  }
  const dateline = start === 0 ? (DATELINE.exec(p.norm)?.[0].length ?? 0) : 0;
  return p.text.slice(start + dateline, end).trim();
}

/** Citations of other documents are not this notice's words. */
function ownWords(norm: string): string {
  return norm.replace(/《[^》]*》/g, (s) => ' '.repeat(s.length));
}

/** A press report says when its news starts in its first paragraphs; later `…日起，` are about single measures. */
const LEAD_PARAGRAPHS = 4;

/** Read kind, end and start from the notice's paragraphs; `noticeDate` completes dates without a year. */
export function inferValidity(paragraphs: readonly Paragraph[], noticeDate: string | null): Validity {
  let kindText: string | null = null;
  let expires: string | null = null;
  let effective: { iso: string; text: string; own: boolean } | null = null;
  let relative: { iso: string; text: string } | null = null;

  for (const [i, p] of paragraphs.entries()) {
    const norm = ownWords(p.norm);
    kindText ??= TEMPORARY.exec(norm)?.[0] ?? null;
    if (!expires) {
      for (const re of EXPIRY) {
        const m = re.exec(norm);
        const iso = m?.[1] ? resolveDate(m[1], noticeDate) : null;
        if (iso) {
          expires = iso;
          break;
        }
      }
    }
    const e = EFFECTIVE.exec(norm);
    if (e?.[2] && (!effective || (!effective.own && e[1]))) {
      const iso = /之日$/.test(e[2]) ? (noticeDate && noticeDate.length === 10 ? noticeDate : null) : resolveDate(e[2], noticeDate);
      if (iso) effective = { iso, text: sentenceAt(p, e.index), own: Boolean(e[1]) };
    }
    if (!relative && i < LEAD_PARAGRAPHS) {
      const r = EFFECTIVE_RELATIVE.exec(norm);
      const iso = r?.[1] ? resolveDate(r[1], noticeDate) : null;
      if (r && iso) relative = { iso, text: sentenceAt(p, r.index + r[0].indexOf(r[1] as string)) };
    }
  }
  const start = effective ?? relative;
  const temporary = kindText !== null || expires !== null;
  return {
    kind: temporary ? 'temporary' : 'standing',
    kindText: kindText ?? (expires ? `至${expires}` : null),
    expires,
    effective: start?.iso ?? null,
    effectiveText: start?.text ?? null,
  };
}
