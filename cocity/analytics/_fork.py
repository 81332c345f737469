"""Run one piece of work in a forked process while the caller goes on.

The analytics' heavy steps (igraph's betweenness, GEOS point-in-polygon tests) hold the
GIL, so threads would not overlap them. A fork shares the caller's arrays copy-on-write
(nothing is pickled on the way in); the result comes back pickled through a pipe. Written
here because ``concurrent.futures`` would pickle the inputs and keep a pool alive, and the
callers only ever need one extra process for one call.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import TypeVar

__all__ = ["can_fork", "start_in_fork"]

T = TypeVar("T")


def can_fork() -> bool:
    """Whether this platform can fork (Linux and other Unixes; not Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def start_in_fork(work: Callable[[], T], *, what: str) -> Callable[[], T]:
    """Start ``work()`` in a forked process; return a function that waits for its result.

    ``what`` names the work in the error raised when the child fails or dies. The result
    must be picklable.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def target() -> None:
        try:
            sender.send(("ok", work()))
        except BaseException as error:  # reported to the parent, which raises it
            sender.send(("error", repr(error)))
        finally:
            sender.close()

    process = context.Process(target=target, daemon=True)
    process.start()
    sender.close()

    def collect() -> T:
        try:
            status, value = receiver.recv()
        except EOFError:
            process.join()
            raise RuntimeError(f"the {what} worker died (exit code {process.exitcode})") from None
        finally:
            receiver.close()
        process.join()
        if status != "ok":
            raise RuntimeError(f"the {what} worker failed: {value}")
        return value  # type: ignore[no-any-return]

    return collect
