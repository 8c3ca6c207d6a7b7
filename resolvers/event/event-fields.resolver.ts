import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Context } from '../../src/context';
import { JSONScalar } from '../common/scalars';
import { parseJsonColumn } from './event.mapper';
import { Event } from './event.type';
import { TlsDetails } from './user-identity.type';

/**
 * The sensitive fields of an event: payloads (what was asked and answered,
 * and the record as delivered) and network details (where the call came
 * from). They are resolved here, one place, so that what a caller may read
 * is decided in one place.
 */
@Resolver(() => Event)
export class EventFieldsResolver {
  @FieldResolver(() => JSONScalar, { nullable: true })
  requestParameters(@Root() e: Event, @Ctx() _ctx: Context): unknown {
    return parseJsonColumn(e.stored.columns.requestparameters);
  }

  @FieldResolver(() => JSONScalar, { nullable: true })
  responseElements(@Root() e: Event, @Ctx() _ctx: Context): unknown {
    return parseJsonColumn(e.stored.columns.responseelements);
  }

  @FieldResolver(() => JSONScalar, { nullable: true })
  additionalEventData(@Root() e: Event, @Ctx() _ctx: Context): unknown {
    return parseJsonColumn(e.stored.columns.additionaleventdata);
  }

  @FieldResolver(() => JSONScalar, { nullable: true })
  serviceEventDetails(@Root() e: Event, @Ctx() _ctx: Context): unknown {
    return parseJsonColumn(e.stored.columns.serviceeventdetails);
  }

  @FieldResolver(() => JSONScalar, { description: 'The record exactly as delivered.' })
  raw(@Root() e: Event, @Ctx() _ctx: Context): unknown {
    return e.stored.raw === null ? null : JSON.parse(e.stored.raw);
  }

  @FieldResolver(() => String, { nullable: true })
  sourceIpAddress(@Root() e: Event, @Ctx() _ctx: Context): string | null {
    const v = e.stored.columns.sourceipaddress;
    return v === null || v === undefined ? null : String(v);
  }

  @FieldResolver(() => String, { nullable: true })
  userAgent(@Root() e: Event, @Ctx() _ctx: Context): string | null {
    const v = e.stored.columns.useragent;
    return v === null || v === undefined ? null : String(v);
  }

  @FieldResolver(() => TlsDetails, { nullable: true })
  tlsDetails(@Root() e: Event, @Ctx() _ctx: Context): TlsDetails | null {
    const t = e.stored.tlsDetails;
    return t ? { tlsVersion: t.tlsversion, cipherSuite: t.ciphersuite, clientProvidedHostHeader: t.clientprovidedhostheader } : null;
  }
}
