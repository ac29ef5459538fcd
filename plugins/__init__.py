"""The built-in plugins: coachflow's own coaching method, as ordinary plugins.

Each module here is written exactly as a third-party plugin would be: it
implements ``register_steps`` and registers step classes whose methods
implement the workflow hooks. :data:`BUILTIN_PLUGINS` lists them in the
order of the method.
"""

BUILTIN_PLUGINS: tuple[str, ...] = (
    "coachflow.plugins.allow_disappointment",
    "coachflow.plugins.request_feedback",
    "coachflow.plugins.feedback_patterns",
    "coachflow.plugins.analyze_control",
    "coachflow.plugins.maintain_momentum",
    "coachflow.plugins.celebrate_wins",
)
