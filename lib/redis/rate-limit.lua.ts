/**
 * Both limits of one send, decided atomically in Redis with Redis's own clock (`TIME`), so every
 * instance shares one schedule and clock skew between instances does not matter.
 *
 * GCRA (the generic cell rate algorithm) for each limit: a "theoretical arrival time" (TAT) per key,
 * in microseconds; a send at `t` conforms when `t >= TAT - tau` (tau = burst tolerance) and moves the
 * TAT to `max(TAT, t) + interval`. The throughput limit reserves the earliest conforming slot (the
 * caller sleeps until it); the pair limit is only checked at that slot, and both TATs advance from
 * the same slot, so the pair spacing is measured on the actual send times.
 *
 * KEYS[1] throughput TAT of the phone number, KEYS[2] pair TAT of (phone number, user).
 * ARGV: throughput interval, throughput tau, pair interval, pair tau, max wait (all µs).
 * Returns {status, wait µs, Redis time µs}: 1 = reserved, the slot is `wait` after that time; 0 = the
 * pair is busy, ask again after `wait` (nothing reserved); 2 = the throughput queue is longer than the
 * max wait (nothing reserved). The caller places the slot on its own clock with the Redis time
 * (server-clock.ts), so the latency of the reply is not added to the send time.
 */
export const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tpInterval = tonumber(ARGV[1])
local tpTau = tonumber(ARGV[2])
local pairInterval = tonumber(ARGV[3])
local pairTau = tonumber(ARGV[4])
local maxWait = tonumber(ARGV[5])
local tpTat = tonumber(redis.call('GET', KEYS[1]) or '0')
local pairTat = tonumber(redis.call('GET', KEYS[2]) or '0')
local slot = math.max(now, tpTat - tpTau)
if slot - now > maxWait then
  return {2, math.floor(slot - now), now}
end
local pairFrom = pairTat - pairTau
if slot < pairFrom then
  return {0, math.floor(pairFrom - now), now}
end
local newTp = math.max(tpTat, slot) + tpInterval
local newPair = math.max(pairTat, slot) + pairInterval
redis.call('SET', KEYS[1], string.format('%d', newTp), 'PX', math.floor((newTp - now) / 1000) + 1000)
redis.call('SET', KEYS[2], string.format('%d', newPair), 'PX', math.floor((newPair - now) / 1000) + 1000)
return {1, math.floor(slot - now), now}
`;

/**
 * Meta's throttling answers push the schedule back. KEYS[1] the TAT to move; ARGV: the earliest next
 * conforming time from now (µs), the key's tau (µs). The TAT only moves forward.
 */
export const PENALIZE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local target = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if target > tat then
  redis.call('SET', KEYS[1], string.format('%d', target), 'PX', math.floor((target - now) / 1000) + 1000)
end
return 1
`;
