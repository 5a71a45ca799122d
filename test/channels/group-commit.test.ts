/**
 * Issue 14, group commit at the doors: a reply goes out only once its turn has committed; when the commit
 * fails the citizen gets the service's coded error (HL_ERR_INTERNAL), never the uncommitted answer.
 */
import { describe, expect, it } from 'vitest';
import { readyChat } from '../helpers/chat.js';
import { appOn, sqliteStore } from '../helpers/sqlite-app.js';

/** The app on SQLite as the server wires it, with a switch that makes the store's commits fail. */
async function onSqlite() {
  const raw = sqliteStore();
  const app = await appOn(raw, { RATE_LIMIT_MAX: '100000' });
  const sql = (raw as unknown as { engine: { sql: { commit: { run: () => unknown } } } }).engine.sql;
  const commit = sql.commit;
  return {
    app,
    raw,
    failCommits(fail: boolean) {
      sql.commit = fail
        ? {
            run: () => {
              throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
            },
          }
        : commit;
    },
  };
}

describe('a turn whose commit fails (issue 14)', () => {
  it('answers POST /api/ask with 500 HL_ERR_INTERNAL and keeps nothing of it; the next turn is answered', async () => {
    const { app, raw, failCommits } = await onSqlite();
    failCommits(true);
    const asks = await Promise.all(
      ['大连异地就医备案怎么办理？', '慢性病处方一次能开多久的药？'].map((text, i) =>
        app.inject({ method: 'POST', url: '/api/ask', payload: { text, sessionId: `fail-${i}` } }),
      ),
    );
    for (const res of asks) {
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: { code: 'HL_ERR_INTERNAL', message: 'Internal error' } });
    }
    expect(await raw.getConversation('fail-0')).toBeUndefined();
    expect(await raw.transcript('fail-1')).toEqual([]);
    failCommits(false);
    const ok = await app.inject({ method: 'POST', url: '/api/ask', payload: { text: '大连异地就医备案怎么办理？', sessionId: 'fail-0' } });
    expect(ok.statusCode).toBe(200);
    expect((await raw.transcript('fail-0')).map((e) => e.role)).toEqual(['user', 'bot']);
  });

  it('answers a chat message with an error frame for it, not the reply', async () => {
    const { app, failCommits } = await onSqlite();
    const { socket, f } = await readyChat(app, '大连');
    failCommits(true);
    socket.send(JSON.stringify({ type: 'message', id: 'm1', text: '透析审核怎么办？' }));
    expect(await f.next('error')).toMatchObject({ code: 'HL_ERR_INTERNAL', replyTo: 'm1' });
    expect(f.queue.filter((x) => x.type === 'reply')).toEqual([]);
    failCommits(false);
    socket.send(JSON.stringify({ type: 'message', id: 'm2', text: '透析审核怎么办？' }));
    expect((await f.next('reply')).replyTo).toBe('m2');
  });
});
