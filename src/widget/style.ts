/** The widget's stylesheet, inside its shadow root: nothing leaks in from the host page or out to it. */
export const STYLE = `
:host{all:initial;display:contents}
*{box-sizing:border-box;font-family:system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:12px 18px;background:#1b5fbf;color:#fff;font-size:16px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.launcher:focus-visible,button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #f0a020;outline-offset:2px}
.panel{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:380px;max-width:calc(100vw - 24px);height:560px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;background:#fff;color:#1d1d1f;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}
.panel[hidden]{display:none}
header{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#1b5fbf;color:#fff}
header h2{flex:1;margin:0;font-size:16px}
.state{font-size:12px;opacity:.9}
header button{background:transparent;border:1px solid rgba(255,255,255,.6);color:#fff;border-radius:6px;padding:4px 8px;cursor:pointer;font-size:13px}
.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px;background:#f6f7f9}
.msg{max-width:88%;padding:8px 10px;border-radius:10px;line-height:1.6;font-size:15px;white-space:pre-wrap;word-break:break-word}
.user{align-self:flex-end;background:#1b5fbf;color:#fff}
.bot{align-self:flex-start;background:#fff;border:1px solid #e1e4e8}
.bot.handoff{border-color:#f0a020}
details{margin-top:6px;font-size:13px}
details a{color:#1b5fbf}
blockquote{margin:4px 0;padding-left:8px;border-left:3px solid #d0d7de;color:#444}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.chips button{border:1px solid #1b5fbf;color:#1b5fbf;background:#fff;border-radius:14px;padding:4px 10px;cursor:pointer;font-size:14px}
.system{align-self:center;max-width:94%;background:#fff8e6;border:1px solid #f0c060;font-size:14px}
.agent{align-self:flex-start;background:#e9f5ec;border:1px solid #9fd3ad}
.agent .who{display:block;font-size:12px;color:#2d7a46;margin-bottom:2px}
.cancel{margin-top:6px;border:1px solid #b26b00;color:#b26b00;background:#fff;border-radius:14px;padding:4px 10px;cursor:pointer;font-size:14px}
form.ticket{flex-direction:column;align-self:stretch;background:#fff;border:1px solid #e1e4e8;border-radius:10px}
form.ticket .error{margin:0;color:#b00020;font-size:13px}
header button:disabled{opacity:.5;cursor:default}
.typing{align-self:flex-start;color:#666;font-size:13px}
form{display:flex;gap:6px;padding:10px;border-top:1px solid #e1e4e8}
input{flex:1;font-size:16px;padding:8px;border:1px solid #c9ced6;border-radius:6px}
form button{font-size:15px;padding:8px 12px;border:0;border-radius:6px;background:#1b5fbf;color:#fff;cursor:pointer}
@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100vh;max-height:100vh;border-radius:0}}
`;
