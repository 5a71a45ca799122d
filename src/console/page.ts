import { STYLE } from './style.js';

/**
 * The HTML of `GET /agent`: the stylesheet inline, the app from /console.js (`npm run build:console`).
 * No inline script: the Content-Security-Policy allows scripts from the page's origin only.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><link rel="icon" href="data:,">
<title>医保热线助手 · 坐席工作台</title>
<style>${STYLE}</style>
<script src="/console.js" defer></script>
</head>
<body><div id="app"></div><noscript>坐席工作台需要启用 JavaScript。</noscript></body></html>`;
