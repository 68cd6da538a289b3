"""The wrk output parser (run: .venv/bin/python -m pytest bench/viral/test_load.py)."""

from bench.viral.load import wrk_parse

OUTPUT = """\
Running 8s test @ http://127.0.0.1:41234/viral-bench/harbour-lease-the-1k-thread/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    11.61ms    4.10ms   1.20s    70.00%
    Req/Sec     1.15k   100.00     1.30k    80.00%
  Latency Distribution
     50%  850.00us
     75%   14.00ms
     90%   17.00ms
     99%    1.20s
  4577 requests in 8.00s, 809.11MB read
  Socket errors: connect 0, read 1, write 0, timeout 3
  Non-2xx or 3xx responses: 2
Requests/sec:    572.12
Transfer/sec:    101.14MB
"""


def test_rate_percentiles_and_errors_are_read_in_their_units():
    result = wrk_parse(OUTPUT)
    assert result.requests == 4577
    assert result.seconds == 8.0
    assert result.rate == 572.12
    assert result.p50 == 0.85
    assert result.p99 == 1200.0
    assert result.mean == 11.61
    assert result.errors == 6


def test_a_clean_run_has_no_errors():
    clean = "\n".join(
        line for line in OUTPUT.splitlines() if "errors" not in line and "Non-2xx" not in line
    )
    assert wrk_parse(clean).errors == 0
