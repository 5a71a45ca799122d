import { spawn } from 'node:child_process';
import { ROOT } from './root.js';

/**
 * Runs `script` again in a fresh Node process (this one's loader flags, then `nodeArgs`) with `args`, and resolves
 * with what it printed last: one line of JSON, its figures. Anything else, or a non-zero exit, rejects with its output.
 */
export function runInChild<T>(
  script: string,
  args: readonly string[],
  options: { what: string; nodeArgs?: readonly string[] },
): Promise<T> {
  const proc = spawn(process.execPath, [...process.execArgv, ...(options.nodeArgs ?? []), script, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) =>
    proc.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      const figures = code === 0 && /^[[{]/.test(last) ? parse<T>(last) : undefined;
      if (figures === undefined) reject(new Error(`${options.what} failed (exit ${code}):\n${out}`));
      else resolve(figures);
    }),
  );
}

function parse<T>(line: string): T | undefined {
  try {
    return JSON.parse(line) as T;
  } catch {
    return undefined;
  }
}
