import { badInput } from '../errors';

/**
 * Global ids are opaque to clients but carry the coordinates the store needs:
 * base64url of "Type:part:part:...". Parts are URI-encoded so ':' inside one
 * (ARNs) cannot split it.
 */
export type NodeType = 'Event' | 'Principal' | 'Session' | 'Resource';
const NODE_TYPES: readonly NodeType[] = ['Event', 'Principal', 'Session', 'Resource'];

export function encodeId(type: NodeType, parts: readonly string[]): string {
  // Concatenated in a loop: every event of a page gets an id, and the array spread, map and join cost more.
  let text: string = type;
  for (const part of parts) text += ':' + encodeURIComponent(part);
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function decodeId(id: string): { type: NodeType; parts: string[] } {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw badInput('id: not a trailgraph id', { argument: 'id' });
  const [type, ...parts] = Buffer.from(id, 'base64url').toString('utf8').split(':');
  if (!(NODE_TYPES as readonly string[]).includes(type)) throw badInput('id: not a trailgraph id', { argument: 'id' });
  try {
    return { type: type as NodeType, parts: parts.map(decodeURIComponent) };
  } catch {
    throw badInput('id: not a trailgraph id', { argument: 'id' });
  }
}

export interface EventKey {
  day: string;
  account: string;
  region: string;
  eventId: string;
}

export function eventIdOf(k: EventKey): string {
  return encodeId('Event', [k.day, k.account, k.region, k.eventId]);
}

export function decodeEventId(id: string): EventKey {
  const { type, parts } = decodeId(id);
  if (type !== 'Event' || parts.length !== 4 || !/^\d{4}\/\d{2}\/\d{2}$/.test(parts[0])) {
    throw badInput('id: not an Event id', { argument: 'id' });
  }
  const [day, account, region, eventId] = parts;
  return { day, account, region, eventId };
}
