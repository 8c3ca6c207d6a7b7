/**
 * Where the server reads "now" (the end of default history windows, the
 * relative instants of saved investigations). Injected through buildApp's
 * deps so tests can pin it; the real clock by default.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
