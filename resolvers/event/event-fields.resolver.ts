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
@Resolver(() => Event)
export class EventFieldsResolver {
  @FieldResolver(() => JSONScalar, { nullable: true })
  async requestParameters(@Root() e: Event, @Ctx() ctx: Context): Promise<unknown> {
    await requireAllowed(ctx.authz, Action.ReadPayloads, e.stored.key.account);
    return parseJsonColumn(e.stored.columns.requestparameters);
  }

  @FieldResolver(() => JSONScalar, { nullable: true })
  async responseElements(@Root() e: Event, @Ctx() ctx: Context): Promise<unknown> {
    await requireAllowed(ctx.authz, Action.ReadPayloads, e.stored.key.account);
    return parseJsonColumn(e.stored.columns.responseelements);
  }

  @FieldResolver(() => JSONScalar, { nullable: true })
  async additionalEventData(@Root() e: Event, @Ctx() ctx: Context): Promise<unknown> {
    await requireAllowed(ctx.authz, Action.ReadPayloads, e.stored.key.account);
    return parseJsonColumn(e.stored.columns.additionaleventdata);
  }

  /** Read from the payloads: empty (the list is non-null in the contract) without ReadPayloads. */
  @FieldResolver(() => [AuthorizationDecision], {
    description: 'Verified Permissions decisions recorded in this event (IsAuthorized,\nBatchIsAuthorized, IsAuthorizedWithToken); empty for other events.',
  })
  async authorizationDecisions(@Root() e: Event, @Ctx() ctx: Context): Promise<AuthorizationDecision[]> {
    return (await ctx.authz.may(Action.ReadPayloads, e.stored.key.account)) ? e.authorizationDecisions : [];
  }

  @FieldResolver(() => JSONScalar, { nullable: true })
  serviceEventDetails(@Root() e: Event, @Ctx() _ctx: Context): unknown {
    return parseJsonColumn(e.stored.columns.serviceeventdetails);
  }

  @FieldResolver(() => JSONScalar, { description: 'The record exactly as delivered.' })
  async raw(@Root() e: Event, @Ctx() ctx: Context): Promise<unknown> {
    return e.stored.raw === null ? null : readableRecord(ctx.authz, e.stored.key.account, JSON.parse(e.stored.raw));
  }

  @FieldResolver(() => String, { nullable: true })
  async sourceIpAddress(@Root() e: Event, @Ctx() ctx: Context): Promise<string | null> {
    await requireAllowed(ctx.authz, Action.ReadNetworkDetails, e.stored.key.account);
    const v = e.stored.columns.sourceipaddress;
    return v === null || v === undefined ? null : String(v);
  }

  @FieldResolver(() => String, { nullable: true })
  async userAgent(@Root() e: Event, @Ctx() ctx: Context): Promise<string | null> {
    await requireAllowed(ctx.authz, Action.ReadNetworkDetails, e.stored.key.account);
    const v = e.stored.columns.useragent;
    return v === null || v === undefined ? null : String(v);
  }

  @FieldResolver(() => TlsDetails, { nullable: true })
  async tlsDetails(@Root() e: Event, @Ctx() ctx: Context): Promise<TlsDetails | null> {
    await requireAllowed(ctx.authz, Action.ReadNetworkDetails, e.stored.key.account);
    const t = e.stored.tlsDetails;
    return t ? { tlsVersion: t.tlsversion, cipherSuite: t.ciphersuite, clientProvidedHostHeader: t.clientprovidedhostheader } : null;
  }
}
