import type { FastifyPluginAsync } from 'fastify';
import { builtScript } from './built-script.js';
import { errorSchema, textResponse } from './schemas.js';

const STYLE = `body{font:15px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;color:#1d1d1f;margin:0;padding:16px 24px;background:#fff}
h1{font-size:22px}table{border-collapse:collapse;width:100%;margin-top:12px}caption{text-align:left;color:#4a4f57;padding:4px 0}
th,td{border-bottom:1px solid #d9dde3;padding:6px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f3f5f8}td.bad{color:#a3001b;font-weight:600}a{color:#1b5fbf}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center}
select,input,button{font:inherit;min-height:44px;padding:4px 10px;border:1px solid #8a929c;border-radius:6px;background:#fff;color:#1d1d1f}
button{background:#1b5fbf;border-color:#1b5fbf;color:#fff;cursor:pointer}
.signin{display:flex;flex-direction:column;gap:10px;max-width:360px}.error{color:#a3001b}.error:empty{display:none}`;

/** The operators' feedback page: the stylesheet inline, the app from /operators.js (no inline script: the CSP). */
export const OPERATORS_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><link rel="icon" href="data:,">
<title>医保热线助手 · 市民评价</title>
<style>${STYLE}</style>
<script src="/operators.js" defer></script>
</head>
<body><main id="app"></main><noscript>此页面需要启用 JavaScript。</noscript></body></html>`;

export interface OperatorsOptions {
  /** The built page script (`npm run build` writes dist/public/operators.js). */
  file: string;
}

/** `GET /operators` (citizens' 好差评 for the bureau's operators; sign in with ADMIN_TOKEN) and its script. */
export const operatorsRoutes: FastifyPluginAsync<OperatorsOptions> = async (app, { file }) => {
  app.get(
    '/operators.js',
    {
      schema: {
        summary: 'The operators’ page script',
        description: '503 HL_ERR_WIDGET_MISSING until `npm run build` has built it.',
        tags: ['pages'],
        response: { 200: textResponse('application/javascript', 'the page, one file'), 503: errorSchema },
      },
    },
    builtScript(file, 'no-cache'),
  );
  app.get(
    '/operators',
    {
      schema: {
        summary: 'Citizens’ feedback for the operators',
        description: 'Sign in with the admin token; the page reads GET /admin/feedback.',
        tags: ['pages'],
        response: { 200: textResponse('text/html', 'the page') },
      },
    },
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(OPERATORS_PAGE),
  );
};
