-- wrk -s register.lua ... -- TOKENS_TSV [RATE_PER_THREAD] ADMIN_BEARER: registrations by an admin under random
-- members (the plan's default placement), each with a new name, email address and Idempotency-Key.
dofile(string.gsub(debug.getinfo(1, "S").source:sub(2), "[^/]*$", "") .. "common.lua")
local members, admin
local sent = 0

function init(args)
  members = read_tsv(args[1])
  paced(args)
  admin = args[3]
  math.randomseed(os.time() * 1000 + thread_id)
end

function request()
  sent = sent + 1
  local id = os.time() .. "-" .. thread_id .. "-" .. sent
  local body = '{"sponsor":"' .. members[math.random(#members)][1] .. '","fullName":"Wrk Recruit ' .. id
    .. '","email":"wrk-' .. id .. '@example.com"}'
  return wrk.format("POST", "/api/v1/registrations", {
    ["Authorization"] = admin, ["Content-Type"] = "application/json", ["Idempotency-Key"] = "wrk-" .. id }, body)
end
