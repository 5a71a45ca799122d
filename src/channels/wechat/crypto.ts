import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { HlError } from '../../errors.js';
import { cdata } from './xml.js';

/**
 * The 公众号 message-push crypto (/work/shared/notes/wechat.md): SHA-1 signatures over the sorted parts,
 * AES-256-CBC with IV = key[0..16), plaintext = 16 random bytes ‖ u32be byte length ‖ message ‖ AppID,
 * PKCS#7 padded to 32 bytes and checked by hand (Node's own unpadding rejects pads over 16).
 */

const BLOCK = 32;
const KEY_PATTERN = /^[A-Za-z0-9]{43}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type KeySlot = 'current' | 'previous';

/** `signature` of the URL check and of every push: sha1 hex of token, timestamp, nonce sorted as plain strings. */
export function signature(token: string, timestamp: string, nonce: string): string {
  return sha1Sorted([token, timestamp, nonce]);
}

/** `msg_signature` of a safe-mode push or reply: as `signature`, with `Encrypt` exactly as inside its CDATA. */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sha1Sorted([token, timestamp, nonce, encrypt]);
}

export function verifySignature(token: string, timestamp: string, nonce: string, given: string | undefined): boolean {
  return sameHex(signature(token, timestamp, nonce), given);
}

export function verifyMsgSignature(token: string, timestamp: string, nonce: string, encrypt: string, given: string | undefined): boolean {
  return sameHex(msgSignature(token, timestamp, nonce, encrypt), given);
}

function sha1Sorted(parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

function sameHex(expected: string, given: string | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface WechatCryptoOptions {
  encodingAesKey: string;
  previousEncodingAesKey?: string | undefined;
  appId: string;
  /** Source of the 16-byte random prefix; crypto.randomBytes unless a test passes its own. */
  random?: (size: number) => Buffer;
}

export interface EncryptedReplyOptions {
  timestamp: string | number;
  nonce: string;
  token: string;
  /** The key the request was decrypted with, so a rotated-out key still gets an answer it can read. */
  key?: KeySlot;
  random16?: Buffer;
}

export class WechatCrypto {
  private readonly keys: ReadonlyMap<KeySlot, Buffer>;
  private readonly appId: Buffer;
  private readonly random: (size: number) => Buffer;

  constructor(options: WechatCryptoOptions) {
    const keys = new Map<KeySlot, Buffer>([['current', aesKey(options.encodingAesKey, 'the EncodingAESKey')]]);
    if (options.previousEncodingAesKey !== undefined) {
      keys.set('previous', aesKey(options.previousEncodingAesKey, 'the previous EncodingAESKey'));
    }
    if (typeof options.appId !== 'string' || options.appId.length === 0) {
      throw new HlError('HL_ERR_CONFIG_INVALID', ['the WeChat AppID must not be empty']);
    }
    this.keys = keys;
    this.appId = Buffer.from(options.appId, 'utf8');
    this.random = options.random ?? randomBytes;
  }

  /** Decrypts `Encrypt` with the current key, then the previous one; says which key worked. */
  decrypt(encryptB64: string): { xml: string; key: KeySlot } {
    if (typeof encryptB64 !== 'string' || encryptB64.length % 4 !== 0 || !BASE64_PATTERN.test(encryptB64)) {
      throw decryptError('not base64');
    }
    const data = Buffer.from(encryptB64, 'base64');
    if (data.length < BLOCK || data.length % 16 !== 0) throw decryptError(`length ${data.length} is not a whole number of blocks`);
    let reason = '';
    for (const [slot, key] of this.keys) {
      const result = this.open(key, data);
      if (typeof result === 'string') reason += `${slot}: ${result}; `;
      else return { xml: result.xml, key: slot };
    }
    throw decryptError(reason.slice(0, -2));
  }

  /** Encrypts a reply; base64 of the ciphertext, as it goes into `<Encrypt>`. */
  encrypt(xml: string, random16: Buffer = this.random(16), key: KeySlot = 'current'): string {
    if (random16.length !== 16) throw new RangeError('The random prefix must be 16 bytes');
    const aes = this.key(key);
    const message = Buffer.from(xml, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(message.length);
    const body = Buffer.concat([random16, length, message, this.appId]);
    const pad = BLOCK - (body.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', aes, aes.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }

  /** The safe-mode passive reply body, signed with its own TimeStamp and Nonce. */
  encryptedReply(xml: string, options: EncryptedReplyOptions): string {
    const timestamp = String(options.timestamp);
    if (!/^\d{1,12}$/.test(timestamp)) throw new RangeError('The reply TimeStamp must be whole seconds');
    const encrypt = this.encrypt(xml, options.random16 ?? this.random(16), options.key ?? 'current');
    const sig = msgSignature(options.token, timestamp, options.nonce, encrypt);
    return `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${sig}</MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(options.nonce)}</Nonce></xml>`;
  }

  private key(slot: KeySlot): Buffer {
    const key = this.keys.get(slot);
    if (!key) throw new HlError('HL_ERR_CONFIG_INVALID', ['no previous EncodingAESKey is configured']);
    return key;
  }

  /** One key's attempt: the plaintext, or why it failed. */
  private open(key: Buffer, data: Buffer): { xml: string } | string {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(data), decipher.final()]);
    const pad = plain[plain.length - 1] ?? 0;
    if (pad < 1 || pad > BLOCK) return `pad ${pad} out of 1..${BLOCK}`;
    for (let i = plain.length - pad; i < plain.length; i++) if (plain[i] !== pad) return 'inconsistent pad';
    const body = plain.subarray(16, plain.length - pad);
    if (body.length < 4) return 'too short';
    const length = body.readUInt32BE(0);
    if (length > body.length - 4) return `length field ${length} out of range`;
    const appId = body.subarray(4 + length);
    if (!appId.equals(this.appId)) return 'AppID does not match';
    try {
      return { xml: utf8.decode(body.subarray(4, 4 + length)) };
    } catch {
      return 'message is not UTF-8';
    }
  }
}

function aesKey(encodingAesKey: string, name: string): Buffer {
  if (typeof encodingAesKey !== 'string' || !KEY_PATTERN.test(encodingAesKey)) {
    throw new HlError('HL_ERR_CONFIG_INVALID', [`${name} must be 43 letters or digits`]);
  }
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

function decryptError(reason: string): HlError {
  return new HlError('HL_ERR_WECHAT_DECRYPT', [], { cause: new Error(reason) });
}
