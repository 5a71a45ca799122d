export { CoalescingStore, coalescing } from './coalescing.js';
export { MemoryStore } from './memory.js';
export { openStore, type StoreOptions } from './open.js';
export { SqliteStore } from './sqlite.js';
export { ticketId, ticketSeq } from './tickets.js';
export type * from './types.js';
