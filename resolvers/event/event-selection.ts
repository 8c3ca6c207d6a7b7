import { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
import { EventColumnPath, EventProjection } from '../../src/history/event-projection';

/**
 * The columns an `events` selection reads, for EventProjection. Each Event
 * field names the columns its resolver reads; a field this table does not
 * know (a new field, say) makes the projection "every column": the answer
 * may then cost more, never be wrong.
 */
const NOTHING: readonly EventColumnPath[] = [];

const EVENT_FIELDS: Readonly<Record<string, readonly EventColumnPath[]>> = {
  __typename: NOTHING, id: NOTHING, eventId: NOTHING, eventTime: NOTHING,
  // Read by key through their own loaders (event-graph.resolver.ts), not from the page's columns.
  principal: NOTHING, session: NOTHING, resources: NOTHING,
  eventName: ['eventname'], eventSource: ['eventsource'], eventType: ['eventtype'], eventCategory: ['eventcategory'],
  eventVersion: ['eventversion'], awsRegion: ['awsregion'], recipientAccountId: ['recipientaccountid'],
  readOnly: ['readonly'], managementEvent: ['managementevent'], errorCode: ['errorcode'], errorMessage: ['errormessage'],
  requestId: ['requestid'], sharedEventId: ['sharedeventid'], vpcEndpointId: ['vpcendpointid'],
  sourceIpAddress: ['sourceipaddress'], userAgent: ['useragent'], clientTool: ['useragent'], sdkLanguage: ['useragent'],
  tlsDetails: ['tlsdetails'],
  requestParameters: ['requestparameters'], responseElements: ['responseelements'],
  additionalEventData: ['additionaleventdata'], serviceEventDetails: ['serviceeventdetails'], raw: ['raw'],
  authorizationDecisions: ['eventsource', 'eventname', 'requestparameters', 'additionaleventdata'],
};

const IDENTITY_FIELDS: Readonly<Record<string, readonly EventColumnPath[]>> = {
  __typename: NOTHING,
  type: ['useridentity.type'], principalId: ['useridentity.principalid'], arn: ['useridentity.arn'],
  accountId: ['useridentity.accountid'], accessKeyId: ['useridentity.accesskeyid'], userName: ['useridentity.username'],
  invokedBy: ['useridentity.invokedby'], credentialId: ['useridentity.credentialid'],
  onBehalfOf: ['useridentity.onbehalfof'], sessionIssuer: ['useridentity.sessioncontext.sessionissuer'],
  mfaAuthenticated: ['useridentity.sessioncontext.attributes'], sessionCreatedAt: ['useridentity.sessioncontext.attributes'],
  sourceIdentity: ['useridentity.sessioncontext.sourceidentity'],
};

/** The fields of a selection set, through inline fragments and fragment spreads (type conditions ignored: conservative). */
function fieldsOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  if (!set) return [];
  const out: FieldNode[] = [];
  for (const sel of set.selections) {
    switch (sel.kind) {
      case Kind.FIELD:
        out.push(sel);
        break;
      case Kind.INLINE_FRAGMENT:
        out.push(...fieldsOf(sel.selectionSet, fragments, seen));
        break;
      case Kind.FRAGMENT_SPREAD:
        if (seen.has(sel.name.value)) break;
        seen.add(sel.name.value);
        out.push(...fieldsOf(fragments[sel.name.value]?.selectionSet, fragments, seen));
        break;
    }
  }
  return out;
}

/** Columns of the Event fields selected; null when a field is not in the table above. */
function eventColumns(fields: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): Set<EventColumnPath> | null {
  const paths = new Set<EventColumnPath>();
  for (const f of fields) {
    const name = f.name.value;
    if (name === 'userIdentity') {
      for (const sub of fieldsOf(f.selectionSet, fragments)) {
        const parts = IDENTITY_FIELDS[sub.name.value];
        if (!parts) return null;
        parts.forEach((p) => paths.add(p));
      }
      continue;
    }
    const columns = EVENT_FIELDS[name];
    if (!columns) return null;
    columns.forEach((c) => paths.add(c));
  }
  return paths;
}

/**
 * The projection of an `events` connection field: the Event fields under
 * `edges { node }` and `nodes`. Undefined (every column) when the selection
 * holds something this module does not know.
 */
export function eventsProjection(info: GraphQLResolveInfo): EventProjection | undefined {
  // A field of a cached document is the same node object on every request: its projection is made once.
  if (info.fieldNodes.length !== 1) return projectionOf(info);
  const node = info.fieldNodes[0];
  const known = PROJECTIONS.get(node);
  if (known) return known.projection;
  const projection = projectionOf(info);
  PROJECTIONS.set(node, { projection });
  return projection;
}

/**
 * Projections by field node. The projection depends only on the node and the
 * fragments of its document, and a node belongs to one document (documents
 * are immutable), so the node alone is the key.
 */
const PROJECTIONS = new WeakMap<FieldNode, { projection: EventProjection | undefined }>();

function projectionOf(info: GraphQLResolveInfo): EventProjection | undefined {
  const paths = new Set<EventColumnPath>();
  for (const node of info.fieldNodes) {
    for (const f of fieldsOf(node.selectionSet, info.fragments)) {
      let events: FieldNode[];
      switch (f.name.value) {
        case 'nodes':
          events = fieldsOf(f.selectionSet, info.fragments);
          break;
        case 'edges':
          events = fieldsOf(f.selectionSet, info.fragments).filter((e) => e.name.value === 'node').flatMap((e) => fieldsOf(e.selectionSet, info.fragments));
          break;
        default:
          continue; // pageInfo, __typename, cursors: no event columns
      }
      const columns = eventColumns(events, info.fragments);
      if (columns === null) return undefined;
      columns.forEach((c) => paths.add(c));
    }
  }
  return [...paths].sort();
}
