/** What a batch function returns for a key that has no object (the resolver shows null). */
export class NotFoundError extends Error {
  constructor(readonly key: string) {
    super(`not found: ${key}`);
  }
}
