import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { msgSignature, signature, verifyMsgSignature, verifySignature, WechatCrypto } from '../../../src/channels/wechat/crypto.js';
import { parseMessage } from '../../../src/channels/wechat/xml.js';

const KEY_A = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const KEY_B = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const R16 = Buffer.from('aaaabbbbccccdddd');

/** Ciphertext built (and opened) by hand, to see what decrypt makes of bad plaintexts. */
function rawEncrypt(encodingAesKey: string, plain: Buffer): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}
function rawDecrypt(encodingAesKey: string, b64: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([decipher.update(Buffer.from(b64, 'base64')), decipher.final()]);
}
const encryptOf = (reply: string) => /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(reply)?.[1] ?? '';
function framed(message: Buffer, appId: string, lengthField = message.length): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(lengthField);
  return Buffer.concat([R16, length, message, Buffer.from(appId)]);
}
/** The error code thrown, and for a decrypt failure the check that failed (kept in `cause`, not the message). */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    const { code, cause } = err as { code?: string; cause?: Error };
    return cause ? `${code}: ${cause.message}` : String(code);
  }
  return 'no error';
}
const code = (fn: () => unknown) => failure(fn).split(':')[0];

describe('WeChat signatures', () => {
  // wechatpy/wechatpy tests/test_utils.py (test_check_signature_should_ok / _should_fail)
  it('matches the published signature vector and rejects a one-digit change', () => {
    expect(signature('test', '1410685589', 'test')).toBe('f21891de399b4e33a1a93c9a7b8a8fffb5a443ff');
    expect(verifySignature('test', '1410685589', 'test', 'f21891de399b4e33a1a93c9a7b8a8fffb5a443ff')).toBe(true);
    expect(verifySignature('test', '1410685589', 'test', 'f21891de399b4e33a1a93c9a7b8a8fffb5a443fe')).toBe(false);
    expect(verifySignature('test', '1410685589', 'test', undefined)).toBe(false);
    expect(verifySignature('test', '1410685589', 'test', 'f21891de')).toBe(false);
  });

  // sdkwe/pywe-sign tests/test_sign.py (test_callback_signature_relative): token 789, timestamp 456, nonce 123
  it('sorts the parts as plain strings', () => {
    expect(signature('789', '456', '123')).toBe('f7c3bc1d808e04732adf679965ccc34ca7ae3441');
  });

  // Tencent's 公众号 sample (WXBizMsgCrypt Python demo, copied in charlesXu86/Chatbot_CN
  // Chatbot_Web/impl/weixin/Sample.py) and sdkwe/pywe-sign tests/test_sign.py (test_msg_signature_relative)
  it('matches the msg_signature of Tencent’s sample push', () => {
    expect(msgSignature('spamtest', '1409735669', '1320562132', TENCENT_ENCRYPT)).toBe('5d197aaffba7e9b25a30732f161a50dee96bd5fa');
    expect(verifyMsgSignature('spamtest', '1409735669', '1320562132', TENCENT_ENCRYPT, '5d197aaffba7e9b25a30732f161a50dee96bd5fa')).toBe(
      true,
    );
    expect(verifyMsgSignature('spamtest', '1409735669', '1320562133', TENCENT_ENCRYPT, '5d197aaffba7e9b25a30732f161a50dee96bd5fa')).toBe(
      false,
    );
  });
});

