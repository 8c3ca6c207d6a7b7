import { ErrorCode, TrailgraphError } from '../src/errors';
import { decodeCursor, encodeCursor } from '../src/history/cursor';
import { decodeEventId, decodeId, encodeId, eventIdOf } from '../src/history/ids';

/** How ids were made before the loop: spread, map and join. */
const oldEncodeId = (type: string, parts: readonly string[]): string =>
  Buffer.from([type, ...parts.map(encodeURIComponent)].join(':'), 'utf8').toString('base64url');

/** The extensions.code of what f throws. */
const codeOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err instanceof TrailgraphError ? err.extensions.code : err;
  }
  return 'no error';
};

describe('global ids', () => {
  const partsList: string[][] = [
    ['2026/11/21', '602519374862', 'us-east-1', 'a1b2c3d4-1000-4e5f-9a8b-0123456789ab'],
    ['arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com', 'ASIA:with:colons', ''],
    ['ünïcødé 😀', 'a%2Fb', 'space and +plus', "quote'and\"double"],
    [],
  ];

  it('are the bytes they were before', () => {
    for (const parts of partsList) {
      for (const type of ['Event', 'Principal', 'Session', 'Resource'] as const) expect(encodeId(type, parts)).toBe(oldEncodeId(type, parts));
    }
  });

  it('round-trip their type and parts', () => {
    for (const parts of partsList) {
      const id = encodeId('Session', parts);
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeId(id)).toEqual({ type: 'Session', parts: parts.length ? parts : [] });
    }
    const key = { day: '2026/11/21', account: '602519374862', region: 'eu-west-1', eventId: 'e:1/2' };
    expect(decodeEventId(eventIdOf(key))).toEqual(key);
  });

  it('refuse what is not an id', () => {
    expect(codeOf(() => decodeId('not base64!'))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => decodeId(Buffer.from('Nope:x').toString('base64url')))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => decodeEventId(encodeId('Principal', ['arn'])))).toBe(ErrorCode.BAD_USER_INPUT);
  });
});

describe('cursors', () => {
  it('round-trip their key and check its shape', () => {
    const key = ['2026-11-21T23:09:13Z', 'a1b2c3d4-"quoted"-ü', 42];
    const cursor = encodeCursor(key);
    expect(decodeCursor(cursor, ['string', 'string', 'number'], 'after')).toEqual(key);
    expect(codeOf(() => decodeCursor(cursor, ['string', 'number', 'number'], 'after'))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => decodeCursor('%%%', ['string'], 'before'))).toBe(ErrorCode.BAD_USER_INPUT);
  });
});
