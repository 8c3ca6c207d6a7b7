import { registerEnumType } from 'type-graphql';
import { EventDimension, TimeBucket } from '../../src/history/stats';

registerEnumType(EventDimension, {
  name: 'EventDimension',
  description: 'What eventStats groups by. Keys of enum-valued dimensions are the enum names (ASSUMED_ROLE, MANAGEMENT, SDK); READ_ONLY keys are "true"/"false".',
  valuesConfig: {
    ACCOUNT_ID: { description: 'The account the event was delivered for (the filter\'s accountIds).' },
    REGION: { description: 'The event\'s region (the filter\'s regions).' },
    PRINCIPAL_ARN: { description: 'The principal\'s canonical ARN (as Principal.arn).' },
    CLIENT_TOOL: { description: 'The client parsed from userAgent (as Event.clientTool).' },
  },
});

registerEnumType(TimeBucket, { name: 'TimeBucket', description: 'Time buckets of eventStats, in UTC.' });

export { EventDimension, TimeBucket };
