"""What the bundled example sessions are: the teaching scenarios and the text of ``data/README.md``.

Data, not code: :mod:`empathy_explorer.sessions.catalogue` turns each row of :data:`TEACHING_SCENARIOS`
into a :class:`~empathy_explorer.sessions.catalogue.SessionSpec` and fills :data:`README_TEMPLATE`.
Changing anything here changes ``data/``: rebuild it with ``python -m empathy_explorer.sessions build``.
"""

from __future__ import annotations

__all__ = ["README_TEMPLATE", "TEACHING_SCENARIOS"]

#: One row per teaching session: (seed, id, title, description, segments as (minutes, tone) in order,
#: parameters of ``simulate_dyad`` besides the default 10 minutes at 8 Hz).
TEACHING_SCENARIOS: tuple[
    tuple[int, str, str, str, tuple[tuple[float, str], ...], dict[str, object]], ...
] = (
    (
        101,
        "warm-rapport",
        "Warm rapport (simulated)",
        "The clinician's skin conductance follows the patient's about 2 s later most of the time; mostly "
        "positive exchanges. High true coupling.",
        ((3, "neutral"), (7, "positive")),
        {"coupling": 0.75, "lag_s": 2.0, "leader": "patient"},
    ),
    (
        102,
        "distant-interviewer",
        "Distant interviewer (simulated, after Marci & Orr 2006)",
        "An emotionally distant interviewer (averted gaze, little responsiveness): in Marci & Orr 2006 "
        "concordance and perceived empathy were both lower in this condition. Low true coupling.",
        ((10, "neutral"),),
        {"coupling": 0.1, "lag_s": 2.0, "leader": "patient"},
    ),
    (
        103,
        "conflict",
        "Conflict and repair (simulated)",
        "A neutral start, a conflict in the middle (higher arousal in both, weaker coupling) and a "
        "positive repair at the end.",
        ((3, "neutral"), (4, "conflict"), (3, "positive")),
        {"coupling": 0.6, "lag_s": 2.5, "leader": "patient"},
    ),
    (
        104,
        "shared-stressor",
        "Shared stressor, no coupling (simulated)",
        "Both people react to the same outside events (alarms, a phone ringing) but not to each other: "
        "synchrony at lag 0 without any coupling. The classic confound.",
        ((10, "neutral"),),
        {"coupling": 0.0, "shared_driver": 0.9, "shared_rate_per_min": 3.0},
    ),
    (
        105,
        "clinician-leads",
        "Clinician leads (simulated)",
        "The patient's responses follow the clinician's about 3 s later (e.g. the clinician guides a "
        "relaxation exercise).",
        ((5, "neutral"), (5, "positive")),
        {"coupling": 0.7, "lag_s": 3.0, "leader": "clinician"},
    ),
    (
        106,
        "strangers",
        "Two strangers, no link (simulated)",
        "No coupling and no shared driver: any synchrony found here is chance. Use it to see what a "
        "surrogate test should call not significant.",
        ((10, "neutral"),),
        {"coupling": 0.0, "shared_driver": 0.0},
    ),
    (
        107,
        "full-session-50min",
        "A full 50-minute session (simulated)",
        "A therapy-length session with changing tone: neutral opening, positive work, a conflict, repair "
        "and a neutral close. Used by the app's latency benchmark.",
        ((10, "neutral"), (15, "positive"), (10, "conflict"), (10, "positive"), (5, "neutral")),
        {"duration_s": 3000.0, "coupling": 0.5, "lag_s": 2.0, "leader": "patient", "shared_driver": 0.2},
    ),
)

