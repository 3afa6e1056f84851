-- Books the next slot of a team's sliding window for one call, atomically (the same rule as
-- pacing/window.rs, on Redis's clock, for every process on the key).
-- KEYS[1] window (sorted set: booking -> time in ms)   KEYS[2] pause (time in ms)
-- KEYS[3] members (sorted set: process -> last seen)   KEYS[4] the limit learned by any process
-- ARGV: limit (0: unknown to this process), span_ms (window + margin), max_wait_ms, booking,
--       process, booking to drop or ''
-- Returns {booked 0|1, wait_ms, pause_left_ms, processes, limit (0: unknown to all)}.
-- While no process knows the limit, bookings are not checked against it: the caller lets one
-- call go alone to learn it from the API's headers.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
if limit > 0 then
  if tonumber(redis.call('GET', KEYS[4]) or '0') ~= limit then
    redis.call('SET', KEYS[4], limit, 'PX', 86400000)
  end
else
  limit = tonumber(redis.call('GET', KEYS[4]) or '0') or 0
end
local span = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
if ARGV[6] ~= '' then
  redis.call('ZREM', KEYS[1], ARGV[6])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - span))
redis.call('ZADD', KEYS[3], string.format('%.0f', now), ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', string.format('%.0f', now - 2 * span))
redis.call('PEXPIRE', KEYS[3], string.format('%.0f', 2 * span))
local processes = redis.call('ZCARD', KEYS[3])
local at = now
local pause = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
if pause > at then
  at = pause
end
local n = redis.call('ZCARD', KEYS[1])
if n > 0 then
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  local newest = tonumber(last[2])
  if newest > at then
    at = newest
  end
  if limit > 0 and n >= limit then
    local kth = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
    local free = tonumber(kth[2]) + span
    if free > at then
      at = free
    end
  end
end
local wait = at - now
local pause_left = pause - now
if pause_left < 0 then
  pause_left = 0
end
if wait > max_wait then
  return {0, wait, pause_left, processes, limit}
end
redis.call('ZADD', KEYS[1], string.format('%.0f', at), ARGV[4])
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', wait + span + 1000))
return {1, wait, pause_left, processes, limit}
