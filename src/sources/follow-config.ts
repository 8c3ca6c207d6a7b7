import { Config } from '../config';
import { DuckDbEngine } from '../history/duckdb/engine';
import { FollowOptions, Follower, followList } from './follow';
import { openSource } from './source';

/** The follow loop a config asks for (`--follow`), or undefined; its sources are checked here (a bad one throws SourceError). */
export function followerFor(config: Config, engine: DuckDbEngine, opts: Pick<FollowOptions, 'onCommitted' | 'onPolled' | 'log' | 'now'> = {}): Follower | undefined {
  const uris = followList(config.follow);
  if (uris.length === 0) return undefined;
  const list = (text: string): string[] => text.split(',').map((x) => x.trim()).filter(Boolean);
  return new Follower(
    engine,
    uris.map((u) => openSource(u, { region: config.s3Region, endpoint: config.s3Endpoint })),
    {
      ...opts,
      intervalMs: config.followIntervalSeconds * 1000,
      firstWindowDays: config.defaultWindowDays,
      accounts: list(config.accounts),
      regions: list(config.regions),
      ingest: { batchObjects: config.followBatchObjects },
    },
  );
}
