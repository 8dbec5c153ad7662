-- Reads spent and held summed over account hashes, as one snapshot (RedisStore.balance).
--
-- KEYS     the account's hash, then the hashes of its alsoCounted keys
-- Returns {spent, held}, micro-USD (0 for a hash that does not exist).

local spent = 0
local held = 0
for i = 1, #KEYS do
  local b = redis.call('HMGET', KEYS[i], 'spent', 'held')
  spent = spent + (tonumber(b[1]) or 0)
  held = held + (tonumber(b[2]) or 0)
end
return {spent, held}
