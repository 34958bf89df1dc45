/**
 * The Lua scripts that change a job's record atomically. Every script gets the key prefix as
 * ARGV[1] and builds its key names from it (so a Redis Cluster needs a hash-tagged prefix such
 * as `{botwire}`). A record is the hash `<prefix>:job:<id>`; it is indexed, scored by its
 * `runAt`, in `<prefix>:jobs`, `<prefix>:jobs:name:<name>`, `<prefix>:jobs:owner:<owner>`,
 * `<prefix>:jobs:key:<key>` and `<prefix>:state:<state>`; `<prefix>:key:<key>` holds the id of
 * the active job with that key, and `<prefix>:finished` the finished ones by when they finished.
 */

const common = `
local prefix = ARGV[1]
local function jobKey(id) return prefix .. ':job:' .. id end
local function isActive(state) return state == 'queued' or state == 'running' or state == 'retrying' end
local function indexKeys(id)
  local f = redis.call('HMGET', jobKey(id), 'name', 'owner', 'key')
  local keys = { prefix .. ':jobs' }
  if f[1] then table.insert(keys, prefix .. ':jobs:name:' .. f[1]) end
  if f[2] then table.insert(keys, prefix .. ':jobs:owner:' .. f[2]) end
  if f[3] then table.insert(keys, prefix .. ':jobs:key:' .. f[3]) end
  return keys
end
local function moveState(id, from, to, score)
  if from then redis.call('ZREM', prefix .. ':state:' .. from, id) end
  redis.call('ZADD', prefix .. ':state:' .. to, score, id)
end
local function releaseKey(id)
  local key = redis.call('HGET', jobKey(id), 'key')
  if key and redis.call('GET', prefix .. ':key:' .. key) == id then
    redis.call('DEL', prefix .. ':key:' .. key)
  end
end
local function finish(id, from, to, score, now)
  redis.call('HSET', jobKey(id), 'state', to, 'updatedAt', now, 'finishedAt', now)
  moveState(id, from, to, score)
  releaseKey(id)
  redis.call('ZADD', prefix .. ':finished', now, id)
end
`;

/**
 * ARGV: prefix, id, runAt, key ('' for none), dedupeMs ('' for none), then the record's fields
 * and values. Returns the fields of the active job with the key, or nothing when it stored the new one.
 */
const add = `${common}
local id, runAt, key, dedupeMs = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if key ~= '' then
  local existing = redis.call('GET', prefix .. ':key:' .. key)
  if existing and isActive(redis.call('HGET', jobKey(existing), 'state')) then
    return redis.call('HGETALL', jobKey(existing))
  end
end
local fields = {}
for index = 6, #ARGV do table.insert(fields, ARGV[index]) end
redis.call('HSET', jobKey(id), unpack(fields))
for _, index in ipairs(indexKeys(id)) do redis.call('ZADD', index, runAt, id) end
moveState(id, nil, 'queued', runAt)
if key ~= '' then
  if dedupeMs ~= '' then
    redis.call('SET', prefix .. ':key:' .. key, id, 'PX', dedupeMs)
  else
    redis.call('SET', prefix .. ':key:' .. key, id)
  end
end
return {}
`;

/**
 * ARGV: prefix, id, due, attempt, now. Marks the occurrence running when it is the job's current
 * one; returns { 'run', field, value, ... }, or { 'missing' | 'inactive' | 'stale' }.
 */
const begin = `${common}
local id, due, attempt, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local f = redis.call('HMGET', jobKey(id), 'state', 'runAt')
if not f[1] then return { 'missing' } end
if not isActive(f[1]) then return { 'inactive' } end
if f[2] ~= due then return { 'stale' } end
redis.call('HSET', jobKey(id), 'state', 'running', 'attemptsMade', attempt, 'updatedAt', now)
moveState(id, f[1], 'running', due)
local result = redis.call('HGETALL', jobKey(id))
table.insert(result, 1, 'run')
return result
`;

/** ARGV: prefix, id, due, error, now. A failed try that will be retried. */
const retry = `${common}
local id, due, message, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local f = redis.call('HMGET', jobKey(id), 'state', 'runAt')
if f[1] ~= 'running' or f[2] ~= due then return 0 end
redis.call('HSET', jobKey(id), 'state', 'retrying', 'lastError', message, 'updatedAt', now)
moveState(id, 'running', 'retrying', due)
return 1
`;

/**
 * ARGV: prefix, id, due, outcome ('done' | 'failed'), error, next due ('' for none), now.
 * Finishes the current occurrence once: counts the run, then either moves a recurring job to its
 * next occurrence (returns 1: the caller enqueues it) or ends the job (returns 2). Returns 0 when
 * the occurrence is not the job's current one any more (finished already, or cancelled).
 */
const finishOccurrence = `${common}
local id, due, outcome, message, nextDue, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local f = redis.call('HMGET', jobKey(id), 'state', 'runAt')
if not f[1] or f[2] ~= due or f[1] == 'done' or f[1] == 'failed' then return 0 end
redis.call('HINCRBY', jobKey(id), 'runs', 1)
if outcome == 'failed' then
  redis.call('HSET', jobKey(id), 'lastError', message)
else
  redis.call('HDEL', jobKey(id), 'lastError')
end
if f[1] == 'cancelled' then
  redis.call('HSET', jobKey(id), 'updatedAt', now)
  return 0
end
if nextDue ~= '' then
  redis.call('HSET', jobKey(id), 'state', 'queued', 'runAt', nextDue, 'attemptsMade', 0, 'updatedAt', now)
  for _, index in ipairs(indexKeys(id)) do redis.call('ZADD', index, nextDue, id) end
  moveState(id, f[1], 'queued', nextDue)
  return 1
end
finish(id, f[1], outcome, due, now)
return 2
`;

/** ARGV: prefix, id, now. Returns the cancelled job's runAt, or false when it was not active. */
const cancel = `${common}
local id, now = ARGV[2], ARGV[3]
local f = redis.call('HMGET', jobKey(id), 'state', 'runAt')
if not isActive(f[1]) then return false end
finish(id, f[1], 'cancelled', f[2], now)
return f[2]
`;

/** ARGV: prefix, finished before (ms), limit. Deletes finished records; returns how many. */
const prune = `${common}
local before, limit = ARGV[2], ARGV[3]
local ids = redis.call('ZRANGEBYSCORE', prefix .. ':finished', '-inf', before, 'LIMIT', 0, limit)
for _, id in ipairs(ids) do
  local state = redis.call('HGET', jobKey(id), 'state')
  for _, index in ipairs(indexKeys(id)) do redis.call('ZREM', index, id) end
  if state then redis.call('ZREM', prefix .. ':state:' .. state, id) end
  redis.call('DEL', jobKey(id))
  redis.call('ZREM', prefix .. ':finished', id)
end
return #ids
`;

/** The scripts by the name they get on the connection (prefixed, as it may be shared). */
export const jobScripts = {
  botwireJobAdd: add,
  botwireJobBegin: begin,
  botwireJobRetry: retry,
  botwireJobFinish: finishOccurrence,
  botwireJobCancel: cancel,
  botwireJobPrune: prune,
} as const;

export type JobScriptName = keyof typeof jobScripts;
