"""celebrate-wins: small wins with the running tally; recent wins after a no."""

from __future__ import annotations

from support import actions_of, applied, milestone, only, open_journal, rejection, run, seed

STEP = "celebrate-wins"


def test_a_win_is_celebrated_with_the_running_tally(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal,
             milestone("good-conversation", "2026-10-01", "Acme"),
             milestone("interview-invitation", "2026-10-12", "Beta", "Analyst"),
             milestone("good-conversation", "2026-11-02", "Gamma"))
        result = run(journal, milestone("interview-invitation", "2026-11-25", "Delta", "Data Analyst"))
    (win,) = actions_of(result, STEP)
    assert win.kind == "celebration"
    assert win.title == "Invited to interview at Delta for Data Analyst"
    assert win.body.startswith("Your application did its job.")
    assert win.body.endswith("Your wins so far: 2 good conversations and 2 interview invitations.")


def test_the_first_win_is_counted_as_the_first(tmp_path):
    with open_journal(tmp_path) as journal:
        result = run(journal, milestone("positive-feedback", "2026-11-25", "Acme", notes="Loved the case study"))
    (win,) = actions_of(result, STEP)
    assert win.title == "Positive feedback from Acme"
    assert win.body.endswith("Your first recorded win: keep counting.")


def test_an_application_sent_is_not_a_win_unless_the_coach_says_so(tmp_path):
    with open_journal(tmp_path) as journal:
        plain = run(journal, applied("2026-11-25", "Acme"))
        counted = run(journal, applied("2026-11-25", "Beta"), only(STEP, 'win_kinds = ["applied"]\n'))
    assert actions_of(plain, STEP) == []
    (win,) = actions_of(counted, STEP)
    assert win.title == "Applied (Beta)"
    assert win.body == "That's a step forward; take a moment to notice it.\n\nYour wins so far: 2 applied."


def test_after_a_rejection_it_recalls_recent_wins_elsewhere(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal,
             milestone("offer", "2026-09-01", "Old Corp"),
             milestone("interview-invitation", "2026-11-01", "Beta"),
             milestone("interview-invitation", "2026-11-10", "Acme"),
             milestone("good-conversation", "2026-11-20", "Gamma"))
        result = run(journal, rejection("2026-11-25", "Acme"))
    (reminder,) = actions_of(result, STEP)
    assert reminder.title == "Remember your recent wins"
    assert reminder.body == (
        "Before this no takes up all the room: in the last 30 days you also had a good conversation with Gamma "
        "(20 Nov) and an interview invitation from Beta (1 Nov). It doesn't cancel any of that."
    )


def test_after_a_rejection_with_no_recent_wins_it_says_nothing(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, milestone("offer", "2026-09-01", "Old Corp"), applied("2026-11-20", "Beta"))
        result = run(journal, rejection("2026-11-25", "Acme"))
    assert actions_of(result, STEP) == []


def test_many_recent_wins_are_summed_up(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, *[milestone("good-conversation", f"2026-11-{day:02d}", f"Co{day}") for day in range(10, 16)])
        result = run(journal, rejection("2026-11-25", "Acme"), only(STEP, "max_recent = 2\n"))
    assert ("a good conversation with Co15 (15 Nov), a good conversation with Co14 (14 Nov) and 4 more wins"
            in actions_of(result, STEP)[0].body)
