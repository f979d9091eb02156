-- wrk -s pay.lua ... -- ORDERS_TSV [RATE_PER_THREAD] ADMIN_BEARER THREADS: pays the checked-out orders (order id,
-- grand total), each once; thread k takes orders k, k + THREADS, ... When a thread runs out it asks for a page that
-- does not exist, which counts as refused: the script reports it, and the run needs more orders.
dofile(string.gsub(debug.getinfo(1, "S").source:sub(2), "[^/]*$", "") .. "common.lua")
local orders, admin, step
local next_index

function init(args)
  orders = read_tsv(args[1])
  paced(args)
  admin = args[3]
  step = tonumber(args[4])
  next_index = thread_id + 1
end

function request()
  local order = orders[next_index]
  next_index = next_index + step
  if order == nil then
    return wrk.format("GET", "/api/v1/orders-exhausted")
  end
  return wrk.format("POST", "/api/v1/orders/" .. order[1] .. "/payment", {
    ["Authorization"] = admin, ["Content-Type"] = "application/json" },
    '{"reference":"wrk-' .. order[1] .. '","amount":{"amount":"' .. order[2] .. '","currency":"INR"}}')
end
