/** The agents' console page (`GET /agent`); the script does the rest. */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>医保热线助手 · 坐席工作台</title></head>
<body><div id="app"></div><script src="/console.js" defer></script></body></html>`;
