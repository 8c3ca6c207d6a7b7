export { compactStore } from './compact';
export type { CompactOptions, CompactReport } from './compact';
export { DestinationError, LocalDestination, S3Destination, openDestination } from './destination';
export type { Destination } from './destination';
export { COMPACT_TABLES, LAYOUT_VERSION, LOG_FILE_COLUMN, MANIFEST_KEY, partitionFolder } from './layout';
export type { CompactTable, PartitionKey } from './layout';
