import { describe, expect, it } from '@jest/globals';
import { ServerClock } from './server-clock.js';

describe('ServerClock', () => {
  it('bounds the offset by one round trip, then by the fastest round trip seen', () => {
    const clock = new ServerClock();
    // True offset 1000: Redis ran each call somewhere inside its round trip.
    expect(clock.observe(0, 150, 1100)).toEqual({ lo: 950, hi: 1100 }); // ran at local 100
    // A slow reply does not widen what a faster one already knew.
    expect(clock.observe(200, 260, 1210)).toEqual({ lo: 950, hi: 1010 }); // ran at local 210
    expect(clock.observe(300, 500, 1302)).toEqual({ lo: 950, hi: 1002 }); // ran at local 302
  });

  it('tells how uncertain the offset is now', () => {
    const clock = new ServerClock();
    expect(clock.uncertainty(0)).toBe(Infinity);
    clock.observe(0, 4, 1002);
    expect(clock.uncertainty(10)).toBe(4);
    expect(clock.uncertainty(20_000)).toBe(Infinity);
  });

  it('starts over when the samples contradict each other (the Redis clock jumped)', () => {
    const clock = new ServerClock();
    clock.observe(0, 10, 1005);
    // Redis's clock is now 60 s behind (a failover to another host).
    expect(clock.observe(100, 110, -58_895)).toEqual({ lo: -59_005, hi: -58_995 });
    expect(clock.observe(200, 204, -58_798)).toEqual({ lo: -59_002, hi: -58_998 });
  });

  it('forgets samples older than the horizon', () => {
    const clock = new ServerClock();
    clock.observe(0, 1, 1000); // offset known to [999, 1000]
    clock.observe(6000, 6100, 7050);
    // 12 s later, only samples of the last periods count: drift is allowed for.
    expect(clock.observe(12_000, 12_100, 13_050)).toEqual({ lo: 950, hi: 1050 });
  });
});
