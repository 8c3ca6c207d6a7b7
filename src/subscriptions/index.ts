/** Live events for subscribers: the service, the WebSocket protocol and its routes. */
export { EventSubscriptions } from './event-subscriptions';
export type { Delivery, SubscribeRequest } from './event-subscriptions';
export { subscriptionHandler } from './websocket';
export { registerGraphqlRoutes } from './routes';
