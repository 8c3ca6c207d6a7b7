/**
 * Imported first by the entry points that serve (the CLI, the bench): unless
 * the environment says otherwise, the process runs in production mode, so
 * graphql-js skips its development checks on every value it resolves (a
 * tenth of a wide query's time). Tests run in jest's own mode.
 */
process.env.NODE_ENV ??= 'production';

export {};
