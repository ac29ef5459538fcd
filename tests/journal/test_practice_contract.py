"""The practice contract: what every backend's ``Practice`` (coachflow.journal.base) must do, tested on each.

A practice on this machine (the data folder the suite gives each test) and
a practice store on the test server, as one coach's role. The PostgreSQL
runs need ``COACHFLOW_TEST_POSTGRES`` (see ``tests/support/postgres.py``);
without it they skip, saying how to run them, and under ``CI=true`` they
fail. The commands on top are tested in ``tests/test_practice_backends.py``.
"""

from __future__ import annotations

import datetime as dt
import secrets

import hypothesis
import pytest
from hypothesis import strategies as st

from coachflow.clients import Client, ClientError
from coachflow.journal import BoardFacts, open_practice
from coachflow.models import Feedback, Milestone, Rejection
from support.postgres import practice_server

NOW = dt.datetime(2026, 11, 25, 17, 30)


@pytest.fixture
def _store():
    yield from practice_server()


@pytest.fixture(params=["files", "store"])
def practice(request):
    if request.param == "files":
        target = None
    else:
        target = request.getfixturevalue("_store").coach(f"coach{secrets.token_hex(3)}")
    with open_practice(target) as opened:
        yield opened


def test_clients_are_kept_with_their_settings_and_removed_whole(practice):
    assert practice.client_names() == []
    practice.save_client(Client(id="jo", name="Jo Park", support_contacts=["Mina"]), new=True)
    practice.save_client(Client(id="alex", name="Alex Smith", pipeline_target=4), new=True)
    with pytest.raises(ClientError, match="there is a client 'jo' already"):
        practice.save_client(Client(id="jo"), new=True)
    assert practice.client_names() == ["alex", "jo"]
    assert [client.display_name for client in practice.clients()] == ["Alex Smith", "Jo Park"]
    assert practice.client("jo") == Client(id="jo", name="Jo Park", support_contacts=["Mina"])
    assert practice.settings_of("jo") == practice.client("jo")
    assert practice.settings_of("nobody") is None
    with pytest.raises(ClientError, match="there is no client 'jx'"):
        practice.client("jx")
    practice.save_client(Client(id="jo", name="Jo P."))
    assert practice.client("jo").name == "Jo P."
    with practice.open_client("jo") as journal:
        journal.add_event(Milestone(kind="applied", company="Acme", role="Analyst", date=NOW.date()))
        journal.add_note("A good start", day=NOW.date())
    removed = practice.remove_client("jo")
    assert len(removed) == 2 and all("jo" in what for what in removed)
    assert practice.client_names() == ["alex"]
    with practice.open_client("jo", mode="read", missing_ok=True) as journal:
        assert journal.reader.last_event_id() == 0 and journal.reader.notes() == []


def test_the_board_facts_of_each_client(practice):
    practice.save_client(Client(id="alex", name="Alex Smith"), new=True)
    practice.save_client(Client(id="kim"), new=True)
    day = NOW.date()
    with practice.open_client("alex") as journal, journal.transaction():
        journal.add_event(Rejection(company="Delta", stage="final", date=day - dt.timedelta(days=10)))
        journal.add_event(Milestone(kind="applied", company="Acme", role="Analyst", date=day - dt.timedelta(days=9)))
        journal.add_event(Milestone(kind="applied", company="Beta", role="Analyst", date=day - dt.timedelta(days=8)))
        journal.add_event(Feedback(company="Acme", role="Analyst", text="The system design lacked depth",
                                   date=day - dt.timedelta(days=3)))
        journal.add_event(Rejection(company="Beta", role="Analyst", stage="screen", reason="Not enough SQL depth",
                                    date=day - dt.timedelta(days=1)))
        journal.add_event(Rejection(company="Gamma", stage="application", date=day - dt.timedelta(days=1)))
    board = {client.id: facts for client, facts in practice.board(NOW)}
    assert board["alex"] == BoardFacts(
        last_activity=day - dt.timedelta(days=1), open_applications=1, rejections_this_week=2, rejections_in_run=2,
        latest_rejection=(day - dt.timedelta(days=1), "Beta", "screen"), overdue=0, themes=("technical depth",))
    assert board["kim"] == BoardFacts(last_activity=None, open_applications=0, rejections_this_week=0,
                                      rejections_in_run=0, latest_rejection=None, overdue=0, themes=())
    # A hard run counted over other days than the week: Delta's no, ten days ago, is in a run of 14.
    assert {client.id: facts.rejections_in_run for client, facts in practice.board(NOW, run_days=14)} == {
        "alex": 3, "kim": 0}
    # Asked again after a new event, the facts follow it.
    with practice.open_client("alex") as journal:
        journal.add_event(Rejection(company="Acme", role="Analyst", stage="interview", date=day))
    (alex, _) = [facts for _, facts in practice.board(NOW)]
    assert (alex.last_activity, alex.open_applications, alex.rejections_this_week) == (day, 0, 3)
    assert alex.latest_rejection == (day, "Acme", "interview")


