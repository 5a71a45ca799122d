import { STYLE } from './style.js';

/**
 * The HTML of `GET /ops`: the stylesheet inline, the app from /ops.js (`npm run build:ops`).
 * No inline script: the Content-Security-Policy allows scripts from the page's origin only.
 */
export const OPS_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><link rel="icon" href="data:,">
<title>医保热线助手 · 运营工作台</title>
<style>${STYLE}</style>
<script src="/ops.js" defer></script>
</head>
<body><div id="app"></div><noscript>运营工作台需要启用 JavaScript。</noscript></body></html>`;
