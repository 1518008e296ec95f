"""A progress bar with an ETA on stderr (a line per tenth when stderr is not a terminal)."""

import sys
import time


class Progress:
    """Counts finished submissions and shows how long the rest will take."""

    def __init__(self, total: int, what: str = "grading") -> None:
        self.total, self.done, self.start, self.what = total, 0, time.monotonic(), what
        self.tty = sys.stderr.isatty()
        self._last_tenth = -1

    def step(self) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        bar = "#" * (30 * self.done // self.total)
        line = f"{self.what} [{bar:<30}] {self.done}/{self.total}  {elapsed:.0f} s, about {eta:.0f} s left"
        if self.tty:
            print("\r" + line, end="", file=sys.stderr, flush=True)
        elif 10 * self.done // self.total != self._last_tenth:
            self._last_tenth = 10 * self.done // self.total
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.tty:
            print(file=sys.stderr)
