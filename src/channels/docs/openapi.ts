import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';

/** The route groups of the OpenAPI document, in its order; every route names one (a test checks). */
export const TAGS = [
  { name: 'citizens', description: '市民：问答与通知原文（Questions from citizens, and the notices the answers cite）' },
  { name: 'agents', description: '热线坐席：辅助、说明、速查卡、回电工单（Hotline agents only: `Authorization: Bearer <agent token>`）' },
  {
    name: 'operators',
    description:
      '业务运营：未答好的问题、趋势、通知发布与回退、有效期（The bureau’s operators only: `Authorization: Bearer <operator token>`）',
  },
  { name: 'wechat', description: '微信公众号服务器接口（The WeChat official account’s server URL; on when WECHAT_TOKEN is set）' },
  { name: 'pages', description: '页面与浏览器脚本（Pages and the browser scripts they load）' },
  { name: 'operations', description: '运维：健康、就绪、指标、重新加载（Health, readiness, metrics, reload）' },
] as const;

export type Tag = (typeof TAGS)[number]['name'];

/** @fastify/swagger: the document at `/docs/json`, built from the routes' schemas. */
export const openapiOptions: SwaggerOptions = {
  openapi: {
    info: {
      title: '医保热线助手 API',
      version: '1',
      description:
        'Answers from the bureau’s notices, with citations. Every error is `{"error": {"code": "HL_ERR_…", "message": "…"}}`. ' +
        'The WebSocket protocols (`/ws/chat`, `/ws/agent`) are described in the AsyncAPI document: ' +
        '[/docs/asyncapi](/docs/asyncapi) (JSON: [/docs/asyncapi.json](/docs/asyncapi.json)).',
    },
    externalDocs: { description: 'WebSocket protocols (AsyncAPI 3.0)', url: '/docs/asyncapi' },
    tags: TAGS.map((t) => ({ ...t })),
    components: {
      securitySchemes: {
        agentToken: { type: 'http', scheme: 'bearer', description: 'An agent token (AGENT_TOKENS)' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (ADMIN_TOKEN)' },
        operatorToken: { type: 'http', scheme: 'bearer', description: 'An operator token (OPERATOR_TOKENS)' },
      },
    },
  },
};

/**
 * swagger-ui's own page, themed so that axe finds nothing serious on it (issue 13, item 8). Its default
 * colours put white on light green and blue (2.0–3.3:1) and grey on tinted rows (3.5:1); its top bar (a
 * logo without alt text, an unlabelled URL box) is left out by the base layout; deep links put a link inside
 * each operation's button; syntax highlighting colours code at 3.5:1, so examples are plain text, and shown
 * whole rather than in a 400-px scroll box no keyboard can reach.
 */
const THEME_CSS = `
.swagger-ui .opblock.opblock-get .opblock-summary-method{background:#1f5fa8}
.swagger-ui .opblock.opblock-post .opblock-summary-method{background:#17744a}
.swagger-ui .opblock.opblock-put .opblock-summary-method{background:#8a5100}
.swagger-ui .opblock.opblock-delete .opblock-summary-method{background:#b3261e}
.swagger-ui .opblock .opblock-summary-method{color:#fff;text-shadow:none}
.swagger-ui .info .title small pre,.swagger-ui .info .title small.version-stamp{background:#3d6b00}
.swagger-ui .info .title small{background:#5c6670}
.swagger-ui .info a,.swagger-ui .info .url,.swagger-ui a.nostyle,.swagger-ui .info__extdocs{color:#1f5fa8}
.swagger-ui .btn.authorize{color:#17744a;border-color:#17744a}
.swagger-ui .btn.authorize svg{fill:#17744a}
.swagger-ui .btn.cancel{color:#b3261e;border-color:#b3261e}
.swagger-ui .btn.execute{background:#1f5fa8;border-color:#1f5fa8;color:#fff}
.swagger-ui .parameter__in,.swagger-ui .parameter__deprecated,.swagger-ui .prop-format{color:#595959}
.swagger-ui .model .property.primitive,.swagger-ui .model-hint{color:#595959}
.swagger-ui .highlight-code>.microlight{max-height:none;overflow:visible}
.swagger-ui .download-contents{background:#4a4f5c}
.swagger-ui .response-control-media-type__accept-message,.swagger-ui .response-control-media-type__accept-message code{color:#17744a}
.swagger-ui .dark-mode-toggle{display:none}
`;

/**
 * What a stylesheet cannot do (axe, critical and serious): swagger-ui leaves some controls without a name —
 * an enum parameter's select and the examples picker, the request body's text box when trying an
 * operation, the copy buttons of a response, the close button of the Authorize dialog — and names its
 * Authorize buttons "Apply credentials", which is not what they say. This names each as swagger-ui renders it.
 */
const THEME_JS = `(function () {
  function fieldName(el) {
    var row = el.closest('tr[data-param-name]');
    if (row) return row.getAttribute('data-param-name');
    if (el.classList.contains('examples-select-element')) return 'Examples';
    if (el.classList.contains('body-param__text')) return 'Request body';
    return el.getAttribute('placeholder') || el.getAttribute('title') || 'Value';
  }
  function buttonName(el) {
    if (el.closest('.copy-to-clipboard')) return 'Copy to clipboard';
    if (el.classList.contains('close-modal')) return 'Close';
    return null;
  }
  function label() {
    document.querySelectorAll('.swagger-ui select, .swagger-ui textarea, .swagger-ui input').forEach(function (el) {
      if (el.type === 'hidden' || el.hasAttribute('aria-label') || (el.labels && el.labels.length)) return;
      el.setAttribute('aria-label', fieldName(el));
    });
    document.querySelectorAll('.swagger-ui button').forEach(function (el) {
      if (el.getAttribute('aria-label') === 'Apply credentials') el.setAttribute('aria-label', el.textContent.trim() || 'Authorize');
      if (el.textContent.trim() || el.hasAttribute('aria-label') || el.hasAttribute('title')) return;
      var name = buttonName(el);
      if (name) el.setAttribute('aria-label', name);
    });
  }
  new MutationObserver(label).observe(document.documentElement, { childList: true, subtree: true });
})();
`;

/** @fastify/swagger-ui at `/docs`: read and try the HTTP API. */
export const swaggerUiOptions: FastifySwaggerUiOptions = {
  routePrefix: '/docs',
  uiConfig: { layout: 'BaseLayout', deepLinking: false, syntaxHighlight: false },
  theme: {
    title: '医保热线助手 API',
    css: [{ filename: 'theme.css', content: THEME_CSS }],
    js: [{ filename: 'a11y.js', content: THEME_JS }],
  },
};
