import type { FastifyInstance } from 'fastify';
import { signature } from '../../src/channels/wechat/crypto.js';

/** A plaintext-mode official account and one follower, for pushes signed as WeChat signs them. */
export const WECHAT_TOKEN = 'hotlinetoken';
export const FOLLOWER = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
export const WECHAT_ENV = { WECHAT_TOKEN, WECHAT_APP_ID: 'wx2c2769f8efd9abc2', WECHAT_APP_SECRET: 'app-secret' };

function signed(): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return new URLSearchParams({ signature: signature(WECHAT_TOKEN, timestamp, 'n0nce'), timestamp, nonce: 'n0nce' }).toString();
}

/** A MsgId no other test uses. */
export const uniqueMsgId = () => String(Date.now() * 1000 + Math.floor(Math.random() * 1000));

export const textPush = (content: string, msgId: string) =>
  `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[${FOLLOWER}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;

/** POST a push to `/wechat`, signed. */
export const postPush = (app: FastifyInstance, body: string) =>
  app.inject({ method: 'POST', url: `/wechat?${signed()}`, headers: { 'content-type': 'text/xml' }, payload: body });
