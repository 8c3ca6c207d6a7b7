import { FieldResolver, Resolver, Root } from 'type-graphql';
import { ClientInfo, classifyUserAgent } from '../../src/cloudtrail/client-tool';
import { ClientTool } from './client-tool.enum';
import { Event } from './event.type';

function clientOf(e: Event): ClientInfo {
  const agent = e.stored.columns.useragent;
  return classifyUserAgent(typeof agent === 'string' ? agent : null);
}

/** The client an event's call came from, parsed from its userAgent (docs/client-tool.md). */
@Resolver(() => Event)
export class EventClientToolResolver {
  @FieldResolver(() => ClientTool, { description: 'The client the call came from, parsed from userAgent (rules: docs/client-tool.md).' })
  clientTool(@Root() e: Event): ClientTool {
    return clientOf(e).tool;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The SDK\'s language (python, go, js, java, ...) when clientTool is SDK; null otherwise.' })
  sdkLanguage(@Root() e: Event): string | null {
    return clientOf(e).sdkLanguage;
  }
}
