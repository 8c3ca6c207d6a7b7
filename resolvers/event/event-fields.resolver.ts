import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Action } from '../../src/authz/actions';
import { readableRecord, requireAllowed } from '../../src/authz/guards';
import { Context } from '../../src/context';
import { JSONScalar } from '../common/scalars';
import { parseJsonColumn } from './event.mapper';
import { Event } from './event.type';
import { TlsDetails } from './user-identity.type';
import { AuthorizationDecision } from './authorization-decision.type';

/**
 * The sensitive fields of an event: payloads (what was asked and answered,
 * and the record as delivered) and network details (where the call came
 * from). They are resolved here, one place, so that what a caller may read
 * is decided in one place.
 *
 * authz: a caller without ReadPayloads / ReadNetworkDetails on the event's
 * account gets null and a FORBIDDEN error at the field's path; `raw` is
 * non-null in the contract, so it is redacted instead (see guards.ts).
 */
/**
 * A guarded field's value: at once when authorization is off (everything is
 * readable, and a page of events then makes no promise per field), else once
 * the caller's decision for the event's account allows it.
 */
function whenAllowed<T>(ctx: Context, action: Action, account: string, value: () => T): T | Promise<T> {
  if (!ctx.authz.enabled) return value();
  return requireAllowed(ctx.authz, action, account).then(value);
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

@Resolver(() => Event)
export class EventFieldsResolver {
  @FieldResolver(() => JSONScalar, { nullable: true })
  requestParameters(@Root() e: Event, @Ctx() ctx: Context): unknown {
    return whenAllowed(ctx, Action.ReadPayloads, e.stored.key.account, () => parseJsonColumn(e.stored.columns.requestparameters));
  }

  @FieldResolver(() => JSONScalar, { nullable: true })
  responseElements(@Root() e: Event, @Ctx() ctx: Context): unknown {
    return whenAllowed(ctx, Action.ReadPayloads, e.stored.key.account, () => parseJsonColumn(e.stored.columns.responseelements));
  }

  @FieldResolver(() => JSONScalar, { nullable: true })
  additionalEventData(@Root() e: Event, @Ctx() ctx: Context): unknown {
    return whenAllowed(ctx, Action.ReadPayloads, e.stored.key.account, () => parseJsonColumn(e.stored.columns.additionaleventdata));
  }

  /** Read from the payloads: empty (the list is non-null in the contract) without ReadPayloads. */
  @FieldResolver(() => [AuthorizationDecision], {
    description: 'Verified Permissions decisions recorded in this event (IsAuthorized,\nBatchIsAuthorized, IsAuthorizedWithToken); empty for other events.',
  })
  authorizationDecisions(@Root() e: Event, @Ctx() ctx: Context): AuthorizationDecision[] | Promise<AuthorizationDecision[]> {
    if (!ctx.authz.enabled) return e.authorizationDecisions;
    return ctx.authz.may(Action.ReadPayloads, e.stored.key.account).then((allowed) => (allowed ? e.authorizationDecisions : []));
  }

  @FieldResolver(() => JSONScalar, { nullable: true })
  serviceEventDetails(@Root() e: Event, @Ctx() _ctx: Context): unknown {
    return parseJsonColumn(e.stored.columns.serviceeventdetails);
  }

  @FieldResolver(() => JSONScalar, { description: 'The record exactly as delivered.' })
  raw(@Root() e: Event, @Ctx() ctx: Context): unknown {
    if (e.stored.raw === null) return null;
    const record: unknown = JSON.parse(e.stored.raw);
    // Auth off: everything is readable, nothing to redact.
    return ctx.authz.enabled ? readableRecord(ctx.authz, e.stored.key.account, record) : record;
  }

  @FieldResolver(() => String, { nullable: true })
  sourceIpAddress(@Root() e: Event, @Ctx() ctx: Context): string | null | Promise<string | null> {
    return whenAllowed(ctx, Action.ReadNetworkDetails, e.stored.key.account, () => text(e.stored.columns.sourceipaddress));
  }

  @FieldResolver(() => String, { nullable: true })
  userAgent(@Root() e: Event, @Ctx() ctx: Context): string | null | Promise<string | null> {
    return whenAllowed(ctx, Action.ReadNetworkDetails, e.stored.key.account, () => text(e.stored.columns.useragent));
  }

  @FieldResolver(() => TlsDetails, { nullable: true })
  tlsDetails(@Root() e: Event, @Ctx() ctx: Context): TlsDetails | null | Promise<TlsDetails | null> {
    return whenAllowed(ctx, Action.ReadNetworkDetails, e.stored.key.account, () => {
      const t = e.stored.tlsDetails;
      return t ? { tlsVersion: t.tlsversion, cipherSuite: t.ciphersuite, clientProvidedHostHeader: t.clientprovidedhostheader } : null;
    });
  }
}
