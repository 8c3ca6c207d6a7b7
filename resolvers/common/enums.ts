import { registerEnumType } from 'type-graphql';
import { EventCategory } from '../../src/cloudtrail/event-category';
import { IdentityType } from '../../src/cloudtrail/identity-type';

/** The API's enums, registered once; their values are the GraphQL names. */
export enum SortOrder {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(SortOrder, { name: 'SortOrder' });
registerEnumType(EventCategory, { name: 'EventCategory' });
registerEnumType(IdentityType, { name: 'IdentityType', description: "CloudTrail's userIdentity.type." });

export { EventCategory, IdentityType };
