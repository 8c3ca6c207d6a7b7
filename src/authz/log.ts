/** The slice of a pino / Fastify logger authz writes to. */
export interface AuthLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const SILENT: AuthLogger = { info() {}, warn() {}, error() {} };