describe('WechatCrypto known answers', () => {
  // Same Tencent sample: a compatible-mode push whose plaintext siblings publish what Encrypt holds
  it('decrypts Tencent’s sample push to the fields published beside it', () => {
    const crypto = new WechatCrypto({ encodingAesKey: KEY_A, appId: 'wx2c2769f8efd9abc2' });
    const { xml, key } = crypto.decrypt(TENCENT_ENCRYPT);
    expect(key).toBe('current');
    expect(parseMessage(xml)).toEqual({
      toUserName: 'gh_10f6c3c3ac5a',
      fromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      createTime: 1409735668,
      msgType: 'text',
      content: 'abcdteT',
      msgId: '6054768590064713728',
    });
  });

  // binarywang/WxJava weixin-java-common/src/test/java/me/chanjar/weixin/common/util/crypto/WxCryptUtilTest.java
  // (testAesEncrypt, testAesEncrypt2): AppID wxb11529c136998cb6, random prefix aaaabbbbccccdddd
  it('encrypts WxJava’s multi-byte vectors byte for byte and decrypts them back', () => {
    const crypto = new WechatCrypto({ encodingAesKey: KEY_A, appId: 'wxb11529c136998cb6' });
    expect(crypto.encrypt(WXJAVA_MSG, R16)).toBe(WXJAVA_CIPHER);
    expect(crypto.encrypt(WXJAVA_MSG2, R16)).toBe(WXJAVA_CIPHER2);
    expect(crypto.decrypt(WXJAVA_CIPHER2).xml).toBe(WXJAVA_MSG2);
  });

  // wechatpy/wechatpy tests/test_crypto.py (test_encrypt_message, test_decrypt_message): the WeCom flow, whose
  // AES framing and msg_signature are the same as the 公众号's (the CorpID stands where the AppID is)
  it('reproduces wechatpy’s encrypted reply and decrypts its push', () => {
    const crypto = new WechatCrypto({ encodingAesKey: KEY_B, appId: 'wx49f0ab532d5d035a' });
    const reply = crypto.encryptedReply(WECHATPY_REPLY, {
      timestamp: '1411525903',
      nonce: '461056294',
      token: '123456',
      random16: Buffer.from('1234567890123456'),
    });
    expect(reply).toBe(
      `<xml><Encrypt><![CDATA[${WECHATPY_REPLY_CIPHER}]]></Encrypt><MsgSignature>407518b7649e86ef23978113f92d27afa9296533</MsgSignature>` +
        '<TimeStamp>1411525903</TimeStamp><Nonce><![CDATA[461056294]]></Nonce></xml>',
    );
    expect(verifyMsgSignature('123456', '1411525903', '461056294', WECHATPY_PUSH, '74d92dfeb87ba7c714f89d98870ae5eb62dff26d')).toBe(true);
    const push = parseMessage(crypto.decrypt(WECHATPY_PUSH).xml);
    expect(push).toMatchObject({ content: 'test', fromUserName: 'messense', toUserName: 'wx49f0ab532d5d035a' });
  });
});

