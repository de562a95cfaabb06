import { describe, expect, it } from '@jest/globals';
import { MAX_REPLIES, collectReplies } from './handler-replies.js';

describe('collectReplies', () => {
  it('one reply, an array in order, nothing for anything else', () => {
    const image = { type: 'image', image: { id: '1' } };
    expect(collectReplies('hi')).toEqual(['hi']);
    expect(collectReplies(image)).toEqual([image]);
    expect(collectReplies(['a', image, 'b'])).toEqual(['a', image, 'b']);
    for (const none of [undefined, null, '', 0, true, {}, { type: 1 }, () => 'x']) {
      expect(collectReplies(none)).toEqual([]);
    }
  });

  it('skips holes and non-reply items of an array', () => {
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    const holes = ['a', , undefined, null, '', 42, { text: 'no type' }, ['nested'], 'b'];
    expect(collectReplies(holes)).toEqual(['a', 'b']);
  });

  it('refuses an array longer than MAX_REPLIES before reading any item', () => {
    let reads = 0;
    const big = new Proxy(new Array<string>(MAX_REPLIES + 1).fill('x'), {
      get(target, key, receiver) {
        if (key !== 'length') reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(() => collectReplies(big)).toThrow(RangeError);
    expect(reads).toBe(0);
    expect(() => collectReplies(new Array(2 ** 32 - 1))).toThrow(/at most 50/);
    expect(collectReplies(new Array<string>(MAX_REPLIES).fill('x'))).toHaveLength(MAX_REPLIES);
  });

  it('a throwing item getter throws (the dispatcher isolates it): nothing is half-collected', () => {
    const hostile = ['a'];
    Object.defineProperty(hostile, 1, {
      get() {
        throw new Error('item getter');
      },
    });
    expect(() => collectReplies(hostile)).toThrow('item getter');
  });
});
