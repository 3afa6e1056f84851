-- A 429 seen by one process pauses every process on the key until its Retry-After.
-- KEYS[1] pause (time in ms)   ARGV[1] wait_ms
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = tonumber(ARGV[1])
local until_ms = now + wait
local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if until_ms > current then
  redis.call('SET', KEYS[1], string.format('%.0f', until_ms), 'PX', string.format('%.0f', wait + 1))
end
return 1
