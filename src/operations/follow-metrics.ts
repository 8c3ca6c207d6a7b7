import { ServerMetrics } from './metrics';

/** The follow loop's events (src/sources/follow.ts) as metrics. */
export function followMetricsOf(m: ServerMetrics): {
  committed: (b: { source: string; objects: number; stored: number; lagMs?: number }) => void;
  polled: (p: { source: string; failedObjects: number; error: string | null }) => void;
} {
  return {
    committed: (b) => {
      m.followObjects.inc({ source: b.source }, b.objects);
      m.followEventsStored.inc({ source: b.source }, b.stored);
      if (b.lagMs !== undefined) m.followLagSeconds.set({ source: b.source }, b.lagMs / 1000);
    },
    polled: (p) => {
      const outcome = p.failedObjects > 0 ? 'objects_failed' : p.error ? 'failed' : 'ok';
      m.followPolls.inc({ source: p.source, outcome });
      if (p.failedObjects > 0) m.followFailedObjects.inc({ source: p.source }, p.failedObjects);
    },
  };
}
