-- Rejoining the shared window: adds what this process sent (or booked) while it paced itself,
-- so the fleet does not spend the same slots twice. Bookings already there are left as they are.
-- KEYS[1] window   ARGV: span_ms, then pairs of booking, age_ms (negative: still to come)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local span = tonumber(ARGV[1])
local newest = now
for i = 2, #ARGV - 1, 2 do
  local at = now - tonumber(ARGV[i + 1])
  if at > now - span then
    redis.call('ZADD', KEYS[1], 'NX', string.format('%.0f', at), ARGV[i])
    if at > newest then
      newest = at
    end
  end
end
local keep = newest - now + span + 1000
if redis.call('PTTL', KEYS[1]) < keep then
  redis.call('PEXPIRE', KEYS[1], string.format('%.0f', keep))
end
return 1
