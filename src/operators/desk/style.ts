/**
 * The desk's stylesheet, inlined in the /ops page (the CSP allows inline styles, not scripts). Every target
 * at least 44px high; text colours at least 4.5:1 on their background; one column below 900px.
 */
export const STYLE = `
*{box-sizing:border-box}
html,body{margin:0}
body{font:15px/1.6 system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1d1d1f;background:#eef1f5;overflow-wrap:anywhere}
[hidden]{display:none!important}
.sr-only{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;margin:-1px;padding:0;border:0}
button,select,textarea,input{font:inherit;color:inherit}
button,select,input:not([type=checkbox]){min-height:44px}
button{cursor:pointer;border:1px solid #1b5fbf;background:#fff;color:#1b5fbf;border-radius:6px;padding:4px 14px}
button:hover:not([disabled]){background:#eaf1fb}
button[disabled]{cursor:not-allowed;opacity:.6}
button.primary{background:#1b5fbf;color:#fff}
button.primary:hover:not([disabled]){background:#164f9f}
button.danger{background:#b42318;border-color:#b42318;color:#fff}
button.danger:hover:not([disabled]){background:#912018}
button.remove,button.clear{border-color:#b42318;color:#b42318}
button:focus-visible,select:focus-visible,textarea:focus-visible,input:focus-visible,a:focus-visible,[role=tabpanel]:focus-visible{outline:3px solid #f0a020;outline-offset:2px}
select,textarea,input{border:1px solid #8a929c;border-radius:6px;padding:4px 8px;background:#fff}
textarea{width:100%;resize:vertical}
input[type=checkbox]{width:20px;height:20px;margin:0}
a{color:#1b5fbf}
h2{font-size:19px;margin:0 0 8px}
h3{font-size:16px;margin:12px 0 6px}
h4{font-size:15px;margin:10px 0 4px}
.muted,.help{color:#595f67;font-size:13px}
.help{margin:4px 0}
.empty{color:#595f67}
.error{color:#b42318}
.warn{color:#93370d;font-weight:600}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:6px 0}
.topbar{display:flex;align-items:center;gap:12px;padding:6px 16px;background:#1b5fbf;color:#fff}
.topbar .title{margin:0;font-size:18px;font-weight:600;flex:1 0 auto}
.topbar .operator{white-space:nowrap}
.topbar button{background:transparent;color:#fff;border-color:rgba(255,255,255,.8)}
.topbar button:hover:not([disabled]),.topbar button:focus-visible{background:#164f9f}
.signin{max-width:380px;margin:10vh auto;padding:24px;background:#fff;border-radius:10px;box-shadow:0 4px 20px rgba(0,0,0,.08)}
.signin h1{font-size:19px;margin:0 0 16px}
.signin form{display:flex;flex-direction:column;gap:8px}
.signin .error:empty{display:none}
.signin [role=alert]{color:#b42318}
.desk{max-width:1400px;margin:0 auto;padding:12px 16px 40px}
.tabs{display:flex;flex-wrap:wrap;gap:4px;border-bottom:2px solid #c9ced6;margin-bottom:12px}
.tabs [role=tab]{border:0;border-bottom:3px solid transparent;border-radius:6px 6px 0 0;background:transparent;color:#1d1d1f;padding:6px 18px;font-size:16px}
.tabs [role=tab][aria-selected=true]{border-bottom-color:#1b5fbf;color:#1b5fbf;background:#fff;font-weight:600}
.tab{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:12px 16px}
.toolbar,.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:center;margin-bottom:8px}
.toolbar h2{margin:0 12px 0 0}
.field{display:inline-flex;gap:6px;align-items:center;flex-wrap:nowrap}
.field input{width:9em}
.status{color:#3d434b;margin:6px 0}
.status:empty{display:none}
.block{border-top:1px solid #e1e4e8;margin-top:12px;padding-top:4px}
.rows{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
.rows>li{border:1px solid #e1e4e8;border-radius:6px;padding:6px 10px;display:block}
.rows>li>button{margin-left:8px}
.rows .line{margin:0}
.group-list{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,560px),1fr));gap:12px}
.group{border:1px solid #dde2e8;border-radius:8px;padding:10px 14px;background:#fbfcfd}
.group-head{display:flex;gap:12px;align-items:baseline}
.group-head h3{margin:0;flex:1}
.count{font-weight:600;color:#b42318;white-space:nowrap}
.per-day{display:flex;gap:8px;align-items:flex-end;margin:6px 0}
.per-day .label{font-size:13px;color:#595f67}
.bars{display:flex;gap:2px;align-items:flex-end;height:32px;flex:1;max-width:420px}
.bar{flex:1;background:#0072b2;border-radius:2px 2px 0 0;min-width:3px}
.facts{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:6px 0}
.facts dt{color:#595f67}
.facts dd{margin:0}
.samples{list-style:none;padding:0;margin:0;display:flex;flex-direction:column;gap:6px}
.sample{border-left:3px solid #c7d7f5;padding:2px 8px}
.sample p{margin:2px 0}
.who{display:inline-block;font-size:12px;color:#595f67;margin-right:6px}
.clauses{margin:4px 0;padding-left:20px}
.clauses a{display:inline-block;min-height:44px;line-height:44px}
.export{border:1px dashed #8a929c;border-radius:8px;padding:8px 12px;margin-top:6px;background:#fff}
.fields{display:grid;grid-template-columns:minmax(10em,auto) 1fr;gap:6px 12px;align-items:center}
.fields .help{grid-column:2}
.checks{border:0;padding:0;margin:0;grid-column:1/-1;display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center}
.checks legend{float:left;margin-right:12px;color:#1d1d1f}
.check{display:inline-flex;gap:6px;align-items:center;min-height:44px;min-width:44px}
.result{margin:6px 0}
.result button{margin-left:8px}
.sets{margin-top:16px}
.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}
.chart{margin:0;border:1px solid #e1e4e8;border-radius:8px;padding:8px 12px;min-width:0}
.chart h3{margin:0 0 6px}
.chart-box{position:relative;height:260px}
.chart-box.tall{height:320px}
.upload,.publish-form,.set-expiry{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:center}
input[type=file]{max-width:100%;padding:8px 4px}
.publish-form{margin-top:12px;padding-top:12px;border-top:1px solid #e1e4e8}
.refusal,.confirm{border:2px solid #b42318;background:#fef3f2;color:#7a1a12;border-radius:8px;padding:8px 12px;margin:8px 0}
.refusal p{margin:4px 0}
.confirm{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.preview .block:first-child{border-top:0}
.report{border:1px solid #e1e4e8;border-radius:6px;padding:6px 12px;margin:6px 0}
.report h4{margin:4px 0}
.badge{display:inline-block;font-size:12px;font-weight:600;border-radius:9px;padding:0 8px;background:#eef1f5;color:#1d1d1f;margin-right:6px}
.badge.new,.badge.better{background:#dcfae6;color:#085d3a}
.badge.changed{background:#fef0c7;color:#7a2e0e}
.badge.gone,.badge.worse{background:#fee4e2;color:#912018}
.notice-diff{margin:8px 0}
.clause-diff,.fact-diff{list-style:none;padding:0;margin:4px 0;display:flex;flex-direction:column;gap:6px}
.clause{border:1px solid #e1e4e8;border-radius:6px;padding:4px 10px}
.clause .path{font-family:ui-monospace,monospace;font-size:13px}
.diff-text{margin:4px 0;white-space:pre-wrap}
ins{background:#dcfae6;color:#054f31;text-decoration:underline}
del{background:#fee4e2;color:#7a1a12;text-decoration:line-through}
table{border-collapse:collapse;width:100%;margin:6px 0}
caption{text-align:left;color:#3d434b;padding:2px 0}
th,td{border-bottom:1px solid #e1e4e8;padding:4px 8px;text-align:left;vertical-align:top}
thead th,tr:first-child th{background:#f3f5f8}
.scroll{overflow-x:auto}
.verdict{font-weight:600;padding:6px 10px;border-radius:6px}
.verdict.good{background:#dcfae6;color:#054f31}
.verdict.bad{background:#fee4e2;color:#7a1a12}
.changes{list-style:none;padding:0;display:flex;flex-direction:column;gap:8px}
.changed{border:1px solid #e1e4e8;border-radius:6px;padding:6px 10px}
.changed .q{margin:0 0 4px}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.side{border-radius:6px;padding:4px 8px;background:#f6f7f9}
.side.pass{border-left:4px solid #067647}
.side.fail{border-left:4px solid #b42318}
.side p{margin:2px 0}
.side .text{white-space:pre-wrap}
@media (max-width:900px){
.charts{grid-template-columns:1fr}
.sides{grid-template-columns:1fr}
.fields{grid-template-columns:1fr}
.fields .help{grid-column:1}
.desk{padding:8px}
.tab{padding:8px 10px}
.tabs [role=tab]{flex:1 1 auto;padding:6px 10px}
}
`;
