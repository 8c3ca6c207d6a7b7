/**
 * What a caller may do: read one kind of data of one AWS account. The names
 * are the Cedar action ids (Trailgraph::Action::"ReadEvents", ...).
 */
export enum Action {
  /** Events, and everything derived from them (principals, resources, stats, totals). */
  ReadEvents = 'ReadEvents',
  /** Session summaries. */
  ReadSessions = 'ReadSessions',
  /** requestParameters, responseElements, additionalEventData and the raw record. */
  ReadPayloads = 'ReadPayloads',
  /** sourceIpAddress, userAgent and tlsDetails. */
  ReadNetworkDetails = 'ReadNetworkDetails',
  /** trailgraph's own access audit (who read what), for the lines about these accounts: an admin's action. */
  ReadAccessLog = 'ReadAccessLog',
}

/** The actions that read CloudTrail history (every request asks some of them). */
export const ALL_ACTIONS: readonly Action[] = [Action.ReadEvents, Action.ReadSessions, Action.ReadPayloads, Action.ReadNetworkDetails];

/** The Cedar namespace of every entity type and action trailgraph sends. */
export const CEDAR_NAMESPACE = 'Trailgraph';

export const CEDAR_TYPES = {
  caller: `${CEDAR_NAMESPACE}::Caller`,
  group: `${CEDAR_NAMESPACE}::Group`,
  account: `${CEDAR_NAMESPACE}::Account`,
  action: `${CEDAR_NAMESPACE}::Action`,
} as const;

export function isAction(value: string): value is Action {
  return (Object.values(Action) as string[]).includes(value);
}

/** The event fields each read action guards (GraphQL field names). */
export function guardedFields(action: Action): readonly string[] {
  switch (action) {
    case Action.ReadEvents:
    case Action.ReadSessions:
    case Action.ReadAccessLog:
      return [];
    case Action.ReadPayloads:
      return ['requestParameters', 'responseElements', 'additionalEventData', 'raw'];
    case Action.ReadNetworkDetails:
      return ['sourceIpAddress', 'userAgent', 'tlsDetails'];
  }
}
