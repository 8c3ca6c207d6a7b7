import { DuckDbEngine } from '../history/duckdb/engine';
import { cloudTrailClients, keysFromCloudTrail, keysFromFile } from './public-keys';
import { newestSignaturesOf } from './signature-arg';
import { openVerifySource } from './source';
import { verifyAndRecord } from './verify-and-record';
import { VerifyReport } from './verify';

/** `ingest --verify [--public-keys FILE] [--newest-signature HEX|@FILE]... [--cloudtrail-endpoint URL]`: the flags, taken out of the ingest arguments. */
export interface IngestVerifyFlags {
  verify: boolean;
  publicKeys?: string;
  newestSignatures: string[];
  cloudTrailEndpoint?: string;
}

export class IngestVerifyFlagError extends Error {}

export function takeVerifyFlags(args: readonly string[]): { flags: IngestVerifyFlags; rest: string[] } {
  const flags: IngestVerifyFlags = { verify: false, newestSignatures: [] };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new IngestVerifyFlagError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--verify': flags.verify = true; break;
      case '--public-keys': flags.publicKeys = value(); break;
      case '--cloudtrail-endpoint': flags.cloudTrailEndpoint = value(); break;
      case '--newest-signature': {
        try {
          flags.newestSignatures.push(...newestSignaturesOf(value()));
        } catch (err) {
          throw new IngestVerifyFlagError((err as Error).message);
        }
        break;
      }
      default: rest.push(arg);
    }
  }
  if (!flags.verify && (flags.publicKeys || flags.newestSignatures.length || flags.cloudTrailEndpoint)) throw new IngestVerifyFlagError('--public-keys, --newest-signature and --cloudtrail-endpoint go with --verify');
  return { flags, rest };
}

/** After an ingest: verifies each ingested path that is a trail (holds digests) and records the verdicts. */
export async function verifyIngested(engine: DuckDbEngine, paths: readonly string[], flags: IngestVerifyFlags): Promise<VerifyReport[]> {
  const keys = flags.publicKeys ? await keysFromFile(flags.publicKeys) : keysFromCloudTrail(cloudTrailClients(flags.cloudTrailEndpoint));
  const reports: VerifyReport[] = [];
  for (const p of paths) reports.push(await verifyAndRecord(engine, openVerifySource(p), { keys, newestSignatures: flags.newestSignatures }));
  return reports;
}
