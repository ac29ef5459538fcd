"""Small test steps: one that echoes, one that raises, one that returns garbage..."""

from __future__ import annotations

import time

import attrs

import coachflow


@attrs.define
class EchoOptions:
    label: str = coachflow.option("echo", help="Title prefix.")
    greeting: coachflow.Template = coachflow.option("Hello {company}", help="Body template.")


class Echo(coachflow.Step):
    """Returns one message naming the event, for every event type."""

    name = "echo"
    Options = EchoOptions

    def _reply(self, event, ctx):
        return coachflow.Action(kind="message", title=f"{self.options.label}: {event.type}",
                                body=ctx.render(self.options.greeting, event))

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return self._reply(event, ctx)

    @coachflow.hookimpl
    def on_feedback(self, event, ctx):
        return self._reply(event, ctx)

    @coachflow.hookimpl
    def on_milestone(self, event, ctx):
        return [self._reply(event, ctx)]


class Explode(coachflow.Step):
    """Always raises."""

    name = "explode"

    @coachflow.hookimpl
    def on_rejection(self):
        raise RuntimeError("the step broke")


class Garbage(coachflow.Step):
    """Returns something that is not an action."""

    name = "garbage"

    @coachflow.hookimpl
    def on_rejection(self):
        return 42


class Sleepy(coachflow.Step):
    """Takes longer than any sensible timeout."""

    name = "sleepy"

    @coachflow.hookimpl
    def on_rejection(self):
        time.sleep(5)


class CountRejections(coachflow.Step):
    """Reports how many rejections the journal holds, the current one included."""

    name = "count-rejections"

    @coachflow.hookimpl
    def on_rejection(self, ctx):
        return coachflow.Action(kind="insight", title=f"{ctx.journal.count('rejection')} rejections so far")


class StepsPlugin:
    """A plugin module stand-in registering the test steps."""

    @staticmethod
    @coachflow.hookimpl
    def register_steps(register):
        for step in (Echo, Explode, Garbage, Sleepy, CountRejections):
            register(step)
