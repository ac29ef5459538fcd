"""The time limit on step calls (``settings.step_timeout``).

In the main thread, where the ``coachflow`` command runs its steps, the
limit is a clock signal: while a run is going on, ``SIGALRM`` ticks a few
times a second, and a tick that finds the current step past its deadline
raises :class:`StepTimeout` inside it. The step is stopped where it is, its
``finally`` blocks run, and the run goes on in the same thread, so nothing
the step started is left running. A call costs two attribute writes and a
clock reading; the ticks cost nothing while no step is running.

Signals reach only the main thread, and a program may use ``SIGALRM`` for
itself. Elsewhere (a program that runs workflows in a worker thread, on a
platform without ``SIGALRM``) each step runs in a helper thread instead,
and one that runs past its deadline is left behind there, as Python cannot
stop a thread. Such a step sees the journal through a guard that is shut
before the run goes on: from then on every use of the journal by the step
raises, so a step left behind never touches the journal again, even while
the run that gave up on it closes it.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Iterator

#: The time limit on one step call when a workflow does not set one, in seconds.
DEFAULT_STEP_TIMEOUT = 10.0

#: The longest time between two ticks of the clock signal, in seconds.
MAX_TICK = 0.25


class StepTimeout(BaseException):
    """A step ran past its time limit.

    A :class:`BaseException`, like :class:`KeyboardInterrupt`, so that a
    step's own ``except Exception`` does not swallow it.

    :ivar left_behind: the step still runs, in a helper thread, cut off
        from the journal; otherwise it was stopped.
    """

    def __init__(self, *, left_behind: bool = False) -> None:
        super().__init__("left behind" if left_behind else "stopped")
        self.left_behind = left_behind


class StepLeftBehind(RuntimeError):
    """Raised in a step that was left behind when it uses the journal again."""


class TimeLimit:
    """Stops step calls that run past ``seconds``; see the module's description.

    Enter it (``with limit:``) around a run, then make each step call with
    :meth:`call`. Entering again while it is entered costs next to nothing,
    so a replay enters once for all its events and each event's run again.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._deadline: float | None = None
        self._depth = 0
        self._signal = False  # whether the clock signal serves the calls now
        self._previous: Any = None
        self._thread: _StepThread | None = None

    def __enter__(self) -> "TimeLimit":
        self._depth += 1
        if self._depth == 1:
            import signal

            if _can_use_alarm(signal):
                tick = min(MAX_TICK, self.seconds / 4)
                self._previous = signal.signal(signal.SIGALRM, self._tick)
                signal.setitimer(signal.ITIMER_REAL, tick, tick)
                self._signal = True
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._depth -= 1
        if self._depth == 0 and self._signal:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self._signal, self._previous, self._deadline = False, None, None

    def _tick(self, signum: int, frame: Any) -> None:
        # Raising here raises in whatever the main thread is running: the step.
        deadline = self._deadline
        if deadline is not None and time.monotonic() >= deadline:
            raise StepTimeout()

    def call(self, call: Callable[..., list], *, event: Any, ctx: Any) -> list:
        """``call(event=event, ctx=ctx)``, or :class:`StepTimeout` once it is past the limit."""
        if not self._signal:
            if self._thread is None:
                self._thread = _StepThread()
            return self._thread.call(call, self.seconds, event=event, ctx=ctx)
        self._deadline = time.monotonic() + self.seconds
        try:
            return call(event=event, ctx=ctx)
        finally:
            self._deadline = None


def _can_use_alarm(signal: Any) -> bool:
    """Whether this thread may use ``SIGALRM`` for step calls: the main thread, where nobody else does."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    if signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, signal.SIG_IGN, None):
        return False  # the program uses it for something of its own
    return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


class _StepThread:
    """Runs step calls in a daemon helper thread, so that a step can be given up on.

    One thread serves every call until a step runs past its limit; that
    step is left behind, its journal guard is shut, and the next call starts
    a fresh thread. Daemon threads cannot keep the process alive at exit.
    """

    def __init__(self) -> None:
        self._requests: Any = None
        self._replies: Any = None

    def call(self, call: Callable[..., list], seconds: float, *, event: Any, ctx: Any) -> list:
        import queue

        if self._requests is None:
            self._requests, self._replies = queue.SimpleQueue(), queue.SimpleQueue()
            threading.Thread(target=self._serve, args=(self._requests, self._replies), daemon=True,
                             name="coachflow-step").start()
        # The context is this call's own, so the step only ever sees the journal through the guard.
        guard = ctx.journal = JournalGuard(ctx.journal)
        self._requests.put((call, event, ctx))
        try:
            failed, value = self._replies.get(timeout=seconds)
        except queue.Empty:
            # Wait for a journal call the step is in to end, then shut the guard: the
            # step never reaches the journal again, whatever it does from now on.
            guard.shut()
            self._requests.put(None)  # the thread ends if the step ever returns
            self._requests = self._replies = None
            raise StepTimeout(left_behind=True) from None
        if failed:
            raise value
        return value

    @staticmethod
    def _serve(requests: Any, replies: Any) -> None:
        while True:
            request = requests.get()
            if request is None:
                return
            call, event, ctx = request
            try:
                replies.put((False, call(event=event, ctx=ctx)))
            except BaseException as exc:  # handed back to the thread that runs the workflow
                replies.put((True, exc))


class JournalGuard:
    """A journal reader as a step in a helper thread sees it, until :meth:`shut`.

    Every method call, and every step of an iterator a method returns, holds
    a lock and first checks that the guard is open; :meth:`shut` takes the
    same lock. So once it returns, the step is in no journal call and can
    start none.
    """

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self._lock = threading.Lock()
        self._open = True

    def shut(self) -> None:
        """Wait for the journal call in progress, if any, and refuse every later one."""
        with self._lock:
            self._open = False

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.reader, name)
        if not callable(value):
            return value

        def guarded(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self._check()
                result = value(*args, **kwargs)
            return self._iterate(result) if isinstance(result, Iterator) else result

        return guarded

    def _check(self) -> None:
        if not self._open:
            raise StepLeftBehind("this step ran past its time limit and was left behind; "
                                 "it can no longer read the journal")

    def _iterate(self, iterator: Iterator[Any]) -> Iterator[Any]:
        while True:
            with self._lock:
                self._check()
                try:
                    item = next(iterator)
                except StopIteration:
                    return
            yield item
