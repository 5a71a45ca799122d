import { TextDecoder } from 'node:util';
import { HlError } from '../errors.js';

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

export interface DecodedText {
  text: string;
  encoding: SourceEncoding;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const gb18030 = new TextDecoder('gb18030', { fatal: true });

/** Share of control bytes (other than tab, CR, LF, FF) above which a file is taken for binary. */
const BINARY_CONTROL_RATIO = 0.02;

/**
 * Decode the bytes of a notice file. UTF-8 (with or without BOM) is taken as it is; a file that is not
 * valid UTF-8 but decodes as GB18030 (a superset of GBK and GB2312) and reads as Chinese text is
 * converted. Empty, binary and undecodable files are refused with a coded error naming the file.
 */
export function decodeNotice(bytes: Uint8Array, file: string): DecodedText {
  if (bytes.length === 0) throw new HlError('HL_ERR_NOTICE_EMPTY', [file]);
  if (looksBinary(bytes)) throw new HlError('HL_ERR_NOTICE_BINARY', [file]);

  let text: string;
  let encoding: SourceEncoding;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    text = decodeOrNull(utf8, bytes.subarray(3)) ?? throwEncoding(file);
    encoding = 'utf-8-bom';
  } else {
    const asUtf8 = decodeOrNull(utf8, bytes);
    if (asUtf8 !== null) {
      text = asUtf8;
      encoding = 'utf-8';
    } else {
      const asGb = decodeOrNull(gb18030, bytes);
      if (asGb === null || !readsAsChinese(asGb)) throwEncoding(file);
      text = asGb;
      encoding = 'gb18030';
    }
  }
  if (text.trim() === '') throw new HlError('HL_ERR_NOTICE_EMPTY', [file]);
  return { text, encoding };
}

function decodeOrNull(decoder: TextDecoder, bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

function throwEncoding(file: string): never {
  throw new HlError('HL_ERR_NOTICE_ENCODING', [file]);
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control / n > BINARY_CONTROL_RATIO;
}

/** A GB18030 decoding of random bytes yields rare characters; a notice is mostly common CJK. */
function readsAsChinese(text: string): boolean {
  let cjk = 0;
  let letters = 0;
  for (const ch of text) {
    if (/\s/.test(ch)) continue;
    letters++;
    if (/[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/.test(ch)) cjk++;
  }
  return letters > 0 && cjk / letters > 0.3;
}
