/**
 * The widget's stylesheet, inside its shadow root: nothing leaks in from the host page or out to it. The
 * frame fills the visual viewport (viewport.ts) and is a size container: under 480 px wide (or 520 px high)
 * the panel is a full-screen sheet. Every button, chip and summary is at least 44×44 px.
 */
export const STYLE = `
:host{all:initial}
*{box-sizing:border-box;font-family:system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
[hidden]{display:none!important}
.frame{position:absolute;inset:0;container-type:size;pointer-events:none;color:#1d1d1f;font-size:15px;line-height:1.6}
button{min-height:44px;min-width:44px;cursor:pointer;font-size:15px;line-height:1.2}
button:focus-visible,input:focus-visible,a:focus-visible,summary:focus-visible,.log:focus-visible{outline:3px solid #f0a020;outline-offset:2px}
.launcher{pointer-events:auto;position:absolute;right:16px;bottom:16px;max-width:calc(100% - 32px);display:flex;align-items:center;gap:6px;border:0;border-radius:28px;padding:12px 18px;min-height:48px;background:#1b5fbf;color:#fff;font-size:16px;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.badge{position:absolute;top:-6px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#c62828;color:#fff;font-size:13px;font-weight:600;line-height:22px;text-align:center;box-shadow:0 0 0 2px #fff}
.panel{pointer-events:auto;position:absolute;right:16px;bottom:16px;width:min(400px,calc(100% - 32px));height:min(620px,calc(100% - 32px));display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}
@container (max-width:480px) or (max-height:520px){.panel{inset:0;width:100%;height:100%;border-radius:0}}
header{position:relative;display:flex;align-items:center;gap:6px;padding:6px 8px 6px 12px;background:#1b5fbf;color:#fff}
.titles{flex:1;min-width:0;display:flex;flex-direction:column}
header h2{margin:0;font-size:16px;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.state{font-size:12px;line-height:1.3}
header button{background:transparent;border:1px solid rgba(255,255,255,.7);color:#fff;border-radius:6px;padding:4px 8px;font-size:14px}
header button:disabled{opacity:.55;cursor:default}
header .close{border-color:transparent;font-size:18px}
.menu{position:absolute;z-index:1;top:58px;right:8px;display:flex;flex-direction:column;background:#fff;border:1px solid #c9ced6;border-radius:8px;box-shadow:0 6px 20px rgba(0,0,0,.2);padding:4px}
.menu button{background:#fff;border:0;color:#1d1d1f;text-align:left;padding:8px 14px;border-radius:6px}
.menu button:hover{background:#eef3fb}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:12px;display:flex;flex-direction:column;gap:10px;background:#f6f7f9}
.msg{max-width:88%;padding:8px 10px;border-radius:10px;font-size:15px;white-space:pre-wrap;word-break:break-word}
.msg .text{display:block}
.meta{display:block;margin-top:2px;font-size:12px;color:#5a5f66;white-space:nowrap}
.user{align-self:flex-end;background:#1b5fbf;color:#fff}
.user .meta{color:#e6eefc;text-align:right}
.bot{align-self:flex-start;background:#fff;border:1px solid #e1e4e8}
.bot.handoff{border-color:#f0a020}
details{margin-top:6px;font-size:14px;white-space:normal}
summary{display:flex;align-items:center;min-height:44px;cursor:pointer;color:#1b5fbf}
details a{display:flex;align-items:center;min-height:44px;color:#1b5fbf}
blockquote{margin:4px 0;padding-left:8px;border-left:3px solid #d0d7de;color:#3d4249}
button.script{border:1px solid #8a929c;background:#fff;color:#1d1d1f;border-radius:6px;padding:2px 8px;font-size:13px}
button.script[aria-pressed=true]{background:#1b5fbf;border-color:#1b5fbf;color:#fff}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px;white-space:normal}
.chips button{border:1px solid #1b5fbf;color:#1b5fbf;background:#fff;border-radius:22px;padding:4px 14px;font-size:15px}
.system{align-self:center;max-width:94%;background:#fff8e6;border:1px solid #f0c060;font-size:14px}
.agent{align-self:flex-start;background:#e9f5ec;border:1px solid #9fd3ad}
.agent .who{display:block;font-size:12px;color:#1e5631;margin-bottom:2px}
.cancel{display:block;margin-top:6px;border:1px solid #b26b00;color:#8a5300;background:#fff;border-radius:22px;padding:4px 14px;font-size:14px}
form.ticket{display:flex;flex-direction:column;gap:6px;align-self:stretch;background:#fff;border:1px solid #e1e4e8;border-radius:10px;padding:10px}
form.ticket .error{margin:0;color:#b00020;font-size:13px}
form.ticket .error:empty{display:none}
.verdict{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:6px;white-space:normal}
.verdict .ask{font-size:13px;color:#4a4f57}
.vote{border:1px solid #8a929c;color:#1d1d1f;background:#fff;border-radius:22px;padding:4px 12px;font-size:14px}
.vote[aria-pressed=true]{border-color:#1b5fbf;color:#1b5fbf}
.verdict .said{font-size:13px;color:#4a4f57}
.why,.scores{display:flex;flex-direction:column;gap:2px;border:1px solid #e1e4e8;border-radius:8px;margin:4px 0 0;padding:6px 10px;width:100%;box-sizing:border-box}
.why[hidden]{display:none}
.why label,.scores label{display:flex;align-items:center;gap:8px;min-height:44px;font-size:15px}
.why input,.scores input{flex:none;min-height:0;width:20px;height:20px}
textarea.comment{font:inherit;font-size:15px;min-height:44px;padding:8px;border:1px solid #8a929c;border-radius:6px;color:#1d1d1f;background:#fff;resize:vertical}
.submit{align-self:flex-start;border:0;border-radius:22px;padding:4px 18px;background:#1b5fbf;color:#fff;font-size:15px}
.submit:disabled,.vote:disabled{opacity:.75;cursor:default}
form.rating{display:flex;flex-direction:column;gap:6px;align-self:stretch;background:#fff;border:1px solid #e1e4e8;border-radius:10px;padding:10px}
form.rating .said:empty,.verdict .said:empty{display:none}
.typing{align-self:flex-start;color:#5a5f66;font-size:13px}
.toast{margin:0;padding:0 12px;font-size:13px;color:#1e5631;background:#f6f7f9}
.toast:empty{display:none}
form.ask{display:flex;gap:6px;padding:8px 10px;border-top:1px solid #e1e4e8;background:#fff}
input{flex:1;min-width:0;min-height:44px;font-size:16px;padding:8px;border:1px solid #8a929c;border-radius:6px;color:#1d1d1f;background:#fff}
form button{font-size:15px;padding:8px 14px;border:0;border-radius:6px;background:#1b5fbf;color:#fff}
.offscreen{position:fixed;left:-9999px;top:0;opacity:0}
`;
