import { Sql, trusted } from './sql/sql';

/**
 * Which columns an events page reads: the request's selection decides. A
 * page statement finds its rows by a few columns, then fetches every column
 * it selects for the rows it keeps; on the embedded store that fetch costs in
 * proportion to the columns (useridentity alone is 24 of them), so a page of
 * `eventName userIdentity { arn }` reads those and not the other forty.
 *
 * A projection is a sorted list of column paths (sorted, so that equal
 * projections make equal loader keys). Key columns (eventid, eventtime,
 * account, region, day) are always read. No projection means every column.
 */
export type EventProjection = readonly EventColumnPath[];

/** Top-level columns of the table that a projection can name. */
export const TOP_COLUMNS = [
  'eventname', 'eventsource', 'eventtype', 'eventcategory', 'eventversion', 'awsregion', 'recipientaccountid',
  'sourceipaddress', 'useragent', 'readonly', 'managementevent', 'errorcode', 'errormessage', 'requestid',
  'sharedeventid', 'vpcendpointid', 'sessioncredentialfromconsole',
  'requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails', 'raw',
  'tlsdetails', 'resources', 'useridentity',
] as const;

/**
 * Parts of useridentity that a projection can name instead of the whole
 * struct: scalar leaves, and three small structs read whole (so an object
 * that is present with empty fields stays present).
 */
export const IDENTITY_PARTS = [
  'useridentity.type', 'useridentity.principalid', 'useridentity.arn', 'useridentity.accountid',
  'useridentity.invokedby', 'useridentity.accesskeyid', 'useridentity.username', 'useridentity.credentialid',
  'useridentity.identityprovider', 'useridentity.onbehalfof', 'useridentity.sessioncontext.attributes',
  'useridentity.sessioncontext.sessionissuer', 'useridentity.sessioncontext.sourceidentity',
] as const;

export type EventColumnPath = (typeof TOP_COLUMNS)[number] | (typeof IDENTITY_PARTS)[number];

const KEY_COLUMNS = ['eventid', 'eventtime'];
const PARTITION_COLUMNS = ['account', 'region', 'day'];
const STRUCTS = new Set<string>(['tlsdetails', 'resources', 'useridentity', 'useridentity.onbehalfof', 'useridentity.sessioncontext.attributes', 'useridentity.sessioncontext.sessionissuer']);

/** The result column of an identity part: `ui_` and its path below useridentity (ui_sessioncontext_sessionissuer). */
export function identityAlias(path: string): string {
  return `ui_${path.slice('useridentity.'.length).replace(/\./g, '_')}`;
}

function aliasOf(path: string): string {
  return path.startsWith('useridentity.') ? identityAlias(path) : path;
}

/** Every column: what a page reads when the request's selection is not known. */
const ALL: EventProjection = [...TOP_COLUMNS];

/** The paths of a projection; whole useridentity makes its parts redundant. */
function pathsOf(projection: EventProjection | undefined): string[] {
  const paths = projection ?? ALL;
  const whole = paths.includes('useridentity');
  return paths.filter((p) => !(whole && p.startsWith('useridentity.')));
}

/** The columns a page statement reads before its LIMIT. */
export function innerColumns(projection: EventProjection | undefined): Sql {
  const paths = pathsOf(projection);
  const selected = paths.map((p) => (p.startsWith('useridentity.') ? `${p} AS ${identityAlias(p)}` : p));
  return trusted([...KEY_COLUMNS, ...selected, ...PARTITION_COLUMNS].join(', '));
}

/** What the page statement returns, computed after its LIMIT: structs as JSON text, for the rows kept. */
export function outputColumns(projection: EventProjection | undefined): Sql {
  const paths = pathsOf(projection);
  const out = paths.map((p) => {
    const alias = aliasOf(p);
    return STRUCTS.has(p) ? `json_format(CAST(${alias} AS JSON)) AS ${alias}` : alias;
  });
  return trusted([...KEY_COLUMNS, ...out, ...PARTITION_COLUMNS].join(', '));
}

/** The same columns, all NULL: for the row that only says a row exists behind the cursor. */
export function nullOutputColumns(projection: EventProjection | undefined): Sql {
  const aliases = [...KEY_COLUMNS, ...pathsOf(projection).map(aliasOf), ...PARTITION_COLUMNS];
  return trusted(aliases.map((a) => `CAST(NULL AS VARCHAR) AS ${a}`).join(', '));
}
