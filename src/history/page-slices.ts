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

/** After the first (partial) day: the lengths of the next slices, in days; the last slice takes the rest. */
const NEXT_SLICE_DAYS = [1, 6];

/**
 * A window cut into slices along the direction of travel: the (partial) UTC
 * day where travel starts, the day before it, the rest of that week, then the
 * rest of the window. A top-N page on the embedded store costs in proportion
 * to the rows of its window, and most pages fill from the first day or two;
 * a sparse filter costs at most four statements, together no more rows than
 * the whole window.
 */
export function pageSlices(window: TimeWindow, travel: SortOrder): TimeWindow[] {
  const from = window.from.getTime();
  const to = window.to.getTime();
  if (to <= from) return [window];
  // Slice boundaries in travel order, from the start of travel.
  const cuts: number[] = [];
  if (travel === 'DESC') {
    let at = Math.floor((to - 1) / DAY_MS) * DAY_MS;
    for (const days of [0, ...NEXT_SLICE_DAYS]) {
      at -= days * DAY_MS;
      if (at <= from) break;
      cuts.push(at);
    }
    const edges = [to, ...cuts, from];
    return edges.slice(1).map((start, i) => ({ from: new Date(start), to: new Date(edges[i]) }));
  }
  let at = Math.floor(from / DAY_MS) * DAY_MS + DAY_MS;
  for (const days of [0, ...NEXT_SLICE_DAYS]) {
    at += days * DAY_MS;
    if (at >= to) break;
    cuts.push(at);
  }
  const edges = [from, ...cuts, to];
  return edges.slice(1).map((end, i) => ({ from: new Date(edges[i]), to: new Date(end) }));
}
