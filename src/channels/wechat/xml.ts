import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { HlError } from '../../errors.js';

/**
 * WeChat push XML in and passive-reply XML out. Parsing follows /work/shared/notes/wechat.md: no DTD at all,
 * validate before parsing, tag values kept as strings (MsgId is 64-bit, `0012` stays `0012`).
 */

const FORBIDDEN = /<!DOCTYPE|<!ENTITY/i;
const OPTIONS = {
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: false,
  trimValues: true,
  ignoreDeclaration: true,
} as const;
// Characters XML 1.0 does not allow anywhere, CDATA included (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F).
const NOT_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Optional text fields of a push, by XML element name. */
const OPTIONAL = {
  MsgId: 'msgId',
  Content: 'content',
  Recognition: 'recognition',
  Event: 'event',
  EventKey: 'eventKey',
  Ticket: 'ticket',
  Encrypt: 'encrypt',
  PicUrl: 'picUrl',
  MediaId: 'mediaId',
  ThumbMediaId: 'thumbMediaId',
  Format: 'format',
  Location_X: 'locationX',
  Location_Y: 'locationY',
  Scale: 'scale',
  Label: 'label',
  Latitude: 'latitude',
  Longitude: 'longitude',
  Precision: 'precision',
  Title: 'title',
  Description: 'description',
  Url: 'url',
} as const;

type OptionalKey = (typeof OPTIONAL)[keyof typeof OPTIONAL];

export type WechatMessage = {
  toUserName: string;
  fromUserName: string;
  /** Seconds since the epoch. */
  createTime: number;
  msgType: string;
} & { [K in OptionalKey]?: string };

/** The outer body of a safe-mode (or compatible-mode) push: only these two count before decryption. */
export interface WechatEnvelope {
  toUserName: string;
  encrypt: string;
}

/** A push (or a decrypted one): every field it has, each checked to be text. */
export function parseMessage(body: string): WechatMessage {
  const root = parseRoot(body);
  const createTime = required(root, 'CreateTime');
  if (!/^\d{1,12}$/.test(createTime)) throw malformed('CreateTime is not whole seconds');
  const message: WechatMessage = {
    toUserName: required(root, 'ToUserName'),
    fromUserName: required(root, 'FromUserName'),
    createTime: Number(createTime),
    msgType: required(root, 'MsgType'),
  };
  for (const [element, key] of Object.entries(OPTIONAL) as [keyof typeof OPTIONAL, OptionalKey][]) {
    const value = optional(root, element);
    if (value !== undefined) message[key] = value;
  }
  return message;
}

/** The `ToUserName` and `Encrypt` of an encrypted push; plaintext siblings (compatible mode) are ignored. */
export function parseEnvelope(body: string): WechatEnvelope {
  const root = parseRoot(body);
  return { toUserName: required(root, 'ToUserName'), encrypt: required(root, 'Encrypt') };
}

function parseRoot(body: string): Record<string, unknown> {
  if (typeof body !== 'string') throw malformed('the body is not text');
  if (FORBIDDEN.test(body)) throw new HlError('HL_ERR_WECHAT_XML_FORBIDDEN');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw malformed(`${valid.err.msg} (line ${valid.err.line})`);
  let doc: unknown;
  try {
    doc = new XMLParser(OPTIONS).parse(body);
  } catch (err) {
    throw new HlError('HL_ERR_WECHAT_XML_MALFORMED', ['an element name is not allowed'], { cause: err });
  }
  const keys = isRecord(doc) ? Object.keys(doc) : [];
  if (!isRecord(doc) || keys.length !== 1 || keys[0] !== 'xml') throw malformed('the root element is not <xml>');
  const root = doc.xml;
  if (!isRecord(root)) throw malformed('<xml> has no fields');
  return root;
}

function optional(root: Record<string, unknown>, element: string): string | undefined {
  if (!Object.hasOwn(root, element)) return undefined;
  const value = root[element];
  if (Array.isArray(value)) throw malformed(`<${element}> appears more than once`);
  if (typeof value !== 'string') throw malformed(`<${element}> is not text`);
  return value;
}

function required(root: Record<string, unknown>, element: string): string {
  const value = optional(root, element);
  if (value === undefined || value === '') throw malformed(`<${element}> is missing or empty`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(reason: string): HlError {
  return new HlError('HL_ERR_WECHAT_XML_MALFORMED', [reason]);
}

/** Text as a CDATA section: `]]>` split across two sections, characters XML forbids dropped. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(NOT_XML_CHAR, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

export interface ReplyAddress {
  /** The user's openid (the push's FromUserName). */
  to: string;
  /** Our gh_ id (the push's ToUserName). */
  from: string;
  /** Seconds, not milliseconds. */
  createTime: number;
}

/** Passive text reply: the POST's response body. */
export function textReply(reply: ReplyAddress & { content: string }): string {
  return envelope(reply, 'text', `<Content>${cdata(reply.content)}</Content>`);
}

/** Hands the user to WeChat's own 客服 system (user messages only, never events). */
export function transferReply(reply: ReplyAddress & { kfAccount?: string }): string {
  const trans = reply.kfAccount ? `<TransInfo><KfAccount>${cdata(reply.kfAccount)}</KfAccount></TransInfo>` : '';
  return envelope(reply, 'transfer_customer_service', trans);
}

function envelope(reply: ReplyAddress, msgType: string, rest: string): string {
  if (!Number.isInteger(reply.createTime) || reply.createTime < 0 || reply.createTime > 99_999_999_999) {
    throw new RangeError(`CreateTime ${reply.createTime} is not whole seconds`);
  }
  return `<xml><ToUserName>${cdata(reply.to)}</ToUserName><FromUserName>${cdata(reply.from)}</FromUserName><CreateTime>${reply.createTime}</CreateTime><MsgType>${cdata(msgType)}</MsgType>${rest}</xml>`;
}

const MORE = '…（内容较长，请查看原文链接）';
const SENTENCE_END = new Set(['。', '！', '？', '!', '?', '；', ';', '\n']);
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')']);

/**
 * Keeps a reply within `maxChars` characters (code points) including the note that it was cut: cuts after the
 * last sentence end in the second half of the budget, or hard at the budget when there is none.
 */
export function truncateForWechat(text: string, maxChars = 600): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  const budget = maxChars - Array.from(MORE).length;
  if (budget < 1) throw new RangeError(`maxChars ${maxChars} leaves no room for the text`);
  let cut = budget;
  for (let i = budget - 1; i >= Math.floor(budget / 2); i--) {
    if (SENTENCE_END.has(chars[i] ?? '')) {
      cut = i + 1;
      while (cut < budget && CLOSERS.has(chars[cut] ?? '')) cut++;
      break;
    }
  }
  return chars.slice(0, cut).join('').trimEnd() + MORE;
}
