/**
 * The Redis store's server-side steps. Each runs atomically in Redis (a Lua script), which is what
 * makes compare-and-set, unique keys, claims and "posted exactly once" hold across instances.
 *
 * Layout, every key under the configured prefix and every key with a TTL:
 *   conv:<id>           hash: the conversation (logical deadline in `expiresAt`)
 *   key:<lookup key>    string: the id holding that key; same TTL as its conversation
 *   by-updated          zset of ids by updatedAt (purge)      by-expiry  zset of ids by expiresAt (purge)
 *   idle                zset of unfinished ids by updatedAt (listIdle)
 *   claim:<token>       string: the claim's deadline
 *   conv-claims:<id>    set of the claim tokens a conversation holds
 *   outbox:<id>         hash: an escalation entry           outbox-pending  zset of unposted ids by createdAt
 *   conv-outbox:<id>    set of a conversation's outbox ids
 *   outcome:<id>        hash: the conversation's de-identified outcome record (TTL: STATS_RETENTION_DAYS)
 *   outcomes            zset of outcome ids by startedAt       outcome-expiry  zset of outcome ids by expiresAt
 *
 * Times are milliseconds since the epoch, computed by the caller (the `now` each store method takes),
 * so tests can move the clock; the Redis TTL (relative, same length) is what actually frees the memory.
 * Keys derived from stored values are built inside the scripts from the prefix (ARGV[1]): fine on one
 * Redis server or a primary with replicas, not on Redis Cluster.
 */

/** Helpers shared by the scripts (prepended to each). */
const PRELUDE = `
local prefix = ARGV[1]
local function alive(hash, now)
  local deadline = redis.call('HGET', hash, 'expiresAt')
  return deadline and tonumber(deadline) > now
end
local function keyHolder(lookupKey, now)
  local holder = redis.call('GET', prefix .. 'key:' .. lookupKey)
  if not holder then return false end
  local hash = prefix .. 'conv:' .. holder
  if alive(hash, now) and redis.call('HGET', hash, 'key') == lookupKey then return holder end
  return false
end
-- A claim on token: false while another holder's deadline is after now; else taken until deadline.
local function takeClaim(token, now, deadline, ttl)
  local key = prefix .. 'claim:' .. token
  local held = redis.call('GET', key)
  if held and tonumber(held) > tonumber(now) then return false end
  redis.call('SET', key, deadline, 'PX', ttl)
  return true
end
-- Sets a TTL at least this long. PTTL is -1 for a key without one and -2 for a missing key (left
-- alone), so one call tells both.
local function extend(key, ttl)
  local left = redis.call('PTTL', key)
  if left ~= -2 and left < tonumber(ttl) then redis.call('PEXPIRE', key, ttl) end
end
-- The named fields of a hash that are set, as the flat name/value list HGETALL gives.
local function fieldsOf(hash, names)
  local values, out = redis.call('HMGET', hash, unpack(names)), {}
  for i, name in ipairs(names) do
    if values[i] then out[#out + 1] = name; out[#out + 1] = values[i] end
  end
  return out
end
local function index(id, updatedAt, expiresAt, open, ttl)
  redis.call('ZADD', prefix .. 'by-updated', updatedAt, id)
  redis.call('ZADD', prefix .. 'by-expiry', expiresAt, id)
  if open == '1' then redis.call('ZADD', prefix .. 'idle', updatedAt, id)
  else redis.call('ZREM', prefix .. 'idle', id) end
  for _, name in ipairs({'by-updated', 'by-expiry', 'idle'}) do extend(prefix .. name, ttl) end
end
local function saveEntry(id, conversation, payload, createdAt, expiresAt, ttl)
  local entry = prefix .. 'outbox:' .. id
  redis.call('HSET', entry, 'id', id, 'conversationId', conversation, 'payload', payload,
    'createdAt', createdAt, 'attempts', 0, 'expiresAt', expiresAt)
  redis.call('PEXPIRE', entry, ttl)
  local owned = prefix .. 'conv-outbox:' .. conversation
  redis.call('SADD', owned, id)
  extend(owned, ttl)
  redis.call('ZADD', prefix .. 'outbox-pending', createdAt, id)
  extend(prefix .. 'outbox-pending', ttl)
  return entry
end
-- The hashes <kind><id> of ids still alive at now, at most limit of them (0: all). Ids whose hash
-- is gone are dropped from the zset named index they came from.
local function collect(index, kind, ids, now, limit)
  local found = {}
  for _, id in ipairs(ids) do
    local hash = prefix .. kind .. id
    if redis.call('EXISTS', hash) == 0 then
      redis.call('ZREM', prefix .. index, id)
    elseif alive(hash, now) then
      found[#found + 1] = redis.call('HGETALL', hash)
      if #found == limit then break end
    end
  end
  return found
end
-- The outcome record that goes with a conversation write. An empty summary (the state did not
-- change) only moves its times; the channel, once known, stays.
local function writeOutcome(id, summary, startedAt, channel, now, endsAt, statsExpires, statsTtl)
  local hash = prefix .. 'outcome:' .. id
  if summary ~= '' then
    redis.call('HSET', hash, 'conversationId', id, 'summary', summary, 'startedAt', startedAt)
    redis.call('ZADD', prefix .. 'outcomes', startedAt, id)
  elseif redis.call('EXISTS', hash) == 0 then
    return
  end
  if channel ~= '' and not redis.call('HGET', hash, 'channel') then redis.call('HSET', hash, 'channel', channel) end
  redis.call('HSET', hash, 'updatedAt', now, 'conversationEndsAt', endsAt, 'expiresAt', statsExpires)
  redis.call('PEXPIRE', hash, statsTtl)
  redis.call('ZADD', prefix .. 'outcome-expiry', statsExpires, id)
  for _, name in ipairs({'outcomes', 'outcome-expiry'}) do extend(prefix .. name, statsTtl) end
end
`;

