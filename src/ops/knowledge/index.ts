export * from './compare.js';
export * from './diff.js';
export type { Change, DeskRecord, Outcome, PublishRecord, RollbackRecord } from './log.js';
export type { NoticePreview, SetComparison } from './preview.js';
export * from './publish.js';
export * from './staging.js';
