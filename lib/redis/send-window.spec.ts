import { describe, expect, it } from '@jest/globals';
import { sendWindow } from './send-window.js';

describe('sendWindow', () => {
  it('opens when the slot has passed for any offset in the bounds, closes before the tolerance ends for any', () => {
    // Redis is 5000 to 5010 ms ahead of the local clock; the slot is at 9000 on Redis's clock.
    const window = sendWindow(9000, { lo: 5000, hi: 5010 }, 25);
    expect(window.earliest).toBe(4000); // offset 5000: slot at local 4000; offset 5010: 3990
    expect(window.latest).toBe(4015); // offset 5010: slot + 25 at local 4015; offset 5000: 4025
    expect(window.uncertaintyMs).toBe(10);
  });

  it('aims at the start of the window: all of it is room for a timer that fires late', () => {
    expect(sendWindow(1000, { lo: 0, hi: 0 }, 25).target).toBe(1000);
    expect(sendWindow(1000, { lo: -3, hi: 0 }, 250).target).toBe(1003); // never before the slot
    expect(sendWindow(1000, { lo: 0, hi: 240 }, 250).target).toBe(1000);
  });

  it('is empty when the offset is less certain than the tolerance', () => {
    const window = sendWindow(1000, { lo: 0, hi: 300 }, 250);
    expect(window.latest).toBeLessThan(window.earliest);
  });
});
