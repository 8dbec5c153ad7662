-- Adds one settlement made in the local fallback store to Redis, idempotently on its reservation id
-- (the Reconciler, once Redis answers again).
--
-- KEYS[1]  the applied-marker (<prefix>l:<id>)
-- KEYS[2.] the hashes of the settlement's accounts (<prefix>a:<key>)
-- ARGV[1]  actual cost, micro-USD
-- ARGV[2]  ttl, ms, of the applied-marker
-- ARGV[3]  grace, ms, after an account's expiresAt before its hash expires
-- ARGV[4.] expiresAt (epoch ms, 0 = never) of KEYS[2], KEYS[3], ...
--
-- Returns 1 applied, 0 already applied (the marker exists: nothing changes). An account whose window and
-- grace have passed is skipped: its hash is gone or about to be, and nobody counts it any more.

local function int(x)
  return string.format('%d', x)
end

if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local grace = tonumber(ARGV[3])
if tonumber(ARGV[1]) ~= 0 then
  for i = 2, #KEYS do
    local expiresAt = tonumber(ARGV[i + 2])
    if expiresAt == 0 or expiresAt + grace > now then
      redis.call('HINCRBY', KEYS[i], 'spent', ARGV[1])
      redis.call('HSET', KEYS[i], 'expires', ARGV[i + 2])
      if expiresAt > 0 then
        redis.call('PEXPIREAT', KEYS[i], int(expiresAt + grace))
      end
    end
  end
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
return 1
