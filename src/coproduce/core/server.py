"""Serving the site with waitress until asked to stop, then stopping gracefully.

`waitress.serve()` stops only on KeyboardInterrupt, raised wherever the main thread happens to be, and the
embedded task consumer replaces the SIGINT and SIGTERM handlers with its own, which only set a flag that
nothing reads while waitress runs: so `coproduce serve` ignored both signals. Here the main loop is ours:
SIGINT (Ctrl+C) or SIGTERM (a process manager's or a container's stop) ask it to stop, and then it

1. stops listening (the port is free at once; new connections are refused),
2. lets every request already received finish and its response be sent, for up to `grace` seconds,
   closing each connection as soon as it is idle,
3. stops the worker threads, and returns, so the caller can stop the task consumer and exit 0.

A second signal cuts the wait short (the requests still running are abandoned, as before).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# How often the main loop looks at the stop flag when nothing else wakes it (seconds).
POLL_SECONDS = 0.2


class GracefulServer:
    """A waitress server whose main loop stops cleanly when `request_stop()` is called (or on a signal)."""

    def __init__(self, application: Callable, *, grace: float = 5.0, **adjustments) -> None:
        self.server = create_server(application, **adjustments)
        # One listening socket gives a TcpWSGIServer (its map is `_map`); several give a MultiSocketServer.
        server: Any = self.server  # the stubs know only the base class, which has neither attribute
        self.map: dict = server.map if hasattr(server, "map") else server._map
        self.adj = self.server.adj
        self.grace = grace
        self.stopping = threading.Event()
        self.hurry = threading.Event()

    # --- Stopping ------------------------------------------------------------------------------------

    def request_stop(self, signum: int | None = None, frame=None) -> None:
        """Safe to call from a signal handler: it only sets flags that the main loop reads."""
        if self.stopping.is_set():
            self.hurry.set()
        self.stopping.set()

    def install_signal_handlers(self) -> None:
        """Call after anything else that installs handlers (the huey consumer does): the last one wins."""
        for signum in STOP_SIGNALS:
            signal.signal(signum, self.request_stop)
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, signal.SIG_DFL)  # the consumer's "restart" means nothing here

    # --- Running -------------------------------------------------------------------------------------

    def print_listen(self, format_str: str) -> None:
        self.server.print_listen(format_str)

    def _step(self, timeout: float) -> None:
        wasyncore.loop(timeout=timeout, map=self.map, use_poll=self.adj.asyncore_use_poll, count=1)

    def _listeners(self) -> list[BaseWSGIServer]:
        return [d for d in list(self.map.values()) if isinstance(d, BaseWSGIServer)]

    def _channels(self) -> list[HTTPChannel]:
        return [d for d in list(self.map.values()) if isinstance(d, HTTPChannel)]

    @staticmethod
    def _busy(channel: HTTPChannel) -> bool:
        # A request being read, waiting or running, or a response not yet sent.
        return bool(channel.requests or channel.request is not None or channel.total_outbufs_len)

    def serve(self) -> None:
        """Serve until asked to stop, then stop gracefully (see the module docstring) and return."""
        while not self.stopping.is_set():
            self._step(POLL_SECONDS)
        started = time.monotonic()
        logger.info("Stopping: no new connections; finishing the requests in flight.")
        for listener in self._listeners():
            listener.accepting = False
            wasyncore.dispatcher.close(listener)  # the listening socket only; its trigger stays for now
        deadline = started + self.grace
        while time.monotonic() < deadline and not self.hurry.is_set():
            busy = False
            for channel in self._channels():
                if self._busy(channel):
                    busy = True
                else:
                    channel.handle_close()  # idle (keep-alive): nothing to finish
            if not busy:
                break
            self._step(POLL_SECONDS / 4)
        left = [channel for channel in self._channels() if self._busy(channel)]
        if left:
            logger.warning("Stopping with %d request(s) unfinished.", len(left))
        # Let the worker threads end (they are idle unless a request overran the grace period).
        self.server.task_dispatcher.shutdown(timeout=0 if self.hurry.is_set() else 1)
        for dispatcher in list(self.map.values()):
            with contextlib.suppress(OSError):  # already closed by the peer
                dispatcher.close()