const script = (body: string) => `${PRELUDE}\n${body}`;

/**
 * ARGV: prefix, id, hasKey ('1'/'0'), key, state, surface, open ('1'/'0'), now, expiresAt, ttl,
 *       outcome summary, startedAt, channel ('' for none), outcome expiresAt, outcome ttl.
 * Returns 'ok', 'id-taken' or 'key-taken'.
 */
export const CREATE = script(`
local id, hasKey, lookupKey = ARGV[2], ARGV[3], ARGV[4]
local now, expiresAt, ttl = tonumber(ARGV[8]), ARGV[9], ARGV[10]
local hash = prefix .. 'conv:' .. id
if redis.call('EXISTS', hash) == 1 then return 'id-taken' end
if hasKey == '1' and keyHolder(lookupKey, now) then return 'key-taken' end
redis.call('HSET', hash, 'id', id, 'revision', 1, 'state', ARGV[5], 'surface', ARGV[6], 'open', ARGV[7],
  'createdAt', ARGV[8], 'updatedAt', ARGV[8], 'expiresAt', expiresAt)
if hasKey == '1' then
  redis.call('HSET', hash, 'key', lookupKey)
  redis.call('SET', prefix .. 'key:' .. lookupKey, id, 'PX', ttl)
end
redis.call('PEXPIRE', hash, ttl)
index(id, ARGV[8], expiresAt, ARGV[7], ttl)
writeOutcome(id, ARGV[11], ARGV[12], ARGV[13], ARGV[8], expiresAt, ARGV[14], ARGV[15])
return 'ok'
`);

/**
 * Compare-and-set on the revision, merging only the fields given; with an outbox change, the same
 * atomic step saves or withdraws an escalation of this conversation (updateWithOutbox).
 * ARGV: prefix, id, expectedRevision, now, expiresAt, ttl,
 *       hasState, state, open, hasSurface, surface, keyChange ('keep'|'clear'|'set'), key,
 *       outboxChange ('none'|'save'|'withdraw'), outbox id, payload (save),
 *       outcome summary ('' when the state is not given), startedAt, channel ('' for none),
 *       outcome expiresAt, outcome ttl.
 * Returns {'ok', fields...} (without the state and surface given), {'stale', fields...}, {'missing'},
 * {'key-taken'} or {'outbox-taken'}.
 */
