"""Run work on untrusted files in a child process, bounded in time and memory.

A corrupt or hostile file can make a parser loop for ever, allocate without end or crash in
native code (pdfium is C++). Confining the work to a child process bounds all three: the child
runs under an address-space limit (``RLIMIT_AS``), so a decompression bomb ends in a
``MemoryError`` there; the parent waits at most ``timeout`` seconds and then kills it; and a
crash becomes an error message here instead of the end of the web or worker process.

Children are forked from multiprocessing's "forkserver", a helper process started once per
process with the parsers already imported: each run costs a fork (milliseconds) rather than a
new interpreter, and no child inherits the parent's threads, locks or database connections.
Functions and arguments cross the boundary by pickling, so pass module-level functions and
plain values (a file path, a MIME type). As with every start method but "fork", a script run as
``__main__`` is imported again in the child, so entry scripts need the usual
``if __name__ == "__main__":`` guard (manage.py, gunicorn and pytest have it).
"""

import contextlib
import functools
import multiprocessing
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

# Imported once in the forkserver, so that every child starts with them loaded: the parsers
# (which web workers never import), Pillow's common readers and the WebP writer.
PRELOAD = [
    "eprints_app.services.text_extraction",
    "eprints_app.services.thumbnails",
    "pypdfium2",
    "PIL.Image",
    "PIL.ImageOps",
    "PIL.BmpImagePlugin",
    "PIL.GifImagePlugin",
    "PIL.JpegImagePlugin",
    "PIL.PngImagePlugin",
    "PIL.TiffImagePlugin",
    "PIL.WebPImagePlugin",
]
# How long a killed child may take to be reaped.
REAP_SECONDS = 5


class BoundedWorkError(Exception):
    """The work raised, ran out of time or memory, or its process died."""


@functools.cache
def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _child(sender: Connection, function: Callable, args: tuple, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file of a document
    # Where a platform refuses the limit (macOS may), the time limit still holds.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        outcome = (True, function(*args))
    except BaseException as error:  # MemoryError and RecursionError included: report them all
        outcome = (False, f"{type(error).__name__}: {error}")
    sender.send(outcome)
    sender.close()


def run_bounded(function: Callable, *args: Any, timeout: float, memory_bytes: int) -> Any:
    """``function(*args)`` in a child process; its return value, or ``BoundedWorkError``."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, function, args, memory_bytes), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise BoundedWorkError(f"Stopped after {timeout:g} seconds without a result.")
        try:
            succeeded, value = receiver.recv()
        except EOFError:
            process.join(REAP_SECONDS)
            raise BoundedWorkError(f"The worker process died (exit code {process.exitcode}).") from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(REAP_SECONDS)
    if not succeeded:
        raise BoundedWorkError(value)
    return value