#: ``data/README.md``, with ``{rows}`` (the sessions table), ``{people}``, ``{cohort_size}`` and
#: ``{cohort_seed}`` to fill in.
README_TEMPLATE = """# Example sessions (all simulated)

**Every session in this folder is simulated.** None is a recording of a real person. They were generated
by `empathy_explorer.sessions.simulate.simulate_dyad` with known ground truth (true coupling, lag, leader,
shared driver), so that synchrony methods can be checked against the answer. No open patient–therapist
physiology data set exists that may be redistributed.

## Rebuild

From the repository root:

```
python -m empathy_explorer.sessions build   # rewrites data/ (catalogue.json, sessions/*.csv, this README)
python -m empathy_explorer.sessions check   # rebuilds into a temporary folder and compares bytes
```

The build is deterministic (fixed seeds, fixed decimal formatting), so it reproduces these files byte
for byte; a test (`tests/sessions/test_catalogue_build.py`) checks that the committed files match a rebuild.

## Files

- `catalogue.json`: one JSON object with keys `format_version`, `simulated` (always `true`), `note`,
  `sessions` (a list, one object per session). Each session has:
  `id`, `title`, `description`, `group` (`teaching` or `cohort`), `file` (relative path of its CSV),
  `fs` (sampling rate, Hz), `duration_s`, `n_samples`, `columns` (CSV columns in order, each `name`, `unit`),
  `segments` (list of `start_s`, `end_s`, `tone` in `positive` / `neutral` / `conflict`),
  `rating` (simulated patient-rated empathy on an illustrative 0–100 scale, or `null`),
  `ground_truth` (`coupling`: probability the follower answers each of the leader's skin-conductance
  responses; `lag_s`: the follower's delay in seconds; `leader`: `patient`, `clinician` or `none`;
  `shared_driver`: probability each person responds to a common outside event),
  `simulated` (`true`), `seed` and `simulator` (the function and its parameters).
- `sessions/<id>.csv`: comma-separated, one header row, then one row per sample:
  `time_s` (s), `eda_patient`, `eda_clinician` (skin conductance, µS, 4 decimals),
  `hr_patient`, `hr_clinician` (heart rate, bpm, 2 decimals). Columns come in {people} order.

Load them with `empathy_explorer.sessions.list_sessions()` and `load_session(id)`.

## Sessions

| id | group | title | fs (Hz) | minutes |
|---|---|---|---|---|
{rows}

## Design and sources

- Skin conductance: tonic level 2–20 µS with slow drift, spontaneous responses 1–3 per minute at rest
  (more in conflict), response amplitudes 0.1–1 µS, each response the canonical SCR of Bach et al.
  (2010). Heart rate: coupled Ornstein–Uhlenbeck inter-beat intervals. Every parameter, its unit and
  its source (or "illustrative") is listed in `empathy_explorer.sessions.simulate.PARAMETERS`.
- Sampling rates: 8 Hz for teaching sessions, 4 Hz for the cohort (the Empatica E4 records EDA at 4 Hz).
- The **teaching** sessions are hand-designed scenarios; `distant-interviewer` follows the design of
  Marci & Orr (2006), where an emotionally distant interviewer lowered both concordance and perceived
  empathy. `full-session-50min` is a therapy-length session used by the latency benchmark.
- The **cohort** (`cohort-01` … `cohort-{cohort_size}`) has 20 dyads like Marci et al. (2007) (n = 20,
  skin-conductance concordance vs patient-rated empathy r = 0.47, p = 0.03; 95% CI about 0.04–0.76).
  Each dyad has a latent attunement that sets its true coupling; its simulated rating is the attunement
  plus rating noise. Cohort sessions are 20 minutes (shorter than a real session, to keep the data small
  and the notebooks quick). Which empathy scale Marci et al. used is not verified here, so the rating
  scale (0–100) is illustrative. The rating noise (SD 22 points) makes the expected concordance–rating
  correlation about 0.5 across simulated cohorts (5–95%: about 0.23–0.78 over 40 candidate cohorts,
  which is the uncertainty of any 20-dyad study); the cohort seed ({cohort_seed}) was picked among those
  candidates so that this cohort's correlation lands near the published r = 0.47. Concordance is higher
  in positive segments by design (coupling × 1.3 there, × 0.4 in conflict; see `TONE_EFFECTS`), the
  pattern Marci et al. (2007) reported.

References: Bach, Flandin, Friston & Dolan (2010) Int J Psychophysiol 75:349–356; Marci & Orr (2006)
Appl Psychophysiol Biofeedback 31:115–128; Marci, Ham, Moran & Orr (2007) J Nerv Ment Dis 195:103–111.
"""