export const UPDATE = script(`
local id, expected, now, expiresAt, ttl = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], ARGV[6]
local hash = prefix .. 'conv:' .. id
if not alive(hash, now) then return {'missing'} end
if tonumber(redis.call('HGET', hash, 'revision')) ~= expected then
  return {'stale', unpack(redis.call('HGETALL', hash))}
end
local oldKey = redis.call('HGET', hash, 'key')
local newKey = oldKey
if ARGV[12] == 'clear' then newKey = false elseif ARGV[12] == 'set' then newKey = ARGV[13] end
if newKey and newKey ~= oldKey then
  local holder = keyHolder(newKey, now)
  if holder and holder ~= id then return {'key-taken'} end
end
local outboxChange, entry = ARGV[14], prefix .. 'outbox:' .. (ARGV[15] or '')
if outboxChange == 'save' and redis.call('EXISTS', entry) == 1 then return {'outbox-taken'} end
if outboxChange == 'withdraw' and (redis.call('EXISTS', entry) == 0 or redis.call('HEXISTS', entry, 'postedTs') == 1) then
  return {'outbox-taken'}
end
-- Checks done; from here on the script only writes.
if oldKey and oldKey ~= newKey and redis.call('GET', prefix .. 'key:' .. oldKey) == id then
  redis.call('DEL', prefix .. 'key:' .. oldKey)
end
if newKey then
  redis.call('HSET', hash, 'key', newKey)
  redis.call('SET', prefix .. 'key:' .. newKey, id, 'PX', ttl)
else
  redis.call('HDEL', hash, 'key')
end
if ARGV[7] == '1' then redis.call('HSET', hash, 'state', ARGV[8], 'open', ARGV[9]) end
if ARGV[10] == '1' then redis.call('HSET', hash, 'surface', ARGV[11]) end
redis.call('HINCRBY', hash, 'revision', 1)
redis.call('HSET', hash, 'updatedAt', ARGV[4], 'expiresAt', expiresAt)
redis.call('PEXPIRE', hash, ttl)
index(id, ARGV[4], expiresAt, redis.call('HGET', hash, 'open'), ttl)
if outboxChange == 'save' then
  saveEntry(ARGV[15], id, ARGV[16], ARGV[4], expiresAt, ttl)
elseif outboxChange == 'withdraw' then
  redis.call('DEL', entry)
  redis.call('ZREM', prefix .. 'outbox-pending', ARGV[15])
  redis.call('SREM', prefix .. 'conv-outbox:' .. id, ARGV[15])
end
writeOutcome(id, ARGV[17], ARGV[18], ARGV[19], ARGV[4], expiresAt, ARGV[20], ARGV[21])
-- The caller holds the state and surface it gave: only the rest goes back (they are most of the bytes).
local names = {'id', 'key', 'revision', 'createdAt', 'updatedAt', 'expiresAt'}
if ARGV[7] ~= '1' then names[#names + 1] = 'state' end
if ARGV[10] ~= '1' then names[#names + 1] = 'surface' end
return {'ok', unpack(fieldsOf(hash, names))}
`);

/**
 * SET NX PX, with the deadline the caller's clock gives: a token whose deadline has passed is free
 * again even if Redis has not dropped it yet.
 * ARGV: prefix, token, now, deadline, ttl, conversation id ('' for none). Returns 1 or 0.
 */
export const CLAIM = script(`
if not takeClaim(ARGV[2], ARGV[3], ARGV[4], ARGV[5]) then return 0 end
if ARGV[6] ~= '' then
  local owned = prefix .. 'conv-claims:' .. ARGV[6]
  redis.call('SADD', owned, ARGV[2])
  extend(owned, ARGV[5])
end
return 1
`);

/**
 * CLAIM (a token of no conversation), then the conversation's fields when the claim was taken.
 * ARGV: prefix, token, now, deadline, ttl, conversation id. Returns {0} or {1, fields...}.
 */
export const CLAIM_THEN_GET = script(`
if not takeClaim(ARGV[2], ARGV[3], ARGV[4], ARGV[5]) then return {0} end
local reply = redis.call('HGETALL', prefix .. 'conv:' .. ARGV[6])
table.insert(reply, 1, 1)
return reply
`);

/**
 * Unfinished conversations idle since before a cut-off, oldest first; forgets ids whose conversation
 * is gone. ARGV: prefix, before, now, limit. Returns a list of field lists.
 */
export const LIST_IDLE = script(`
local before, now, limit = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
return collect('idle', 'conv:', redis.call('ZRANGEBYSCORE', prefix .. 'idle', '-inf', '(' .. before), now, limit)
`);

/**
 * ARGV: prefix, id, conversation id, payload, now, expiresAt, ttl.
 * Returns {'ok', fields...}, {'id-taken'} or {'no-conversation'}.
 */
export const SAVE_ESCALATION = script(`
local id, conversation, now, ttl = ARGV[2], ARGV[3], tonumber(ARGV[5]), ARGV[7]
local entry = prefix .. 'outbox:' .. id
if not alive(prefix .. 'conv:' .. conversation, now) then return {'no-conversation'} end
if redis.call('EXISTS', entry) == 1 then return {'id-taken'} end
saveEntry(id, conversation, ARGV[4], ARGV[5], ARGV[6], ttl)
return {'ok', unpack(redis.call('HGETALL', entry))}
`);

/**
 * Unposted entries, oldest first; forgets ids whose entry is gone. ARGV: prefix, now, limit.
 */
export const LIST_PENDING = script(`
local now, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local pending = prefix .. 'outbox-pending'
local found = {}
for _, id in ipairs(redis.call('ZRANGE', pending, 0, -1)) do
  local entry = prefix .. 'outbox:' .. id
  if redis.call('EXISTS', entry) == 0 or redis.call('HEXISTS', entry, 'postedTs') == 1 then
    redis.call('ZREM', pending, id)
  elseif alive(entry, now) then
    found[#found + 1] = redis.call('HGETALL', entry)
    if #found >= limit then break end
  end
end
return found
`);