describe('WechatCrypto checks', () => {
  const crypto = new WechatCrypto({ encodingAesKey: KEY_A, appId: 'wxb11529c136998cb6' });

  it('round-trips a multi-byte message, the length field counting bytes', () => {
    const xml = '<xml><Content><![CDATA[门诊慢特病 🏥 报销比例是多少？]]></Content></xml>';
    const b64 = crypto.encrypt(xml);
    expect(rawDecrypt(KEY_A, b64).readUInt32BE(16)).toBe(Buffer.byteLength(xml));
    expect(Buffer.byteLength(xml)).toBeGreaterThan(xml.length);
    expect(crypto.decrypt(b64)).toEqual({ xml, key: 'current' });
  });

  it('pads a whole 32-byte block when the plaintext already ends on one, and reads it back', () => {
    const xml = 'x'.repeat(64 - 16 - 4 - 'wxb11529c136998cb6'.length);
    const b64 = crypto.encrypt(xml, R16);
    const plain = rawDecrypt(KEY_A, b64);
    expect(plain).toHaveLength(96);
    expect(plain.subarray(64).every((b) => b === 32)).toBe(true);
    expect(crypto.decrypt(b64).xml).toBe(xml);
  });

  it.each([
    ['a pad byte of 0', Buffer.alloc(32, 0), 'pad 0 out of 1..32'],
    ['a pad byte of 33', Buffer.alloc(64, 33), 'pad 33 out of 1..32'],
    [
      'pad bytes that disagree',
      Buffer.concat([framed(Buffer.from('hi'), 'wxb11529c136998cb6'), Buffer.from([23]), Buffer.alloc(23, 24)]),
      'inconsistent pad',
    ],
  ])('rejects %s', (_name, plain, reason) => {
    expect(failure(() => crypto.decrypt(rawEncrypt(KEY_A, plain)))).toBe(`HL_ERR_WECHAT_DECRYPT: current: ${reason}`);
  });

  it('rejects a length field that points past the message', () => {
    const plain = framed(Buffer.from('hi'), 'wxb11529c136998cb6', 1000);
    const padded = Buffer.concat([plain, Buffer.alloc(64 - plain.length, 64 - plain.length)]);
    expect(failure(() => crypto.decrypt(rawEncrypt(KEY_A, padded)))).toBe('HL_ERR_WECHAT_DECRYPT: current: length field 1000 out of range');
  });

  it('rejects a message for another AppID', () => {
    const other = new WechatCrypto({ encodingAesKey: KEY_A, appId: 'wx2c2769f8efd9abc2' });
    expect(failure(() => crypto.decrypt(other.encrypt('<xml/>')))).toBe('HL_ERR_WECHAT_DECRYPT: current: AppID does not match');
  });

  it('rejects truncated ciphertext, bad base64 and an empty string, never with a 5xx', () => {
    const whole = Buffer.from(WXJAVA_CIPHER2, 'base64');
    for (const bad of [
      whole.subarray(0, whole.length - 5).toString('base64'),
      whole.subarray(0, whole.length - 16).toString('base64'),
      `${WXJAVA_CIPHER.slice(0, 20)}*${WXJAVA_CIPHER.slice(21)}`,
      WXJAVA_CIPHER.slice(0, -1),
      '',
    ]) {
      expect(code(() => crypto.decrypt(bad))).toBe('HL_ERR_WECHAT_DECRYPT');
    }
  });

  it('refuses an EncodingAESKey that is not 43 letters or digits', () => {
    expect(code(() => new WechatCrypto({ encodingAesKey: `${KEY_A.slice(0, 42)}+`, appId: 'wx1' }))).toBe('HL_ERR_CONFIG_INVALID');
    expect(code(() => new WechatCrypto({ encodingAesKey: KEY_A.slice(1), appId: 'wx1' }))).toBe('HL_ERR_CONFIG_INVALID');
    expect(code(() => new WechatCrypto({ encodingAesKey: KEY_A, previousEncodingAesKey: 'short', appId: 'wx1' }))).toBe(
      'HL_ERR_CONFIG_INVALID',
    );
  });

  it('decrypts with the previous key after a rotation and replies with the key that worked', () => {
    const before = new WechatCrypto({ encodingAesKey: KEY_B, appId: 'wx1', random: () => R16 });
    const after = new WechatCrypto({ encodingAesKey: KEY_A, previousEncodingAesKey: KEY_B, appId: 'wx1' });
    const { xml, key } = after.decrypt(before.encrypt('<xml>old</xml>'));
    expect({ xml, key }).toEqual({ xml: '<xml>old</xml>', key: 'previous' });
    const reply = after.encryptedReply('<xml>answer</xml>', { timestamp: 1700000000, nonce: 'n', token: 't', key });
    expect(verifyMsgSignature('t', '1700000000', 'n', encryptOf(reply), /<MsgSignature>(\w+)</.exec(reply)?.[1])).toBe(true);
    expect(before.decrypt(encryptOf(reply)).xml).toBe('<xml>answer</xml>');
    expect(after.decrypt(after.encrypt('<xml>new</xml>')).key).toBe('current');
  });

  it('escapes a Nonce that tries to close its CDATA and refuses a TimeStamp that is not seconds', () => {
    const reply = crypto.encryptedReply('<xml/>', { timestamp: '1', nonce: 'a]]><x>', token: 't', random16: R16 });
    expect(reply).toContain('<Nonce><![CDATA[a]]]]><![CDATA[><x>]]></Nonce>');
    expect(() => crypto.encryptedReply('<xml/>', { timestamp: '1<a>', nonce: 'n', token: 't' })).toThrow(RangeError);
  });
});

const TENCENT_ENCRYPT =
  'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=';
const WXJAVA_MSG = '我是中文abcd123';
const WXJAVA_CIPHER = 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==';
const WXJAVA_MSG2 =
  '<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>';
const WXJAVA_CIPHER2 =
  'jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb';
const WECHATPY_REPLY =
  '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>';
const WECHATPY_REPLY_CIPHER =
  '9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3';
const WECHATPY_PUSH =
  'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=';
