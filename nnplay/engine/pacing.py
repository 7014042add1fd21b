"""Steps in chunks of about a given duration: the size of the next chunk learnt from the last one.

The command line trains in chunks of about 50 ms between updates of its
progress bar; the playground's training thread in chunks of about 2 ms, so
that a key never waits longer than one chunk for the lock.
"""

from __future__ import annotations


class Pace:
    def __init__(self, seconds: float, first: int = 16, most: int = 100_000):
        self.seconds, self.most = seconds, most
        self.size = first

    def took(self, steps: int, elapsed: float) -> None:
        """The last chunk of ``steps`` steps took ``elapsed`` seconds: size the next one."""
        if steps > 0:
            self.size = max(1, min(self.most, int(steps * self.seconds / max(elapsed, 1e-7))))
