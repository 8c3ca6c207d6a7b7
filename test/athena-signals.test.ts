import { getEventListeners } from 'node:events';
import { anySignal } from '../src/history/athena/signals';

// Many statements follow one long-lived signal (the engine's, a request's): it must hold one listener, not one per statement.
describe('anySignal', () => {
  it('adds one abort listener to a shared signal however many statements follow it', () => {
    const shared = new AbortController();
    const followers = Array.from({ length: 50 }, () => anySignal([shared.signal]));
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    shared.abort('gone');
    expect(followers.every((f) => f.signal.aborted && f.signal.reason === 'gone')).toBe(true);
  });

  it('aborts with the first source to abort, and a disposed follower no longer follows', () => {
    const a = new AbortController();
    const b = new AbortController();
    const kept = anySignal([a.signal, b.signal]);
    const disposed = anySignal([a.signal, b.signal]);
    disposed.dispose();
    b.abort('b first');
    a.abort('a later');
    expect(kept.signal.reason).toBe('b first');
    expect(disposed.signal.aborted).toBe(false);
  });

  it('is aborted at once when a source already is', () => {
    const a = new AbortController();
    a.abort('before');
    const { signal } = anySignal([new AbortController().signal, a.signal]);
    expect(signal.reason).toBe('before');
  });
});
