/**
 * Lua run inside Redis, so that "compare with the shared state, write it, append to the change stream" is one
 * atomic step per batch (https://redis.io/docs/latest/develop/interact/programmability/eval-intro/): two nodes
 * writing the same (target, action) at once cannot interleave between the compare and the write.
 *
 * KEYS[1] = <prefix>decisions:set (hash), KEYS[2] = <prefix>decisions:changes (stream),
 * KEYS[3] = <prefix>decisions:expiry (sorted set: score = expiresAt, member = "<field>\n<cluster id>")
 * ARGV[1] = node id, ARGV[2] = approximate stream length cap (MAXLEN ~)
 */

/**
 * ARGV[3..] = field, WireAdd JSON pairs. Last writer wins by (t, g): an entry older than the hash's is dropped
 * and not streamed, so a late push never undoes a newer decision anywhere. Returns how many were written.
 */
export const ADD_SCRIPT = `
local out = {}
for i = 3, #ARGV, 2 do
  local new = cjson.decode(ARGV[i + 1])
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  local win = true
  if cur then
    local c = cjson.decode(cur)
    if c.t > new.t or (c.t == new.t and c.g >= new.g) then win = false end
  end
  if win then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    -- A refresh keeps its cluster id, so its expiry member is the old one's: move it, or drop it if none now.
    if new.e then redis.call('ZADD', KEYS[3], new.e, ARGV[i] .. '\\n' .. new.g)
    else redis.call('ZREM', KEYS[3], ARGV[i] .. '\\n' .. new.g) end
    out[#out + 1] = ARGV[i + 1]
  end
end
if #out > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'n', ARGV[1], 'o', 'add', 'd', '[' .. table.concat(out, ',') .. ']')
end
return #out
`;

/**
 * ARGV[3..] = field, cluster id, WireDel JSON triples. The hash field goes only if it still holds that version
 * (same cluster id and, when the removal names it, same createdAt: a refresh keeps its cluster id), so a newer
 * re-add stays; the removal is streamed either way (a node holding that version drops it).
 */
export const DEL_SCRIPT = `
local out = {}
for i = 3, #ARGV, 3 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  if cur then
    local c = cjson.decode(cur)
    local t = cjson.decode(ARGV[i + 2]).t
    if c.g == ARGV[i + 1] and (t == nil or c.t == t) then redis.call('HDEL', KEYS[1], ARGV[i]) end
  end
  out[#out + 1] = ARGV[i + 2]
end
if #out > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'n', ARGV[1], 'o', 'del', 'd', '[' .. table.concat(out, ',') .. ']')
end
return #out
`;

/**
 * KEYS[1] = the set only. ARGV[1..] = field, cluster id, createdAt triples: drop expired entries from the hash
 * only if they are still that version. A refresh keeps its cluster id, so the id alone is not enough: a snapshot
 * pushes its own refresh of an expired entry before it prunes, and that refresh must stay.
 */
export const PRUNE_SCRIPT = `
local n = 0
for i = 1, #ARGV, 3 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  if cur then
    local c = cjson.decode(cur)
    if c.g == ARGV[i + 1] and c.t == tonumber(ARGV[i + 2]) then redis.call('HDEL', KEYS[1], ARGV[i]); n = n + 1 end
  end
end
return n
`;

/**
 * KEYS[1] = the set, KEYS[2] = the expiry index; ARGV[1] = now (epoch ms), ARGV[2] = at most this many.
 * Drops set entries whose expiry has passed (if the field still holds that version) and their index members.
 * Every node runs it now and then; it is idempotent and O(log n) when nothing is due. Nodes do not stream
 * expiries: each one's own sweep already removes expired decisions locally.
 */
export const EXPIRE_SCRIPT = `
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, m in ipairs(due) do
  local cut = string.find(m, '\\n', 1, true)
  local field = string.sub(m, 1, cut - 1)
  local cur = redis.call('HGET', KEYS[1], field)
  if cur then
    local c = cjson.decode(cur)
    -- Same cluster id and an expiry that has passed: a refresh under the same id with a later (or no) expiry stays.
    if c.g == string.sub(m, cut + 1) and c.e and c.e <= tonumber(ARGV[1]) then redis.call('HDEL', KEYS[1], field) end
  end
  redis.call('ZREM', KEYS[2], m)
end
return #due
`;
