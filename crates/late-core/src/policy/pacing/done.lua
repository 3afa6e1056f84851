-- Answers came later than the booking's margin covers: the server may have counted those
-- requests late, so their slots free a span after the answer instead of after the booking.
-- KEYS[1] window   ARGV: span_ms, then pairs of booking, age_ms of its answer
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local span = tonumber(ARGV[1])
for i = 2, #ARGV - 1, 2 do
  local at = now - tonumber(ARGV[i + 1])
  local old = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if old and tonumber(old) < at then
    redis.call('ZADD', KEYS[1], 'XX', string.format('%.0f', at), ARGV[i])
  end
end
if redis.call('PTTL', KEYS[1]) < span + 1000 then
  redis.call('PEXPIRE', KEYS[1], string.format('%.0f', span + 1000))
end
return 1
