-- wrk -s transfer.lua ... -- TOKENS_TSV [RATE_PER_THREAD]: each request moves 0.01 INR from a random member to
-- another, with that member's token and a key of its own (Idempotency-Key is required on transfers).
dofile(string.gsub(debug.getinfo(1, "S").source:sub(2), "[^/]*$", "") .. "common.lua")
local members
local sent = 0

function init(args)
  members = read_tsv(args[1])
  paced(args)
  math.randomseed(os.time() * 1000 + thread_id)
end

function request()
  sent = sent + 1
  local from = math.random(#members)
  local to = math.random(#members - 1)
  if to >= from then to = to + 1 end
  local body = '{"toMemberCode":"' .. members[to][1] .. '","amount":{"amount":"0.01","currency":"INR"},"note":"bench"}'
  return wrk.format("POST", "/api/v1/wallet/transfers", {
    ["Authorization"] = members[from][2], ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "wrk-" .. os.time() .. "-" .. thread_id .. "-" .. sent }, body)
end
