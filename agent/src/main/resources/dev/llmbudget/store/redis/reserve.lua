-- Reserves one call's worst case in every account, all or none (RedisStore.reserve).
--
-- KEYS[1]  the zset of open reservations by expiry (<prefix>holds)
-- KEYS[2]  this reservation's hash (<prefix>r:<id>)
-- KEYS[3]  the kill-switch key (any key when ARGV[8] is '0')
-- KEYS[4.] for each account in key order: its hash (<prefix>a:<key>), then the hashes of its alsoCounted keys
-- ARGV[1]  key prefix (to name the swept reservations' hashes)
-- ARGV[2]  reservation id
-- ARGV[3]  amount, micro-USD (integer)
-- ARGV[4]  reservation timeout, ms: a reservation still open then is charged in full
-- ARGV[5]  grace, ms, after an account's expiresAt before its hash expires
-- ARGV[6]  ttl, ms, of a finished reservation's marker
-- ARGV[7]  how many expired reservations to sweep at most
-- ARGV[8]  '1' to check the kill switch, '0' not to
-- ARGV[9]  number of accounts n, then per account: limit, expiresAt (epoch ms, 0 = never), number of alsoCounted keys
--
-- Returns {1} granted (also when this id is already held: a retried reserve), {0, i, spent, held} refused by
-- the i-th account (1-based) with its balance over its key and alsoCounted keys, {2, value} halted by the
-- kill switch, {3, state} the id is already used by a finished reservation.
--
-- Reads and checks everything before the first write of the reservation: a script that fails half way is
-- not rolled back. Touches the swept reservations' keys without declaring them: standalone Redis only.

local function int(x)
  return string.format('%d', x)
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local prefix = ARGV[1]
local markerTtl = ARGV[6]

-- (a) charge in full, oldest first, a bounded number of reservations their callers never finished
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[7]))
for _, rid in ipairs(due) do
  local rkey = prefix .. 'r:' .. rid
  local r = redis.call('HMGET', rkey, 'state', 'amount', 'accounts')
  if r[1] == 'held' then
    local held = tonumber(r[2])
    for akey in string.gmatch(r[3], '[^\n]+') do
      if redis.call('EXISTS', akey) == 1 then
        redis.call('HINCRBY', akey, 'held', int(-held))
        redis.call('HINCRBY', akey, 'spent', int(held))
      end
    end
    redis.call('HSET', rkey, 'state', 'expired')
    redis.call('PEXPIRE', rkey, markerTtl)
  end
  redis.call('ZREM', KEYS[1], rid)
end

local existing = redis.call('HMGET', KEYS[2], 'state', 'amount')
if existing[1] then
  if existing[1] == 'held' and existing[2] == ARGV[3] then
    return {1}
  end
  return {3, existing[1]}
end

-- (b) an operator halted every call
if ARGV[8] == '1' then
  local kind = redis.call('TYPE', KEYS[3])['ok']
  if kind == 'string' then
    return {2, redis.call('GET', KEYS[3])}
  elseif kind ~= 'none' then
    return {2, '(a ' .. kind .. ' at ' .. KEYS[3] .. ')'}
  end
end

-- (c) every account must take the amount
local amount = tonumber(ARGV[3])
local n = tonumber(ARGV[9])
local k = 4
local a = 10
for i = 1, n do
  local limit = tonumber(ARGV[a])
  local counted = tonumber(ARGV[a + 2])
  local spent = 0
  local held = 0
  for j = 0, counted do
    local b = redis.call('HMGET', KEYS[k + j], 'spent', 'held')
    spent = spent + (tonumber(b[1]) or 0)
    held = held + (tonumber(b[2]) or 0)
  end
  if spent + held + amount > limit then
    return {0, i, spent, held}
  end
  k = k + 1 + counted
  a = a + 3
end

-- (d) hold it in every account and remember the reservation until it is finished or expires
local accounts = {}
k = 4
a = 10
for i = 1, n do
  local akey = KEYS[k]
  local expiresAt = tonumber(ARGV[a + 1])
  redis.call('HINCRBY', akey, 'held', ARGV[3])
  redis.call('HSET', akey, 'expires', ARGV[a + 1])
  if expiresAt > 0 then
    redis.call('PEXPIREAT', akey, int(expiresAt + tonumber(ARGV[5])))
  end
  accounts[i] = akey
  k = k + 1 + tonumber(ARGV[a + 2])
  a = a + 3
end
redis.call('HSET', KEYS[2], 'state', 'held', 'amount', ARGV[3], 'accounts', table.concat(accounts, '\n'))
redis.call('ZADD', KEYS[1], int(now + tonumber(ARGV[4])), ARGV[2])
return {1}
