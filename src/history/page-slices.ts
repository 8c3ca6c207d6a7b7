import { SortOrder } from './page';
import { TimeWindow } from './window';

const DAY_MS = 86_400_000;

/**
 * The window a page can draw from once its cursors are applied. A row beyond
 * a cursor at instant t (travelling DESC) has eventtime <= t; travelling ASC,
 * eventtime >= t. The cursor predicate still decides ties; narrowing the
 * window only lets the statement skip the partition days (and, on the
 * embedded store, the rows) on the far side of the cursor.
 */
export function narrowWindow(window: TimeWindow, travel: SortOrder, start: Date | null, stop: Date | null): TimeWindow {
  let { from, to } = window;
  // Second precision: the instant just after t, so `eventtime < to` keeps t itself.
  const after = (t: Date) => new Date(Math.floor(t.getTime() / 1000) * 1000 + 1000);
  const upTo = (t: Date) => (after(t) < to ? after(t) : to);
  const downTo = (t: Date) => (t > from ? new Date(Math.floor(t.getTime() / 1000) * 1000) : from);
  if (travel === 'DESC') {
    if (start) to = upTo(start);
    if (stop) from = downTo(stop);
  } else {
    if (start) from = downTo(start);
    if (stop) to = upTo(stop);
  }
  // Cursors that cross leave nothing between them: an empty window, kept well-formed.
  return from < to ? { from, to } : { from, to: from };
}

/**
 * A window cut into slices along the direction of travel: the first (partial)
 * UTC day at the start, then 1, 2, 4, ... days. A top-N page on the embedded
 * store costs in proportion to the rows of its window; most pages fill from
 * the first day or two, and a sparse filter needs at most about
 * log2(days) + 2 statements, together no more rows than the whole window.
 */
export function pageSlices(window: TimeWindow, travel: SortOrder): TimeWindow[] {
  const slices: TimeWindow[] = [];
  const from = window.from.getTime();
  const to = window.to.getTime();
  if (to <= from) return [window];
  // The first slice ends (or starts) at a day boundary; then each is twice the last, from one day.
  let days = 1;
  if (travel === 'DESC') {
    let end = to;
    let start = Math.max(from, Math.floor((to - 1) / DAY_MS) * DAY_MS);
    for (;;) {
      slices.push({ from: new Date(start), to: new Date(end) });
      if (start <= from) break;
      end = start;
      start = Math.max(from, end - days * DAY_MS);
      days *= 2;
    }
  } else {
    let start = from;
    let end = Math.min(to, Math.floor(from / DAY_MS) * DAY_MS + DAY_MS);
    for (;;) {
      slices.push({ from: new Date(start), to: new Date(end) });
      if (end >= to) break;
      start = end;
      end = Math.min(to, start + days * DAY_MS);
      days *= 2;
    }
  }
  return slices;
}
