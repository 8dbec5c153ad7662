-- Settles or releases one reservation, idempotently on its id (RedisStore.settle and release).
--
-- KEYS[1]  the reservation's hash (<prefix>r:<id>)
-- KEYS[2]  the zset of open reservations (<prefix>holds)
-- ARGV[1]  reservation id
-- ARGV[2]  actual cost, micro-USD (0 to release)
-- ARGV[3]  the final state to record: 'settled' or 'released'
-- ARGV[4]  ttl, ms, of the finished reservation's marker
--
-- Returns 1 a held reservation finished (held -= amount, spent += actual in each of its accounts),
-- 2 an expired one, already charged in full, corrected once (spent += actual - amount),
-- 0 already finished (a retry: nothing changes), -1 unknown id (never reserved here, or its marker expired).
--
-- Touches the reservation's account hashes, named in its hash, without declaring them: standalone Redis
-- only. An account hash that has expired is not recreated.

local function int(x)
  return string.format('%d', x)
end

local r = redis.call('HMGET', KEYS[1], 'state', 'amount', 'accounts')
local state = r[1]
if not state then
  return -1
end
local amount = tonumber(r[2])
local actual = tonumber(ARGV[2])
local heldDelta
local spentDelta
local result
if state == 'held' then
  heldDelta = -amount
  spentDelta = actual
  result = 1
elseif state == 'expired' then
  heldDelta = 0
  spentDelta = actual - amount
  result = 2
else
  return 0
end
for akey in string.gmatch(r[3], '[^\n]+') do
  if redis.call('EXISTS', akey) == 1 then
    if heldDelta ~= 0 then
      redis.call('HINCRBY', akey, 'held', int(heldDelta))
    end
    if spentDelta ~= 0 then
      redis.call('HINCRBY', akey, 'spent', int(spentDelta))
    end
  end
end
redis.call('HSET', KEYS[1], 'state', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
return result