def test_the_last_activity_is_the_latest_event_date_whatever_order_they_were_entered_in(practice):
    """An event entered today for last month made the board say 'nothing recorded for 55 days'
    and 'last activity Thu 1 Oct': the date of the event entered last, not the latest date."""
    day = NOW.date()
    for name, dates in (("late-entry", (day - dt.timedelta(days=6), day - dt.timedelta(days=55))),
                        ("in-order", (day - dt.timedelta(days=55), day - dt.timedelta(days=6)))):
        practice.save_client(Client(id=name), new=True)
        with practice.open_client(name) as journal:
            journal.add_event(Rejection(company="Y", stage="screen", date=dates[0]))
            journal.add_event(Milestone(kind="applied", company="Z", role="Analyst", date=dates[1]))
    for _ in range(2):  # the first board works the facts out, the second reads them kept
        board = {client.id: facts for client, facts in practice.board(NOW)}
        assert board["late-entry"].last_activity == board["in-order"].last_activity == day - dt.timedelta(days=6)
    with practice.open_client("late-entry") as journal:
        assert journal.reader.latest_event_date() == day - dt.timedelta(days=6)
        journal.add_event(Feedback(company="Z", role="Analyst", text="Thanks", date=day - dt.timedelta(days=90)))
    assert {client.id: facts.last_activity for client, facts in practice.board(NOW)}["late-entry"] == (
        day - dt.timedelta(days=6))


_COMPANIES = st.sampled_from(["Acme", "acme", "ÖKO AG", "öko ag", "Beta"])
_ROLES = st.sampled_from(["", "Analyst", "ANALYST", "Engineer"])
_LIFECYCLE = st.one_of(
    st.builds(lambda c, r, d: Milestone(kind="applied", company=c, role=r, date=NOW.date() - dt.timedelta(days=d)),
              _COMPANIES, _ROLES, st.integers(0, 9)),
    st.builds(lambda c, r, d: Rejection(company=c, role=r, date=NOW.date() - dt.timedelta(days=d)),
              _COMPANIES, _ROLES, st.integers(0, 9)),
    st.builds(lambda c, r, d, k: Milestone(kind=k, company=c, role=r, date=NOW.date() - dt.timedelta(days=d)),
              _COMPANIES, _ROLES, st.integers(0, 9), st.sampled_from(["withdrawn", "accepted", "offer"])),
)


@hypothesis.settings(max_examples=25, deadline=None,
                     suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(history=st.lists(_LIFECYCLE, min_size=1, max_size=12))
def test_the_board_counts_the_open_applications_the_journal_lists(practice, history):
    # The board counts open applications for every client at once; the journal lists one client's.
    # Both follow the open rule of coachflow.journal.open_rule, so they agree on any history.
    name = f"c{secrets.token_hex(4)}"
    practice.save_client(Client(id=name), new=True)
    with practice.open_client(name) as journal:
        with journal.transaction():
            for event in history:
                journal.add_event(event)
        listed = len(journal.reader.open_applications())
    board = {client.id: facts for client, facts in practice.board(NOW)}
    assert board[name].open_applications == listed
    practice.remove_client(name)


def test_board_facts_kept_by_the_old_rule_are_made_again(_store):
    """Facts a store kept with the date of the event entered last are put right on the next board."""
    from support.postgres import admin_connection

    with open_practice(_store.coach(f"coach{secrets.token_hex(3)}")) as practice:
        practice.save_client(Client(id="b"), new=True)
        with practice.open_client("b") as journal:
            journal.add_event(Rejection(company="Y", stage="screen", date=NOW.date() - dt.timedelta(days=6)))
            journal.add_event(Milestone(kind="applied", company="Z", date=NOW.date() - dt.timedelta(days=55)))
        list(practice.board(NOW))
        with admin_connection(_store.admin_url) as admin:  # as the board before this fix kept them
            admin.execute("UPDATE coachflow.board_facts SET last_activity = %s", (NOW.date() - dt.timedelta(days=55),))
        ((_, facts),) = list(practice.board(NOW))
        assert facts.last_activity == NOW.date() - dt.timedelta(days=6)
