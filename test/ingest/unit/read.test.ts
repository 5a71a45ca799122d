import { describe, expect, it } from 'vitest';
import { HlError } from '../../../src/errors.js';
import { decodeNotice } from '../../../src/ingest/read.js';

/** '医疗保障' in GBK. */
const GBK_YIBAO = [0xd2, 0xbd, 0xc1, 0xc6, 0xb1, 0xa3, 0xd5, 0xcf];
/** '关于做好新冠肺炎疫情防控期间医疗保险经办业务的紧急通知' in GBK (python3: s.encode('gbk')). */
const GBK_TITLE = [
  0xb9, 0xd8, 0xd3, 0xda, 0xd7, 0xf6, 0xba, 0xc3, 0xd0, 0xc2, 0xb9, 0xda, 0xb7, 0xce, 0xd1, 0xd7, 0xd2, 0xdf, 0xc7, 0xe9, 0xb7, 0xc0, 0xbf,
  0xd8, 0xc6, 0xda, 0xbc, 0xe4, 0xd2, 0xbd, 0xc1, 0xc6, 0xb1, 0xa3, 0xcf, 0xd5, 0xbe, 0xad, 0xb0, 0xec, 0xd2, 0xb5, 0xce, 0xf1, 0xb5, 0xc4,
  0xbd, 0xf4, 0xbc, 0xb1, 0xcd, 0xa8, 0xd6, 0xaa,
];
/** '一、参保人员可推迟2个月办理。\r\n' in GBK: Chinese, an ASCII digit and a Windows line end. */
const GBK_ITEM = [
  0xd2, 0xbb, 0xa1, 0xa2, 0xb2, 0xce, 0xb1, 0xa3, 0xc8, 0xcb, 0xd4, 0xb1, 0xbf, 0xc9, 0xcd, 0xc6, 0xb3, 0xd9, 0x32, 0xb8, 0xf6, 0xd4, 0xc2,
  0xb0, 0xec, 0xc0, 0xed, 0xa1, 0xa3, 0x0d, 0x0a,
];

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The HlError decodeNotice throws for these bytes; fails the test unless it throws one whose message names the file. */
function refusal(bytes: Uint8Array | number[], file: string): HlError {
  try {
    decodeNotice(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), file);
  } catch (err) {
    expect(err).toBeInstanceOf(HlError);
    expect((err as HlError).message).toContain(file);
    return err as HlError;
  }
  throw new Error(`decodeNotice accepted ${file}`);
}

describe('decodeNotice', () => {
  it('takes UTF-8 text as it is', () => {
    expect(decodeNotice(utf8('一、参保人员可推迟2个月办理。\n'), 'a.txt')).toEqual({
      text: '一、参保人员可推迟2个月办理。\n',
      encoding: 'utf-8',
    });
  });

  it('drops the byte-order mark of UTF-8 with BOM and says so', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('醫療保障')]);
    expect(decodeNotice(bytes, 'bom.txt')).toEqual({ text: '醫療保障', encoding: 'utf-8-bom' });
  });

  it('converts GBK bytes of 医疗保障', () => {
    expect(decodeNotice(new Uint8Array(GBK_YIBAO), 'gbk.txt')).toEqual({ text: '医疗保障', encoding: 'gb18030' });
  });

  it('converts a GBK notice title', () => {
    expect(decodeNotice(new Uint8Array(GBK_TITLE), 'title.txt').text).toBe('关于做好新冠肺炎疫情防控期间医疗保险经办业务的紧急通知');
  });

  it('keeps ASCII digits and CRLF line ends in GBK text', () => {
    expect(decodeNotice(new Uint8Array(GBK_ITEM), 'item.txt')).toEqual({
      text: '一、参保人员可推迟2个月办理。\r\n',
      encoding: 'gb18030',
    });
  });

  it('refuses an empty file with HL_ERR_NOTICE_EMPTY naming the file', () => {
    const err = refusal([], 'notices/empty.txt');
    expect(err.code).toBe('HL_ERR_NOTICE_EMPTY');
    expect(err.message).toContain('notices/empty.txt');
  });

  it('refuses a file of white space only as empty', () => {
    const err = refusal(utf8(' \n\t\r\n\u3000 '), 'blank.txt');
    expect(err.code).toBe('HL_ERR_NOTICE_EMPTY');
    expect(err.message).toContain('blank.txt');
  });

  it('refuses a file holding only a byte-order mark as empty', () => {
    expect(refusal([0xef, 0xbb, 0xbf], 'bom-only.txt').code).toBe('HL_ERR_NOTICE_EMPTY');
  });

  it('refuses bytes with a NUL as binary', () => {
    const err = refusal([...utf8('医疗保障'), 0x00, ...utf8('通知')], 'image.txt');
    expect(err.code).toBe('HL_ERR_NOTICE_BINARY');
    expect(err.message).toContain('image.txt');
  });

  it('refuses text thick with control bytes as binary', () => {
    expect(refusal([...utf8('医疗保障'), 0x01, 0x02, 0x03], 'ctrl.txt').code).toBe('HL_ERR_NOTICE_BINARY');
  });

  it('accepts tabs, form feeds and line ends, which are not control noise', () => {
    expect(decodeNotice(utf8('经办机构\t地址\f\r\n咨询电话'), 'table.txt').encoding).toBe('utf-8');
  });

  it('refuses bytes that are neither UTF-8 nor GB18030 with HL_ERR_NOTICE_ENCODING', () => {
    const err = refusal([0xe4, 0xb8, 0xff], 'garbled.txt');
    expect(err.code).toBe('HL_ERR_NOTICE_ENCODING');
    expect(err.message).toContain('garbled.txt');
  });

  it('refuses Latin-1 text, which is not valid GB18030 either', () => {
    expect(refusal([0x63, 0x61, 0x66, 0xe9, 0x20], 'latin1.txt').code).toBe('HL_ERR_NOTICE_ENCODING');
  });

  it('refuses bytes that decode as GB18030 but do not read as Chinese', () => {
    const err = refusal([...utf8('hello world'), 0x81, 0x30, 0x81, 0x30], 'latin.txt');
    expect(err.code).toBe('HL_ERR_NOTICE_ENCODING');
  });

  it('refuses a byte-order mark followed by bytes that are not UTF-8', () => {
    expect(refusal([0xef, 0xbb, 0xbf, ...GBK_YIBAO], 'bom-gbk.txt').code).toBe('HL_ERR_NOTICE_ENCODING');
  });
});
