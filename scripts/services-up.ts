// CI: the services the tests need (issue 15) must accept connections before `npm test`; no client programs needed.
import { connect } from 'node:net';

interface Service {
  name: string;
  host: string;
  port: number;
}

const services: Service[] = [
  { name: 'PostgreSQL', host: '127.0.0.1', port: 5432 },
  { name: 'Redis', host: '127.0.0.1', port: 6379 },
];

/** Whether host:port accepts a TCP connection within 2 s. */
const reachable = ({ host, port }: Service) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });

const missing: Service[] = [];
for (const s of services) if (!(await reachable(s))) missing.push(s);
for (const s of missing)
  console.error(`${s.name} is not reachable at ${s.host}:${s.port}: the tests need it running (start it before .ci/run)`);
process.exit(missing.length > 0 ? 1 : 0);
