import { describe, expect, it } from 'vitest';
import { cdata, parseEnvelope, parseMessage, textReply, transferReply, truncateForWechat } from '../../../src/channels/wechat/xml.js';

const HEAD =
  '<ToUserName><![CDATA[gh_123]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName><CreateTime>1700000000</CreateTime>';
const text = (content: string, extra = '') =>
  `<xml>${HEAD}<MsgType><![CDATA[text]]></MsgType><Content>${content}</Content>${extra}<MsgId>1234567890123456</MsgId></xml>`;
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
};

describe('parseMessage', () => {
  it('reads a text push into typed fields', () => {
    expect(parseMessage(text('<![CDATA[门诊报销比例]]>'))).toEqual({
      toUserName: 'gh_123',
      fromUserName: 'o_user',
      createTime: 1700000000,
      msgType: 'text',
      content: '门诊报销比例',
      msgId: '1234567890123456',
    });
  });

  it('keeps a MsgId above 2^53 exact, as a string', () => {
    const msg = parseMessage(text('hi').replace('1234567890123456', '9223372036854775807'));
    expect(msg.msgId).toBe('9223372036854775807');
  });

  it('keeps <Content>0012</Content> as the text "0012"', () => {
    expect(parseMessage(text('0012')).content).toBe('0012');
    expect(parseMessage(text('true')).content).toBe('true');
  });

  it('reads a subscribe event with its scene key, and a voice push with an empty Recognition', () => {
    const event = `<xml>${HEAD}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_7]]></EventKey></xml>`;
    expect(parseMessage(event)).toMatchObject({ msgType: 'event', event: 'subscribe', eventKey: 'qrscene_7' });
    expect(parseMessage(event).msgId).toBeUndefined();
    const voice = `<xml>${HEAD}<MsgType><![CDATA[voice]]></MsgType><MediaId>m</MediaId><Format>amr</Format><Recognition><![CDATA[]]></Recognition></xml>`;
    expect(parseMessage(voice)).toMatchObject({ mediaId: 'm', format: 'amr', recognition: '' });
  });

  it('decodes the five XML entities and nothing more', () => {
    expect(parseMessage(text('a &lt;b&gt; &amp;amp; &quot;')).content).toBe('a <b> &amp; "');
  });

  it('ignores attributes and fields it does not read, even nested ones', () => {
    const msg = parseMessage(
      text('<![CDATA[x]]>', '<ScanCodeInfo><ScanType>qrcode</ScanType></ScanCodeInfo>').replace('<xml>', '<xml a="1">'),
    );
    expect(msg.content).toBe('x');
  });

  it('rejects an XXE payload and a billion-laughs payload before parsing', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${text('&xxe;')}`;
    const lol = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>${text('&lol3;')}`;
    expect(code(() => parseMessage(xxe))).toBe('HL_ERR_WECHAT_XML_FORBIDDEN');
    expect(code(() => parseMessage(lol))).toBe('HL_ERR_WECHAT_XML_FORBIDDEN');
    expect(code(() => parseMessage(`<!doctype xml>${text('x')}`))).toBe('HL_ERR_WECHAT_XML_FORBIDDEN');
    expect(code(() => parseMessage(text('x').replace('</xml>', '<!EnTiTy x "y"></xml>')))).toBe('HL_ERR_WECHAT_XML_FORBIDDEN');
  });

  it.each([
    ['an unclosed root', text('x').replace('</xml>', '')],
    ['crossed tags', text('x').replace('</Content>', '</Conten>')],
    ['trailing text', `${text('x')}junk`],
    ['no XML at all', 'hello'],
    ['an empty body', ''],
    ['a second root', `${text('x')}<xml></xml>`],
    ['another root element', text('x').replaceAll('xml>', 'root>')],
    ['a root without fields', '<xml>text</xml>'],
  ])('rejects %s as malformed', (_name, body) => {
    expect(code(() => parseMessage(body))).toBe('HL_ERR_WECHAT_XML_MALFORMED');
  });

  it('rejects a repeated field, a field that is not text and a missing one', () => {
    expect(code(() => parseMessage(text('a', '<Content>b</Content>')))).toBe('HL_ERR_WECHAT_XML_MALFORMED');
    expect(code(() => parseMessage(text('a').replace(HEAD, HEAD + HEAD)))).toBe('HL_ERR_WECHAT_XML_MALFORMED');
    expect(code(() => parseMessage(text('<b>x</b>')))).toBe('HL_ERR_WECHAT_XML_MALFORMED');
    expect(code(() => parseMessage(text('x').replace('<CreateTime>1700000000</CreateTime>', '')))).toBe('HL_ERR_WECHAT_XML_MALFORMED');
    expect(code(() => parseMessage(text('x').replace('1700000000', '17e8')))).toBe('HL_ERR_WECHAT_XML_MALFORMED');
  });

  it('rejects <__proto__> and <constructor> (the parser throws) with a 400, leaving Object.prototype alone', () => {
    expect(code(() => parseMessage(text('x', '<__proto__><polluted>yes</polluted></__proto__>')))).toBe('HL_ERR_WECHAT_XML_MALFORMED');
    expect(code(() => parseMessage(text('x', '<constructor>x</constructor>')))).toBe('HL_ERR_WECHAT_XML_MALFORMED');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseEnvelope', () => {
  it('takes ToUserName and Encrypt, ignoring the plaintext siblings of compatible mode', () => {
    const body = `<xml>${HEAD}<MsgType>text</MsgType><Content>plain</Content><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>`;
    expect(parseEnvelope(body)).toEqual({ toUserName: 'gh_123', encrypt: 'abc+/=' });
    expect(code(() => parseEnvelope(text('x')))).toBe('HL_ERR_WECHAT_XML_MALFORMED');
  });
});

describe('replies', () => {
  it('builds a passive text reply, To and From swapped by the caller, time in seconds', () => {
    expect(textReply({ to: 'o_user', from: 'gh_123', createTime: 1700000001, content: '您好' })).toBe(
      '<xml><ToUserName><![CDATA[o_user]]></ToUserName><FromUserName><![CDATA[gh_123]]></FromUserName>' +
        '<CreateTime>1700000001</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[您好]]></Content></xml>',
    );
    expect(() => textReply({ to: 'o', from: 'g', createTime: 1700000001000, content: 'x' })).toThrow(RangeError);
  });

  it('escapes ]]> inside CDATA so the reply still parses to the same text', () => {
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
    const content = '见第]]>条</Content><MsgType>news</MsgType> & <b>';
    const reply = textReply({ to: 'o_user', from: 'gh_123', createTime: 1, content });
    expect(parseMessage(reply)).toMatchObject({ msgType: 'text', content });
  });

  it('drops characters XML forbids even in CDATA', () => {
    expect(cdata('a\u0000b\u0008c\u001Fd\uFFFEe\uD800f😀')).toBe('<![CDATA[abcdef😀]]>');
  });

  it('builds a transfer_customer_service reply, with a named 客服 account when given', () => {
    expect(transferReply({ to: 'o_user', from: 'gh_123', createTime: 5 })).toBe(
      '<xml><ToUserName><![CDATA[o_user]]></ToUserName><FromUserName><![CDATA[gh_123]]></FromUserName>' +
        '<CreateTime>5</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>',
    );
    expect(transferReply({ to: 'o', from: 'g', createTime: 5, kfAccount: 'kf2001@gh_123' })).toContain(
      '<TransInfo><KfAccount><![CDATA[kf2001@gh_123]]></KfAccount></TransInfo></xml>',
    );
  });
});

describe('truncateForWechat', () => {
  const MORE = '…（内容较长，请查看原文链接）';

  it('leaves a text within the limit untouched', () => {
    const t = '医保'.repeat(300);
    expect(truncateForWechat(t)).toBe(t);
  });

  it('cuts after the last sentence end, with its closing quote, and says so', () => {
    const t = `${'甲'.repeat(400)}。${'乙'.repeat(100)}！”${'丙'.repeat(300)}`;
    const out = truncateForWechat(t);
    expect(out).toBe(`${'甲'.repeat(400)}。${'乙'.repeat(100)}！”${MORE}`);
    expect(Array.from(out).length).toBeLessThanOrEqual(600);
  });

  it('cuts hard at the budget when no sentence ends in its second half', () => {
    const out = truncateForWechat(`短句。${'长'.repeat(700)}`, 100);
    expect(Array.from(out)).toHaveLength(100);
    expect(out.endsWith(`长${MORE}`)).toBe(true);
  });

  it('counts code points, never splitting an emoji', () => {
    const out = truncateForWechat('😀'.repeat(700));
    expect(Array.from(out)).toHaveLength(600);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
