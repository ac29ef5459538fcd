"""The person's own numbers: how many applications, how many noes, how far they got.

``maintain-momentum`` quotes them after each no and ``coachflow report``
opens with them, both through :class:`SearchTally` and
:func:`tally_sentence`, so the run and the report always say the same. The
counting rules are those of :mod:`coachflow.applications`: an application
is a company and a role, and a rejection whose application was never
recorded still counts as one (it was one).

How the numbers are framed is chosen from them (:func:`framing`): "one no
among many" only when there are many others, a plain "too early to tell"
with few, and no comfort the numbers contradict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from coachflow.applications import INTERVIEW_STAGES, DistinctApplications, counts_as_application, key_of, stage_reached


@attrs.frozen
class SearchNumbers:
    """The person's numbers: distinct applications, and how far they got.

    :ivar since: the date of the first event counted (``None`` when there is none).
    :ivar applications: distinct applications (see :mod:`coachflow.applications`).
    :ivar noes: rejections.
    :ivar interviews: applications that reached an interview (or further).
    :ivar offers: applications that brought an offer.
    """

    since: dt.date | None
    applications: int
    noes: int
    interviews: int
    offers: int


class SearchTally:
    """A running summary of the person's numbers (``ctx.journal.summary(SearchTally)``).

    Events may come in any order. Give it only some events (the report's
    period) and it counts those.
    """

    def __init__(self) -> None:
        self.since: dt.date | None = None
        self.applications = DistinctApplications()
        self.interviews = DistinctApplications()
        self.offers = DistinctApplications()
        self.noes = 0

    def add(self, event_id: int, event: Any) -> None:
        """Count one more event."""
        self.since = min(self.since or event.date, event.date)
        if event.type == "rejection":
            self.noes += 1
        if not getattr(event, "company", ""):
            return
        key = key_of(event)
        stage = stage_reached(event)
        if counts_as_application(event):
            self.applications.add(key)
        if stage in INTERVIEW_STAGES:
            self.interviews.add(key)
        if event.type == "milestone" and stage == "offer":  # a rejection at the offer stage is no offer
            self.offers.add(key)

    def numbers(self) -> SearchNumbers:
        """The numbers so far."""
        return SearchNumbers(since=self.since, applications=self.applications.count, noes=self.noes,
                             interviews=self.interviews.count, offers=self.offers.count)


def search_numbers(journal: Any) -> SearchNumbers:
    """The person's numbers so far, from a journal reader (kept up to date as a running summary)."""
    return journal.summary(SearchTally).numbers()


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def tally_sentence(numbers: SearchNumbers, *, qualifier: str = "") -> str:
    """The numbers as one line: ``8 noes from 8 applications; 2 reached an interview``.

    Without a capital letter or a full stop, so that it can open a title
    ("Perspective: 8 noes from ...") or a sentence.

    :param qualifier: words after "applications", such as "with news in this period".
    """
    applications = _count(numbers.applications, "application", "applications") + (f" {qualifier}" if qualifier else "")
    parts = [f"{_count(numbers.noes, 'no', 'noes')} from {applications}"]
    if numbers.interviews:
        parts.append(f"{numbers.interviews} reached an interview" if numbers.applications > 1 else
                     "it reached an interview")
    elif numbers.applications > 1:
        parts.append("none has reached an interview yet")
    if numbers.offers:
        parts.append("it brought an offer" if numbers.applications == 1 else
                     f"{numbers.offers} brought an offer" if numbers.offers == 1 else f"{numbers.offers} brought offers")
    return "; ".join(parts)


def framing(numbers: SearchNumbers, *, open_count: int | None = None, min_history: int = 3) -> str:
    """How to read the numbers, chosen from them; never a claim they contradict.

    :param open_count: applications still open, when known.
    :param min_history: below this many applications, the numbers are too few to read anything into.
    """
    applications, noes, interviews = numbers.applications, numbers.noes, numbers.interviews
    if applications < min_history:
        return ("That is too few to read anything into yet: early in a search, a no says very little about "
                "how it will go.")
    if noes >= applications and not open_count:
        if interviews:
            return (f"Every application so far has ended in a no, which is hard to take. {interviews} of them got "
                    "you to an interview, so your applications do open doors; the part to work on is what comes "
                    "after.")
        return ("Every application so far has ended in a no, and none reached an interview. That is hard, and it "
                "points at the applications themselves, which is the part you can change most.")
    if not interviews and applications >= 5:
        return ("None has reached an interview yet, which points at the applications themselves: that is the part "
                "you can change most.")
    # "many": at least six, and no more than half of them noes
    if applications >= 6 and noes * 2 <= applications:
        return "This no is one result among many, not a measure of you."
    return "A search is partly a numbers game, and progress rarely runs in a straight line."


__all__ = ["SearchNumbers", "SearchTally", "framing", "search_numbers", "tally_sentence"]
