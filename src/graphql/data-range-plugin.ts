import { ApolloServerPlugin } from '@apollo/server';
import { Context } from '../context';
import { storeFacts } from '../history/store-facts';
import { TimeWindow } from '../history/window';

/**
 * An empty answer on older logs should not be a mystery: when an events
 * page of a request comes back empty for a window that holds none of the
 * caller's events although the store holds some, the response's
 * `extensions.dataRange` says where they are (first and last event time,
 * within the caller's accounts).
 */
const emptyWindows = new WeakMap<Context, TimeWindow[]>();

/** An events page of this request was empty for this window. */
export function noteEmptyWindow(ctx: Context, window: TimeWindow): void {
  const list = emptyWindows.get(ctx);
  if (list) list.push(window);
  else emptyWindows.set(ctx, [window]);
}

export interface DataRange {
  firstEventTime: string;
  lastEventTime: string;
  events: number;
  message: string;
}

function overlaps(w: TimeWindow, first: string, last: string): boolean {
  return new Date(first).getTime() <= w.to.getTime() && new Date(last).getTime() >= w.from.getTime();
}

export function dataRangePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const windows = emptyWindows.get(contextValue);
          if (!windows || response.body.kind !== 'single') return;
          const facts = await storeFacts(contextValue.store, contextValue.query).catch(() => null);
          if (!facts || facts.events === 0 || !facts.firstEventTime || !facts.lastEventTime) return;
          const { firstEventTime, lastEventTime } = facts;
          if (windows.some((w) => overlaps(w, firstEventTime, lastEventTime))) return;
          const dataRange: DataRange = {
            firstEventTime, lastEventTime, events: facts.events,
            message: `no events in the window asked; the store holds events from ${firstEventTime} to ${lastEventTime} in the accounts you may read`,
          };
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, dataRange };
        },
      };
    },
  };
}
