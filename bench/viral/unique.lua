-- wrk: GET the path given as the first argument with a query string no request repeats
-- (the run's nonce, the wrk thread and a counter), so no cache can answer it.
local threads_made = 0

function setup(thread)
    threads_made = threads_made + 1
    thread:set("thread_number", threads_made)
end

function init(args)
    path = args[1]
    nonce = args[2]
    counter = 0
end

function request()
    counter = counter + 1
    return wrk.format("GET", path .. "?viral=" .. nonce .. "-" .. thread_number .. "-" .. counter)
end
