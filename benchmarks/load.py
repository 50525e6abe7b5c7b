"""The load generator: wrk on loopback, driven by a Lua script that cycles
through a list of paths, and reports its figures as one JSON line."""

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA = r"""
local paths = {}
local index = 0
local count = 0
local limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body == "" then body = nil end

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
  local extra = os.getenv("BENCH_HEADERS") or ""
  for name, value in string.gmatch(extra, "([^:\n]+):%s*([^\n]+)") do
    wrk.headers[name] = value
  end
end

function request()
  index = index % #paths + 1
  return wrk.format(method, paths[index], nil, body)
end

function response(status, headers, body)
  count = count + 1
  if limit > 0 and count >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
"""


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse(output: str) -> Result:
    """The figures of wrk's `done` line."""
    for line in output.splitlines():
        if line.startswith("BENCH "):
            raw = json.loads(line[len("BENCH ") :])
            return Result(
                requests=raw["requests"],
                seconds=raw["duration_us"] / 1e6,
                p50_ms=raw["p50_us"] / 1000,
                p99_ms=raw["p99_us"] / 1000,
                errors=raw["status_errors"] + raw["socket_errors"],
            )
    raise ValueError(f"no result line in wrk's output:\n{output}")


def run(
    base_url: str,
    paths: list[str],
    *,
    seconds: float,
    connections: int = 4,
    method: str = "GET",
    body: str = "",
    headers: dict[str, str] | None = None,
    limit: int = 0,
    timeout: int = 30,
) -> Result:
    """wrk for `seconds` (or until `limit` responses with one connection)."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench.lua"
        script.write_text(LUA)
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        env = os.environ | {
            "BENCH_PATHS": str(listing),
            "BENCH_METHOD": method,
            "BENCH_BODY": body,
            "BENCH_LIMIT": str(limit),
            "BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in (headers or {}).items()),
        }
        command = [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{max(1, round(seconds))}s",
            "--timeout",
            f"{timeout}s",
            "--script",
            str(script),
            base_url,
        ]
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, check=True
        )
    return parse(done.stdout)
