/**
 * The console's stylesheet, inlined in the /agent page (the CSP allows inline styles, not scripts).
 * Three columns at desktop widths (queue and chats | the chat | assist, card and tickets); below 960px
 * one column in the same (document and tab) order.
 */
export const STYLE = `
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:14px/1.5 system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1d1d1f;background:#eef1f5}
[hidden]{display:none!important}
.sr-only,.offscreen{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;margin:-1px;padding:0;border:0}
#app{height:100vh;display:flex;flex-direction:column}
button,select,textarea,input{font:inherit}
button{cursor:pointer;border:1px solid #1b5fbf;background:#fff;color:#1b5fbf;border-radius:6px;padding:4px 10px}
button:hover:not([disabled]){background:#eaf1fb}
button[disabled]{cursor:not-allowed;opacity:.55}
button.primary,button.send,button.query,button.accept{background:#1b5fbf;color:#fff}
button.primary:hover:not([disabled]),button.send:hover:not([disabled]),button.query:hover:not([disabled]),button.accept:hover:not([disabled]){background:#164f9f}
button.close,button.release{border-color:#b54708;color:#b54708}
button:focus-visible,select:focus-visible,textarea:focus-visible,input:focus-visible,a:focus-visible,.log:focus-visible{outline:3px solid #f0a020;outline-offset:2px}
select,textarea,input{border:1px solid #c9ced6;border-radius:6px;padding:4px 6px;background:#fff;color:inherit}
textarea{width:100%;resize:vertical}
a{color:#1b5fbf}
h2{margin:0 0 8px;font-size:15px}
h3{margin:10px 0 4px;font-size:13px;color:#444}
.muted{color:#5f6670;font-size:12px}
.empty{color:#5f6670;margin:4px 0}
.error{color:#b42318}
.row{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:6px}
.topbar{display:flex;align-items:center;gap:12px;padding:8px 16px;background:#1b5fbf;color:#fff;flex:none}
.topbar h1{margin:0;font-size:17px;flex:1 0 auto;white-space:nowrap}
.topbar .label{font-size:12px;opacity:.85;margin-right:4px}
.connection{white-space:nowrap}
.topbar button{background:transparent;color:#fff;border-color:rgba(255,255,255,.7)}
.topbar button:hover:not([disabled]),.topbar button:focus-visible{background:#164f9f}
.topbar button[aria-pressed=true]{background:#fff;color:#1b5fbf;border-color:#fff}
.topbar button[aria-pressed=true]:hover:not([disabled]),.topbar button[aria-pressed=true]:focus-visible{background:#eaf1fb;color:#1b5fbf}
#presence{display:flex;gap:4px;align-items:center}
#status{font-size:13px;padding:2px 8px;border-radius:10px;background:rgba(0,0,0,.2)}
#status[data-state="在线"]{background:#1f7a3a}
#status[data-state="重连中"],#status[data-state="连接中"]{background:#b54708}
.alert{display:flex;gap:8px;align-items:center;padding:6px 16px;background:#fef3f2;color:#b42318;border-bottom:1px solid #fecdca;flex:none}
.alert .text{flex:1}
.signin{max-width:360px;margin:10vh auto;padding:24px;background:#fff;border-radius:10px;box-shadow:0 4px 20px rgba(0,0,0,.08)}
.signin h1{font-size:18px;margin:0 0 16px}
.signin form{display:flex;flex-direction:column;gap:8px}
.signin input{padding:8px;font-size:16px}
.signin button{padding:8px}
.workspace{flex:1;min-height:0;display:grid;grid-template-columns:300px minmax(0,1fr) 360px;gap:12px;padding:12px}
.column{display:flex;flex-direction:column;gap:12px;overflow-y:auto;min-height:0}
.panel{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:10px 12px}
.rows{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
.rows>li{border:1px solid #e1e4e8;border-radius:6px;padding:6px 8px}
#queue .line,#tickets .line{display:flex;flex-wrap:wrap;gap:6px;align-items:baseline}
#queue .position{display:inline-block;min-width:1.6em;text-align:center;border-radius:9px;background:#eaf1fb;color:#1b5fbf;font-size:12px}
#queue .reason{color:#5f6670;font-size:12px}
#queue .wait{margin-left:auto;font-variant-numeric:tabular-nums;color:#b54708}
#queue .last{margin:4px 0;color:#333;font-size:13px;overflow-wrap:anywhere}
#chats li{padding:0;border:0}
#chats .pick{display:block;width:100%;text-align:left;color:#1d1d1f;border-color:#e1e4e8;padding:6px 8px}
#chats .pick[aria-current=true]{border-color:#1b5fbf;background:#eaf1fb;box-shadow:inset 3px 0 0 #1b5fbf}
#chats .preview{display:block;color:#5f6670;font-size:12px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.unread{display:inline-block;background:#b42318;color:#fff;border-radius:9px;padding:0 6px;font-size:12px}
.chat{display:flex;flex-direction:column;min-height:0}
.chat-head{display:flex;align-items:baseline;gap:8px}
.chat-head .session{margin-left:auto;overflow-wrap:anywhere}
.chat-body{flex:1;min-height:0;display:flex;flex-direction:column;gap:8px}
.log{flex:1;min-height:120px;overflow-y:auto;padding:8px;background:#f6f7f9;border-radius:6px;display:flex;flex-direction:column;gap:8px}
.entry{max-width:85%;padding:6px 10px;border-radius:8px;white-space:pre-wrap;overflow-wrap:anywhere}
.entry .who{font-size:12px;color:#5f6670;white-space:normal}
.entry.user{align-self:flex-start;background:#fff;border:1px solid #d0d7de}
.entry.bot{align-self:flex-start;background:#f0f5ff;border:1px solid #c7d7f5}
.entry.agent{align-self:flex-end;background:#1b5fbf;color:#fff}
.entry.agent .who{color:#dbe6f7}
.entry.system{align-self:center;max-width:100%;background:none;color:#5f6670;font-size:12px;padding:0}
.suggestion.bot{align-self:flex-start;max-width:85%;border:1px dashed #f0a020;background:#fffaf0;border-radius:8px;padding:6px 10px}
.suggestion .text{white-space:pre-wrap;overflow-wrap:anywhere}
.sources{margin-top:4px;font-size:12px;white-space:normal}
.citations{margin:4px 0;padding-left:18px;font-size:12px}
blockquote{margin:2px 0 4px;padding-left:8px;border-left:3px solid #d0d7de;color:#444}
.reply{display:flex;gap:8px;align-items:flex-end}
.reply textarea{flex:1}
.reply .send{padding:8px 16px}
.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.actions .end{display:flex;gap:6px;align-items:center;margin-left:auto}
#assist form{display:flex;flex-direction:column;gap:4px}
#assist .results{display:flex;flex-direction:column;gap:8px;margin-top:8px}
#assist .suggestion{border:1px solid #e1e4e8;border-radius:6px;padding:8px}
#assist .sources-label{font-size:12px;color:#5f6670;margin-top:4px}
.copied{color:#1f7a3a;font-size:12px}
#card .entry{margin:4px 0;list-style:none;max-width:none}
#card ul{padding:0;margin:0}
#card .label{color:#5f6670}
#card .sentence{margin:2px 0;font-size:12px;color:#5f6670}
#card .clause{font-size:12px}
#card .hours{color:#5f6670;font-size:12px}
.number,.nowrap{white-space:nowrap}
.transcript-dialog{width:min(720px,92vw);max-height:86vh;padding:0;border:1px solid #dde2e8;border-radius:10px;color:inherit}
.transcript-dialog[open]{display:flex;flex-direction:column}
.transcript-dialog::backdrop{background:rgba(0,0,0,.35)}
.dialog-head{display:flex;align-items:center;gap:12px;justify-content:space-between;padding:10px 16px;border-bottom:1px solid #e1e4e8}
.dialog-head h2{margin:0}
.transcript-dialog dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0;padding:8px 16px}
.transcript-dialog dt{color:#5f6670}
.transcript-dialog dd{margin:0;overflow-wrap:anywhere}
.transcript-dialog .log{margin:0 16px 16px;min-height:80px;max-height:55vh}
#tickets .question{margin:4px 0;overflow-wrap:anywhere}
.badge{font-size:12px;border-radius:9px;padding:0 6px;background:#eef1f5}
.badge.open{background:#fef0c7;color:#93370d}
.badge.claimed{background:#eaf1fb;color:#1b5fbf}
@media (max-width:960px){
#app{height:auto;min-height:100vh}
.workspace{display:flex;flex-direction:column}
.column{overflow:visible}
.log{max-height:60vh}
.topbar{flex-wrap:wrap}
.entry,.suggestion.bot{max-width:100%}
}
`;
