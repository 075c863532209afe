"""A TCP proxy that can be cut: a database "outage" without touching the shared server.

The site is pointed at the proxy's port instead of PostgreSQL's. ``cut()`` drops every
connection through it and refuses new ones, as a restarting server does; ``restore()`` listens
again on the same port. Used by tests/test_unavailable.py and bench/faults.py. ``SilentPort`` is
an endpoint that hangs instead (tests/test_s3_outage.py).
"""

import contextlib
import socket
import threading

HOST = "127.0.0.1"
CHUNK = 64 * 1024


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = HOST) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> "TcpProxy":
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> None:
        """Close the listener (new connections are refused) and every open connection."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            listener.close()
        with self._lock:
            sockets, self._open = self._open, set()
        for sock in sockets:
            close(sock)

    def restore(self) -> None:
        self.start()

    stop = cut

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    close(client)
                    close(upstream)
                    return
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):  # either side closed, or cut
            while data := source.recv(CHUNK):
                sink.sendall(data)
        for sock in (source, sink):
            close(sock)
            with self._lock:
                self._open.discard(sock)


def close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already shut by the other side
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class SilentPort:
    """A port that hangs its clients, as an endpoint on a stuck or unreachable host does.

    ``connecting=True`` (the default): connections are established and requests received, never
    answered, so a client waits for its read timeout. ``connecting=False``: the queue of
    connections waiting to be accepted is full, so a new one is never established and a client
    waits for its connect timeout.
    """

    def __init__(self, *, connecting: bool = True) -> None:
        self._listener = socket.socket()
        self._listener.bind((HOST, 0))
        self._listener.listen(128 if connecting else 0)
        self.port = self._listener.getsockname()[1]
        self._filler: socket.socket | None = None
        if not connecting:
            # The one place in the queue is taken; the kernel drops every later handshake.
            self._filler = socket.create_connection((HOST, self.port), timeout=5)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def close(self) -> None:
        for sock in (self._filler, self._listener):
            if sock is not None:
                close(sock)
