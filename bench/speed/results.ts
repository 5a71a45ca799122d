import { readFile, writeFile } from 'node:fs/promises';

/** A sub-measure's part of RESULTS.md, between `<!-- speed:KEY -->` and `<!-- /speed:KEY -->`. */
export interface Section {
  key: string;
  markdown: string;
}

const HEADER = `# Speed benchmark — results (issue 14)

Written by \`tsx bench/speed/run.ts\` (\`npm run bench\`); each part below by the run that measured it, with its date,
machine and command, so a run with \`--only\` replaces its own parts and keeps the others. Every figure is min / median
/ max of the runs stated. The service is \`node dist/server.js\` (\`npm run build\` first) with the server's defaults
(SQLite store, LOG_LEVEL=info to nowhere) unless a part says otherwise; clients run in the bench process on the same
machine, over loopback.
`;

/** Replaces the given parts of the results file (in the order a, b, c …), keeping the parts not measured this time. */
export async function writeSections(file: string, order: readonly string[], sections: readonly Section[]): Promise<void> {
  const old = await readFile(file, 'utf8').catch(() => '');
  const parts = new Map<string, string>();
  for (const key of order) {
    const m = new RegExp(`<!-- speed:${key} -->\\n([\\s\\S]*?)<!-- /speed:${key} -->`).exec(old);
    if (m?.[1]) parts.set(key, m[1]);
  }
  for (const s of sections) parts.set(s.key, `${s.markdown.trim()}\n`);
  const body = order
    .filter((k) => parts.has(k))
    .map((k) => `<!-- speed:${k} -->\n${parts.get(k)}<!-- /speed:${k} -->`)
    .join('\n\n');
  await writeFile(file, `${HEADER}\n${body}\n`);
}
