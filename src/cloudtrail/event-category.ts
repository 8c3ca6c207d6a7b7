export enum EventCategory {
  MANAGEMENT = 'MANAGEMENT',
  DATA = 'DATA',
  INSIGHT = 'INSIGHT',
  NETWORK_ACTIVITY = 'NETWORK_ACTIVITY',
}

export function eventCategoryToCloudTrail(c: EventCategory): string {
  switch (c) {
    case EventCategory.MANAGEMENT: return 'Management';
    case EventCategory.DATA: return 'Data';
    case EventCategory.INSIGHT: return 'Insight';
    case EventCategory.NETWORK_ACTIVITY: return 'NetworkActivity';
  }
}

/** Records written before eventCategory existed (eventVersion < 1.07) are management events. */
export function eventCategoryFromCloudTrail(s: string | null | undefined): EventCategory {
  switch (s) {
    case 'Data': return EventCategory.DATA;
    case 'Insight': return EventCategory.INSIGHT;
    case 'NetworkActivity': return EventCategory.NETWORK_ACTIVITY;
    default: return EventCategory.MANAGEMENT;
  }
}
