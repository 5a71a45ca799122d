// CI: the services the tests need (issue 15) must accept connections before `npm test`; no client programs needed.
import { POSTGRES, REDIS, reachable } from '../test/helpers/services.js';

const services = [
  { name: 'PostgreSQL', ...POSTGRES },
  { name: 'Redis', ...REDIS },
];

const missing: typeof services = [];
for (const s of services) if (!(await reachable(s.host, s.port, 2000))) missing.push(s);
for (const s of missing)
  console.error(`${s.name} is not reachable at ${s.host}:${s.port}: the tests need it running (start it before .ci/run)`);
process.exit(missing.length > 0 ? 1 : 0);
