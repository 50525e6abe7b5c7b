"""A progress bar for commands, drawn only on a terminal."""

import sys
import time
from typing import TextIO


class ProgressBar:
    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and done < total:
            return
        self.last = now
        width = 30
        share = min(done / total, 1.0) if total else 0.0
        bar = "#" * int(share * width)
        rate = done / max(now - self.started, 1e-6)
        self.stream.write(
            f"\r{self.label} [{bar:<{width}}] {share:6.1%} {done:>9,} ({rate:,.0f}/s)"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