/** Sets postedTs only if unset. ARGV: prefix, id, ts, now. Returns 1 for the first call, else 0. */
export const MARK_POSTED = script(`
local entry, now = prefix .. 'outbox:' .. ARGV[2], tonumber(ARGV[4])
if not alive(entry, now) or redis.call('HEXISTS', entry, 'postedTs') == 1 then return 0 end
redis.call('HSET', entry, 'postedTs', ARGV[3], 'postedAt', ARGV[4], 'lastAttemptAt', ARGV[4])
redis.call('HINCRBY', entry, 'attempts', 1)
redis.call('ZREM', prefix .. 'outbox-pending', ARGV[2])
return 1
`);

/** ARGV: prefix, id, error, now. Returns the entry's fields (empty when gone). */
export const RECORD_FAILURE = script(`
local entry, now = prefix .. 'outbox:' .. ARGV[2], tonumber(ARGV[4])
if not alive(entry, now) then return {} end
if redis.call('HEXISTS', entry, 'postedTs') == 0 then
  redis.call('HSET', entry, 'lastError', ARGV[3], 'lastAttemptAt', ARGV[4])
  redis.call('HINCRBY', entry, 'attempts', 1)
end
return redis.call('HGETALL', entry)
`);

/**
 * Deletes up to `batch` conversations idle since before `before` or expired at `now`, with their lookup
 * key, outbox entries and claims; their outcome records stay, marked as ended at `now`. Outcome
 * records past their own retention go too. Run until it reports nothing left; batches keep each script short,
 * so other clients are not held up by a large purge.
 * ARGV: prefix, before, now, batch. Returns {conversations deleted, ids examined}.
 */
export const PURGE = script(`
local before, now, batch = ARGV[2], ARGV[3], tonumber(ARGV[4])
local ids = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', prefix .. 'by-updated', '-inf', '(' .. before, 'LIMIT', 0, batch)) do
  ids[id] = true
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', prefix .. 'by-expiry', '-inf', now, 'LIMIT', 0, batch)) do
  ids[id] = true
end
local deleted, examined = 0, 0
for id in pairs(ids) do
  examined = examined + 1
  local hash = prefix .. 'conv:' .. id
  local lookupKey = redis.call('HGET', hash, 'key')
  if lookupKey and redis.call('GET', prefix .. 'key:' .. lookupKey) == id then
    redis.call('DEL', prefix .. 'key:' .. lookupKey)
  end
  local outbox = prefix .. 'conv-outbox:' .. id
  for _, entry in ipairs(redis.call('SMEMBERS', outbox)) do
    redis.call('DEL', prefix .. 'outbox:' .. entry)
    redis.call('ZREM', prefix .. 'outbox-pending', entry)
  end
  local claims = prefix .. 'conv-claims:' .. id
  for _, token in ipairs(redis.call('SMEMBERS', claims)) do
    redis.call('DEL', prefix .. 'claim:' .. token)
  end
  redis.call('DEL', outbox, claims)
  for _, name in ipairs({'by-updated', 'by-expiry', 'idle'}) do redis.call('ZREM', prefix .. name, id) end
  local outcome = prefix .. 'outcome:' .. id
  local ends = redis.call('HGET', outcome, 'conversationEndsAt')
  if ends and tonumber(ends) > tonumber(now) then redis.call('HSET', outcome, 'conversationEndsAt', now) end
  deleted = deleted + redis.call('DEL', hash)
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', prefix .. 'outcome-expiry', '-inf', now, 'LIMIT', 0, batch)) do
  examined = examined + 1
  redis.call('DEL', prefix .. 'outcome:' .. id)
  redis.call('ZREM', prefix .. 'outcome-expiry', id)
  redis.call('ZREM', prefix .. 'outcomes', id)
end
return {deleted, examined}
`);

/** ARGV: prefix, lookup key, now. Returns the holder's fields, or an empty list. */
export const GET_BY_KEY = script(`
local holder = keyHolder(ARGV[2], tonumber(ARGV[3]))
if not holder then return {} end
return redis.call('HGETALL', prefix .. 'conv:' .. holder)
`);

/**
 * Conversations updated at or after `since`, newest first; forgets ids whose conversation is gone.
 * ARGV: prefix, since, now, limit. Returns a list of field lists.
 */
export const LIST_RECENT = script(`
local since, now, limit = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local ids = redis.call('ZREVRANGEBYSCORE', prefix .. 'by-updated', '+inf', since)
return collect('by-updated', 'conv:', ids, now, limit)
`);

/**
 * Outcome records started in [since, until), oldest first; forgets ids whose record is gone.
 * ARGV: prefix, since, until, now. Returns a list of field lists.
 */
export const LIST_OUTCOMES = script(`
local since, untilMs, now = ARGV[2], ARGV[3], tonumber(ARGV[4])
local ids = redis.call('ZRANGEBYSCORE', prefix .. 'outcomes', since, '(' .. untilMs)
return collect('outcomes', 'outcome:', ids, now, 0)
`);
