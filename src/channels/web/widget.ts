import type { FastifyPluginAsync } from 'fastify';
import { builtScript } from '../built-script.js';
import { errorSchema, textResponse } from '../schemas.js';

export interface WidgetOptions {
  /** The built widget (`npm run build` writes dist/public/widget.js). */
  file: string;
}

const DEMO = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>医保热线助手 — 演示</title>
<style>
/* A host page with aggressive styles: the widget lives in a shadow root and is not affected. */
body{font-family:serif;background:#fafaf5;color:#333;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.7}
button{background:red!important;font-size:40px!important}
div{border:2px dashed green}
/* The embed line wraps: a page wider than the phone would widen the layout viewport (issue 13). */
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f0efe6;padding:.5rem}
</style></head>
<body><main><h1>某市医疗保障局</h1>
<p>本页演示嵌入式医保咨询窗口：页面右下角的按钮打开对话。嵌入方式只需一行：</p>
<pre>&lt;script src="https://host/widget.js" data-region="包头" data-title="医保咨询" async&gt;&lt;/script&gt;</pre>
<p><code>data-region</code> 指定城市，<code>data-sound="on"</code> 在窗口关闭时有新消息会提示音。</p></main>
<script src="/widget.js" data-title="医保咨询" async></script>
</body></html>`;

/** `GET /widget.js` (the embeddable chat) and `GET /` (a demo page that embeds it). */
export const widgetRoutes: FastifyPluginAsync<WidgetOptions> = async (app, { file }) => {
  app.get(
    '/widget.js',
    {
      schema: {
        summary: 'The embeddable chat widget',
        description:
          'One script tag adds the chat to any page: `<script src="https://host/widget.js" data-region="包头" data-title="医保咨询" async></script>`. 503 HL_ERR_WIDGET_MISSING until `npm run build` has built it.',
        tags: ['pages'],
        response: { 200: textResponse('application/javascript', 'the widget, one file'), 503: errorSchema },
      },
    },
    builtScript(file, 'public, max-age=300'),
  );
  app.get(
    '/',
    {
      schema: {
        summary: 'A demo page that embeds the chat widget',
        tags: ['pages'],
        response: { 200: textResponse('text/html', 'the demo page') },
      },
    },
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(DEMO),
  );
};
