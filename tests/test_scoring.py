"""The scoring engine on the hard cases people actually type."""

from __future__ import annotations

import textwrap

import pytest

from mlsd_drill.answer import parse_markdown, stage_of_heading
from mlsd_drill.model import Answer, Item, Rubric, Section
from mlsd_drill.scoring import score


def rubric(*items: Item) -> Rubric:
    return Rubric("q", tuple(items))


def item(
    iid: str, *signals: str | tuple[str, ...], stage: str = "model", weight: int = 1, level: str = "mid"
) -> Item:
    sigs = tuple(s if isinstance(s, tuple) else (s,) for s in signals)
    return Item(iid, stage, f"text of {iid}", sigs, f"why {iid}", weight, level)


def hits(text: str, r: Rubric) -> dict[str, bool]:
    res = score(parse_markdown(text), r)
    return {x.item.id: x.hit for x in res.items}


R = rubric(
    item("realtime", "real time features", stage="data"),
    item("fallback", "fallback", stage="serve"),
    item("downsample", "downsample negatives", stage="data"),
    item("velocity", "velocity features", stage="data"),
    item("ab", "a/b test", stage="serve"),
    item("latency", "p99 latency", stage="serve"),
    item("prauc", "pr auc", ("precision", "recall")),
    item("calibration", "calibration", "calibrated"),
    item("labels", "delayed labels", stage="data"),
    item("ctr", "click through rate", stage="clarify"),
    item("ann", "approximate nearest neighbor", stage="serve"),
)


@pytest.mark.parametrize(
    ("text", "iid"),
    [
        ("We need realtime features.", "realtime"),
        ("We need real-time features.", "realtime"),
        ("We need Real Time Features!", "realtime"),
        ("Use a fall back to rules.", "fallback"),
        ("A fall-back path exists.", "fallback"),
        ("Fallbacks everywhere.", "fallback"),
        ("If it times out, the page falls back to rules.", "fallback"),  # an inflected first word
        ("We downsampled the negatives.", "downsample"),
        ("We down sampled the negatives 10x.", "downsample"),
        ("We down-sample the negatives.", "downsample"),
        ("We down sample negatives.", "downsample"),
        ("Downsampling negatives helps.", "downsample"),
        ("Run an A/B test.", "ab"),
        ("Run AB tests.", "ab"),
        ("An online experiment decides.", "ab"),
        ("PR-AUC is the metric.", "prauc"),
        ("Watch precision. Also recall.", "prauc"),  # same paragraph, two sentences
        ("The scores must be calibrated.", "calibration"),
        ("calibraton is important", "calibration"),  # one-letter typo
        ("the lables are delayd", "labels"),  # typos, and the words in another order
        ("Labels arrive delayed by weeks.", "labels"),
        ("Predict CTR per impression.", "ctr"),
        ("Use ANN retrieval.", "ann"),
        ("approximate nearest neighbour search", "ann"),  # British spelling
        ("p99 latency under 50 ms", "latency"),
        ("w/ velocity features", "velocity"),
        # a label and its colon belong to the clause they name: "Labels: delayed ..."
        ("Labels: delayed, sometimes by weeks.", "labels"),
        ("No leakage: velocity features are computed point in time.", "velocity"),
    ],
)
def test_variants_are_credited(text: str, iid: str) -> None:
    assert hits(text, R)[iid], text


@pytest.mark.parametrize(
    ("signal", "text"),
    [
        ("optimize for bookings", "We optimise for bookings."),
        ("normalized watch time", "Watch time normalised by video length."),
        ("user behavior", "Features from user behaviour."),
        ("nearest neighbors", "Find the nearest neighbours."),
        ("randomized by user", "The test is randomised by user."),
        ("regularization", "Add L2 regularisation."),
        ("analyze errors", "Analyse errors per slice."),
        ("data center", "Serve from the nearest data centre."),
        ("license", "Check the image licence."),
        ("optimise for bookings", "We optimize for bookings."),  # and the other way round
    ],
)
def test_british_and_american_spellings_are_one(signal: str, text: str) -> None:
    # spelled right in either country, so the one-letter typo rule never had to apply
    assert hits(text, rubric(item("x", signal)))["x"], text


def test_an_ize_word_is_not_its_base_word() -> None:
    r = rubric(
        item("norm", "normalized watch time"),
        item("tok", "card tokenization"),
        item("rand", "randomized split"),
    )
    assert hits("Normal watch time; a card token in the wallet.", r) == {"norm": False, "tok": False, "rand": False}
    got = hits("We normalise watch time, tokenize card numbers and split at random.", r)
    assert got == {"norm": True, "tok": True, "rand": True}


@pytest.mark.parametrize(
    ("signal", "text"),
    [
        ("class weights", "A cost-sensitive loss, since a missed fraud costs 50x a false alarm."),
        ("cost sensitive", "Fraud is rare, so I'd use class weights in training."),
        ("temporal split", "Split by time: train on months 1-6, test on month 8."),
        ("split by time", "A chronological split, never a random one."),
        ("feature crosses", "Cross features like user country x ad category."),
        ("labels", "Ground truth comes from chargebacks."),
        ("shadow mode", "A dark launch first."),
        ("two tower", "A 2-tower model for retrieval."),
        ("knn", "Exact k-NN on a sample to check the index."),
        ("gbdt", "A GBM on the tabular features."),
        ("hyperparameter tuning", "HPO with a small budget."),
        ("p99 latency", "99th pct latency under 80 ms."),
        ("p99 latency", "Tail latency at p-99 is what we watch."),
        ("a/b test", "Then an a-b test on revenue."),
        ("binary cross entropy", "Train with binary CE."),
        ("pr auc", "Precision-Recall AUC, since positives are rare."),
        ("near real time", "NRT features from the stream."),
        ("email", "The e-mail goes out daily."),
        ("embeddings", "Embed the query with the same encoder."),
    ],
)
def test_names_for_one_thing_in_this_field_are_one(signal: str, text: str) -> None:
    """A bank author writes one name; the answer may use another (ABBREVIATIONS)."""
    assert hits(text, rubric(item("x", signal)))["x"], text


@pytest.mark.parametrize(
    ("signal", "text", "hit"),
    [
        # the plural of an acronym is the acronym, as a bank author writes it either way
        ("llm", "Two LLMs answer in turn.", True),
        ("gbdt ranker", "GBDTs as the ranker.", True),
        ("gpus", "One GPU is enough.", True),
        ("kpi", "The KPIs are set by the business.", True),
        # "-anced"/"-enced" forms are their "-ance"/"-ence" noun, which Snowball stems shorter
        ("class imbalance", "The classes are heavily imbalanced.", True),
        ("imbalanced data", "Expect a huge imbalance in the data.", True),
        ("reference answers", "Answers are referenced against the docs.", True),
        # ... while a word with a vowel inside keeps its "s": "news" is no "new"
        ("new feed", "The news feed.", False),
        ("gp", "GPS traces from the courier app.", False),
    ],
)
def test_words_snowball_leaves_apart_are_one(signal: str, text: str, hit: bool) -> None:
    assert hits(text, rubric(item("x", signal)))["x"] is hit, text


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("We get about 50k support chats a day.", True),
        ("Thirty thousand orders an hour at peak.", True),
        ("Traffic: 1.2B events/day.", True),
        ("Assume 2,000 tickets per day.", True),
        ("A few million new panoramas every day.", True),
        ("Say 30k tickets/d.", True),
        ("We retrain 2 times a day.", False),  # a count, not a figure
        ("A 30-day window, refreshed per day.", False),
        ("The labels arrive within a day or two.", False),
    ],
)
def test_a_figure_placeholder_matches_any_figure_and_what_it_counts(text: str, hit: bool) -> None:
    r = rubric(item("scale", "<number> per day|<number> per hour"))
    assert hits(text, r)["scale"] is hit


def test_figures_in_any_script_and_of_any_length_are_read_without_error() -> None:
    r = rubric(item("scale", "<number> per day"))
    assert hits("Some \u0663\u0660k chats a day.", r)["scale"]  # Arabic-Indic digits: 30k
    assert not hits("About 05 users a day.", r)["scale"]  # a leading zero: a count
    assert hits(f"1{'7' * 5000} events a day.", r)["scale"]  # longer than int() reads


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("Churn = no renewal within 30 days.", True),
        ("A user is gone after a month of silence, i.e. no login for 30 days.", True),
        # ... but a negation that is no definition still turns the point down
        ("No 30 days window, I'd use 60.", False),
        ("We don't need a 30 days lookback.", False),
        # "means" names a consequence as often as a definition: no sign either way
        ("A weekly batch means no 30 days lookback at all.", False),
    ],
)
def test_a_definition_made_of_a_negation_turns_nothing_down(text: str, hit: bool) -> None:
    assert hits(text, rubric(item("window", "30 days", stage="clarify")))["window"] is hit


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        # an absence the answer then fills
        ("We don't have a feature store yet, so we'd build one.", True),
        ("There's no feature store yet; we'd set one up for the online features.", True),
        ("No feature store exists today, so step one is building it.", True),
        # ... but one left as it is, or a cost, still turns it down
        ("We don't have a feature store and don't need one.", False),
        ("No feature store: building one takes a quarter.", False),
        # doubts
        ("I'm skeptical of a feature store here.", False),
        ("Nobody needs a feature store at this scale.", False),
        ("A feature store is hardly worth it at this scale.", False),
        ("Hardly worth building a feature store.", False),
        ("A feature store doesn't pay off here.", False),
        ("Feature store? Don't bother.", False),
        ("Feature store? Don't need it.", False),
        ("Feature store? Don't skip it.", True),
        # ... and what argues for it, in the same words
        ("Not having a feature store is risky.", True),
        ("Running without a feature store would be a mistake.", True),
        ("Without a feature store, training-serving skew creeps in.", True),
        ("A feature store helps, though it's not strictly needed.", True),
        ("Not having a feature store is fine for v1.", False),
    ],
)
def test_absences_doubts_and_their_opposites(text: str, hit: bool) -> None:
    assert hits(text, rubric(item("fs", "feature store", stage="serve")))["fs"] is hit


def test_a_labeller_is_a_person_not_a_label() -> None:
    r = rubric(item("disagree", ("labeller", "disagree")), item("labels", "label noise"))
    assert hits("Labellers disagree on borderline posts.", r) == {"disagree": True, "labels": False}
    assert hits("Labels disagree with the reports; label noise is real.", r) == {"disagree": False, "labels": True}


def test_a_range_is_said_of_each_end() -> None:
    """"~100-150ms" gives a latency of 100 ms as much as one of 150 ms; a list does not."""
    r = rubric(item("low", "100 ms"), item("high", "150 ms"), item("at10", "recall at 10"))
    assert hits("I'd assume ~100-150ms server-side.", r) == {"low": True, "high": True, "at10": False}
    assert hits("Latency 100 to 150 ms.", r) == {"low": True, "high": True, "at10": False}
    assert hits("Recall at 10-20 for the first pass.", r)["at10"]
    assert hits("Timeouts: 100, 150 ms.", r) == {"low": False, "high": True, "at10": False}


def test_a_count_a_day_is_a_rate_but_under_a_second_is_a_duration() -> None:
    r = rubric(item("rate", "requests per second"), item("sec", "per second"), item("month", "<number> per month"))
    assert hits("About 5k requests a second.", r) == {"rate": True, "sec": True, "month": False}
    assert hits("Say 1M tickets/month.", r)["month"]
    assert hits("The page loads in under a second.", r) == {"rate": False, "sec": False, "month": False}


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("~~Shadow mode~~ canary only.", False),  # struck through: taken back
        ("Shadow mode \u274c", False),
        ("| Shadow mode | \u274c |", False),
        ("Shadow mode (not for v1).", False),
        ("Shadow mode - not now.", False),
        ("Shadow mode, cut for time.", False),
        ("- Shadow mode (dropped)", False),
        ("See https://example.com/shadow-mode-rollouts for how.", False),  # an address says nothing
        ("See [shadow mode](https://example.com/a) first.", True),  # a link reads as its words
        ("We cut costs with shadow mode.", True),
        ("Shadow mode, for new users who have not watched anything yet.", True),  # no deferral
    ],
)
def test_notes_style_rejections_and_links(text: str, hit: bool) -> None:
    assert hits(f"## Serving\n{text}\n", rubric(item("shadow", "shadow mode", stage="serve")))["shadow"] is hit


def test_a_rejection_is_shown_only_for_a_signal_it_turns_down_whole() -> None:
    r = rubric(item("split", ("train", "older", "test")), item("ab", "ab test"))
    res = score(parse_markdown("I'd skip a per-user A/B test; we randomise by sender instead."), r)
    got = {x.item.id: x for x in res.items}
    assert got["ab"].rejected is not None
    assert got["split"].rejected is None  # "test" alone is no verdict on a temporal split


def test_the_negation_a_point_is_made_of_rejects_nothing() -> None:
    """[declined, never learn]: the "never" is the point, not a verdict on "declined"."""
    r = rubric(item("selective", ("declined", "never learn"), stage="data"))
    res = score(parse_markdown("## Data\nA trap: we never learn the outcome of transactions we declined."), r)
    assert res.items[0].hit and res.items[0].rejected is None
    # a negation of its own, outside the phrase that holds the "never", still turns it down
    assert not hits("We never declined anything, so we never learn much.", r)["selective"]


def test_avoiding_a_named_problem_embraces_what_names_it_and_the_means() -> None:
    r = rubric(
        item("pit", "point in time", stage="data"),
        item("logging", "point in time features", "log features at serving", stage="data"),
        item("leak", "leakage", stage="data"),
    )
    said = "Avoid point-in-time leakage by logging features at serving time."
    assert hits(said, r) == {"pit": True, "logging": True, "leak": True}
    assert hits("No point-in-time leakage: we log features at serving.", r)["pit"]
    # the problem turned down is still not the point: "no point-in-time joins" is
    assert hits("No point in time joins for v1, we take features as they are.", r) == {
        "pit": False,
        "logging": False,
        "leak": False,
    }


def test_a_point_made_of_parts_needs_every_part() -> None:
    from dataclasses import replace

    leak = replace(
        item("leak", "leakage", stage="data"),
        parts=(("a split by time", (("split by time",),)), ("features as of prediction time", (("point in time",),))),
    )
    r = rubric(leak)
    # both parts, each in its own stage: credited, marked worth a look, with both sentences
    both = score(parse_markdown("## Data\nPoint in time joins.\n\n## Model\nSplit by time."), r).items[0]
    assert both.hit and both.check and both.evidence == "Point in time joins. ... Split by time."
    assert both.signal == "split by time & point in time"
    # one part: missed, and the result says which part is there
    half = score(parse_markdown("## Model\nWe split by time."), r).items[0]
    assert not half.hit and half.partly == ("a split by time",)
    # the whole point in one word still counts on its own; with every part made too, it is sure
    assert score(parse_markdown("## Data\nNo leakage."), r).items[0].hit
    sure = score(parse_markdown("## Data\nNo leakage: point in time joins, and we split by time."), r).items[0]
    assert sure.hit and not sure.check


def test_a_hedge_is_not_the_word_it_grew_from() -> None:
    r = rubric(
        item("prob", "calibrated probability"),
        item("likes", ("like", "comment")),
        item("def", "label definition"),
        item("rand", "random split"),
    )
    hedged = "The calibrated model is probably fine. We'll likely comment later; label is definitely clear."
    assert hits(hedged, r) == {"prob": False, "likes": False, "def": False, "rand": False}
    got = hits("Calibrated probabilities; users like and comment; the label definition; split randomly.", r)
    assert got == {"prob": True, "likes": True, "def": True, "rand": True}


def test_a_contraction_reads_as_the_words_it_stands_for() -> None:
    r = rubric(item("assume", "i will assume"), item("seen", "we have seen"))
    assert hits("I'll assume 5M users; we've seen spikes at lunch.", r) == {"assume": True, "seen": True}


def test_words_ending_in_ise_that_are_not_british_spellings_stay_themselves() -> None:
    r = rubric(item("pairwise", "pairwise loss"), item("advertise", "advertisement"), item("noise", "label noise"))
    got = hits("A pairwise loss; advertise the job; label noise is high.", r)
    assert got == {"pairwise": True, "advertise": True, "noise": True}


@pytest.mark.parametrize(
    ("text", "iid"),
    [
        ("No velocity features - too costly.", "velocity"),
        ("We don't need a fallback.", "fallback"),
        ("I'd skip A/B testing for now.", "ab"),
        ("Not going to discuss p99 latency.", "latency"),
        ("A/B testing is not needed here.", "ab"),
        ("Calibration is overkill.", "calibration"),
        ("We will not use velocity features.", "velocity"),
        ("Serve w/o a fallback.", "fallback"),
        ("Use ROC AUC rather than PR AUC.", "prauc"),
        # a short lead-in that turns down what follows its colon
        ("Out of scope for now: A/B tests and live video.", "ab"),
        ("Not covered: calibration, no time left.", "calibration"),
        ("Didn't get to: velocity features or graph links.", "velocity"),
        ("Ran out of time for: the fallback path.", "fallback"),
        ("I'd hold off on A/B testing until traffic grows.", "ab"),
        ("A/B testing would be a mistake at this traffic.", "ab"),
        ("A fallback to rules is a bad idea here.", "fallback"),
        ("Calibration - nah.", "calibration"),
    ],
)
def test_rejected_points_are_not_credited(text: str, iid: str) -> None:
    res = score(parse_markdown(text), R)
    got = {x.item.id: x for x in res.items}[iid]
    assert not got.hit, text
    assert got.rejected is not None


@pytest.mark.parametrize(
    "text",
    [
        "Latency must be no more than 100 ms; p99 latency matters.",
        "Not only calibration but also ranking quality matters.",
        "Skip-gram embeddings plus velocity features.",
        # lead-ins that turn down nothing after their colon
        "Validation out of time: PR AUC on the last month.",
        "Later: calibration per segment.",
        "I wouldn't let the model version float: pin it and keep a fallback.",
        "People won't wait: p99 latency under 200 ms.",
    ],
)
def test_constraints_are_not_mistaken_for_negation(text: str) -> None:
    assert any(hits(text, R).values())


@pytest.mark.parametrize(
    ("text", "iid"),
    [
        ("There's no substitute for an A/B test.", "ab"),
        ("I wouldn't rely only on PR AUC.", "prauc"),  # not on it alone
        ("We don't just want calibration, we want ranking quality too.", "calibration"),
        ("Skipping the A/B test would be a mistake.", "ab"),  # a double negative insists
        ("A missed fraud is the costlier mistake, so p99 latency and recall both matter.", "latency"),
    ],
)
def test_insisting_on_a_point_is_not_rejecting_it(text: str, iid: str) -> None:
    assert hits(text, R)[iid], text


def test_a_choice_passes_over_the_other() -> None:
    r = rubric(item("gbdt", "gbdt"), item("dl", "deep model"), item("win", "sliding window"))
    assert hits("I'd go with GBDT over a deep model here.", r) == {"gbdt": True, "dl": False, "win": False}
    assert hits("We prefer a GBDT over any deep model.", r) == {"gbdt": True, "dl": False, "win": False}
    # "over" with no choice before it passes nothing over
    assert hits("Counts over a sliding window; a deep model reads them.", r)["win"]
    assert hits("Pick features, then go over the deep model's errors.", r)["dl"]


def test_list_signal_needs_one_paragraph() -> None:
    assert not hits("Precision matters.\n\nRecall matters.", R)["prauc"]


def test_plain_words_do_not_become_typos() -> None:
    r = rubric(item("retrain", "retrain weekly"), item("score", "score"), item("drift", "drift"))
    got = hits("We retain customers weekly and store things in a draft.", r)
    assert not any(got.values())


def test_evidence_is_the_sentence_and_stage_is_reported() -> None:
    text = "## Clarify\nWho pays? We predict CTR for each ad.\n\n## Serving\nCache the scores."
    res = score(parse_markdown(text), R)
    ctr = {x.item.id: x for x in res.items}["ctr"]
    assert ctr.evidence == "We predict CTR for each ad."
    assert ctr.found_in == "clarify"


def test_evidence_is_a_statement_before_a_question() -> None:
    text = "## Data\nDo we have velocity features? Not yet, so I'd add velocity features per card."
    res = {x.item.id: x for x in score(parse_markdown(text), R).items}
    assert res["velocity"].evidence == "Not yet, so I'd add velocity features per card."


def test_evidence_of_a_list_signal_is_one_sentence_when_one_makes_the_whole_point() -> None:
    text = "## Model\nPrecision matters to ops. We watch precision and recall at the chosen threshold."
    res = {x.item.id: x for x in score(parse_markdown(text), R).items}
    assert res["prauc"].evidence == "We watch precision and recall at the chosen threshold."
    # spread over two sentences of a paragraph, both are shown
    text = "## Model\nPrecision matters to ops. Recall matters to risk."
    res = {x.item.id: x for x in score(parse_markdown(text), R).items}
    assert res["prauc"].evidence == "Precision matters to ops. ... Recall matters to risk."


def test_a_line_of_notes_is_a_sentence_of_its_own() -> None:
    """Notes put one point per line without a full stop: the evidence is that line, not
    the whole paragraph, and no phrase is made of the end of one line and the start of
    the next."""
    text = "## Data\nlabels come late, weeks\nVelocity features per card\nfeatures available offline"
    res = {x.item.id: x for x in score(parse_markdown(text), R).items}
    assert res["velocity"].evidence == "Velocity features per card"
    r = rubric(item("card", "card features"))
    assert not hits("## Data\nper card\nfeatures from the device", r)["card"]


def test_long_lower_case_note_lines_are_not_read_as_wrapped_prose() -> None:
    """Notes may be long and lower-case: a line that left room for the next line's first
    word was broken on purpose."""
    text = (
        "## Data\n"
        "impressions joined with clicks on the impression id, wait 30 min for late clicks\n"
        "velocity features per card over 1h / 24h / 7d windows\n"
        "keep all clicks and downsample negatives to 10%, record the rate per row for correction later\n"
    )
    res = {x.item.id: x for x in score(parse_markdown(text), R).items}
    assert res["velocity"].evidence == "velocity features per card over 1h / 24h / 7d windows"


def test_prose_wrapped_throughout_joins_before_capitals_too() -> None:
    prose = (
        "Every request goes through the candidate generator and then the heavy ranker, which "
        "has a p99 latency budget of about 40 ms on CPU. If it times out we serve the light "
        "ranker's order as a fallback, so users never see an error. Before launch we always run "
        "A/B tests on 1% of users for two weeks."
    )
    for width in (66, 86):  # as an editor wraps it: a line starts with "A/B", mid-sentence
        text = "## Serving\n" + textwrap.fill(prose, width)
        res = {x.item.id: x for x in score(parse_markdown(text), R).items}
        assert res["ab"].evidence == "Before launch we always run A/B tests on 1% of users for two weeks.", width


def test_a_table_row_is_a_sentence_and_its_rule_is_no_text() -> None:
    text = (
        "## Serving\n| part | budget |\n|---|---|\n| feature fetch | 10 ms |\n"
        "| scoring | p99 latency 30 ms |\n| fallback | rules |"
    )
    res = {x.item.id: x for x in score(parse_markdown(text), R).items}
    assert res["latency"].evidence == "| scoring | p99 latency 30 ms |"
    assert res["fallback"].evidence == "| fallback | rules |"


@pytest.mark.parametrize(
    "text",
    [
        # prose wrapped by an editor: a lower-case line after a long one goes on
        "## Data\nTo keep the training cheap we keep every click and downsample\nnegatives to one in ten.",
        # a line that ends mid-phrase goes on
        "## Data\nWe keep all clicks and\nDownsample negatives.",
        # an indented line under a list item goes on with the item
        "## Data\n- Clicks are rare, so we downsample\n  Negatives to one in ten.\n- Next point",
    ],
)
def test_a_sentence_wrapped_over_lines_stays_one(text: str) -> None:
    res = {x.item.id: x for x in score(parse_markdown(text), R).items}
    assert res["downsample"].hit
    assert "\n" not in (res["downsample"].evidence or "")
    assert (res["downsample"].evidence or "").endswith(("one in ten.", "Downsample negatives."))


def test_lines_under_a_rejecting_lead_in_are_turned_down_without_bullets() -> None:
    got = hits("## Serving\nThings I'd skip for v1:\nFallback to rules\nA/B test on 1%", R)
    assert not got["fallback"] and not got["ab"]


def test_one_sentence_making_the_point_outranks_phrases_gathered_from_several() -> None:
    r = rubric(item("pr", ("precision", "recall"), stage="model"))
    text = "## Model\nPrecision matters to ops. Recall matters to risk.\n\n## Monitoring\nWe track precision and recall daily."
    got = score(parse_markdown(text), r).items[0]
    assert got.evidence == "We track precision and recall daily." and got.found_in == "monitor"


def test_sentences_copied_from_the_question_make_no_point() -> None:
    r = rubric(item("delay", "chargebacks take months"), item("keep", "keep the unblurred originals"))
    given = ("Chargebacks take months to arrive, and declined transactions never get an outcome at all.",
             "Do we keep the unblurred originals?")
    pasted = "Chargebacks take months to arrive, and declined transactions never get an outcome at all."
    answer = parse_markdown(pasted)
    assert {x.item.id for x in score(answer, r).items if x.hit} == {"delay"}  # the scorer unaware
    assert not any(x.hit for x in score(answer, r, given).items)
    # the candidate's own sentence, a question echoed back, and a few quoted words still count
    own = "Chargebacks take months, so labels mature late. Do we keep the unblurred originals?"
    assert all(x.hit for x in score(parse_markdown(own), r, given).items)


def test_point_made_in_another_stage_still_counts() -> None:
    res = score(parse_markdown("## Monitoring\nWe recalibrate: calibration drifts."), R)
    cal = {x.item.id: x for x in res.items}["calibration"]
    assert cal.hit and cal.found_in == "monitor"
    # ... but only under another stage's heading it is marked for checking: such credits are
    # wrong about four times as often (20% against 5% over the labelled answers)
    assert cal.check
    own = {x.item.id: x for x in score(parse_markdown("## Model\nWe recalibrate: calibration drifts."), R).items}
    assert not own["calibration"].check  # two of its signals, in its own stage
    untitled = {x.item.id: x for x in score(parse_markdown("We recalibrate: calibration drifts."), R).items}
    assert not untitled["calibration"].check  # no headings at all: no stage to be out of


def test_a_point_under_a_design_docs_broad_heading_is_not_marked_as_out_of_stage() -> None:
    """A design doc's "## Architecture" or "## Approach" holds more than one stage: a point
    found there was made where the candidate meant to make it."""
    doc = "## Problem\nCard fraud.\n\n## Architecture\nWe recalibrate: calibration drifts."
    cal = {x.item.id: x for x in score(parse_markdown(doc), R).items}["calibration"]
    assert cal.hit and cal.found_in == "serve" and not cal.check
    plain = {x.item.id: x for x in score(parse_markdown(doc.replace("Architecture", "Serving")), R).items}
    assert plain["calibration"].check  # a heading that is the stage's own name still counts
    # as evidence, a sentence under such a heading is worth more than one under another stage's own
    doc = "## Problem\nCalibration matters.\n\n## Approach\nWe recalibrate: calibration drifts."
    cal = {x.item.id: x for x in score(parse_markdown(doc.replace("Approach", "Monitoring")), R).items}["calibration"]
    assert cal.evidence == "Calibration matters." and cal.check
    cal = {x.item.id: x for x in score(parse_markdown(doc), R).items}["calibration"]
    assert cal.evidence == "We recalibrate: calibration drifts." and not cal.check


@pytest.mark.parametrize(
    ("title", "broad"),
    [
        ("Approach", True),
        ("System architecture", True),
        ("Offline evaluation", True),
        ("Model architecture", False),
        ("Serving", False),
        ("Training data", False),
        ("What I'd ask first", False),
    ],
)
def test_headings_that_name_a_stage_only_broadly(title: str, broad: bool) -> None:
    from mlsd_drill.answer import names_stage_broadly

    assert names_stage_broadly(title) is broad


def test_a_point_found_by_one_phrasing_only_is_marked_for_checking() -> None:
    r = rubric(
        item("calibration", "calibration", "isotonic|platt", ("calibrated", "probabilities")),
        item("drift", "feature drift", "psi"),
    )
    once = {x.item.id: x for x in score(parse_markdown("## Model\nWe check calibration."), r).items}
    assert once["calibration"].hit and once["calibration"].check
    twice = {
        x.item.id: x
        for x in score(parse_markdown("## Model\nWe check calibration with isotonic regression."), r).items
    }
    assert twice["calibration"].hit and not twice["calibration"].check
    # the second phrasing can stand in another sentence or stage, and the evidence stays the first
    apart = {
        x.item.id: x
        for x in score(
            parse_markdown("## Model\nWe check calibration.\n\n## Monitoring\nOutputs stay calibrated probabilities."),
            r,
        ).items
    }
    assert not apart["calibration"].check and apart["calibration"].evidence == "We check calibration."
    # a phrasing the answer rejects does not count as a second one
    turned = {
        x.item.id: x
        for x in score(parse_markdown("## Model\nWe check calibration. No isotonic regression though."), r).items
    }
    assert turned["calibration"].hit and turned["calibration"].check
    assert not once["drift"].hit and not once["drift"].check  # a miss is never marked


def test_weighted_percentages_and_levels() -> None:
    r = rubric(
        item("a", "alpha", stage="clarify", weight=3),
        item("b", "bravo", stage="clarify", weight=1),
        item("c", "charlie", stage="data", weight=2, level="senior"),
        item("d", "delta", stage="data", weight=2, level="staff"),
    )
    res = score(Answer((Section("clarify", "alpha and charlie"),)), r)
    assert res.percent == pytest.approx(100 * 5 / 8)
    assert res.stages == {"clarify": 75.0, "data": 50.0}
    assert res.levels == {"mid": True, "senior": True, "staff": False}
    assert res.level == "senior"
    assert [m.item.id for m in res.missed] == ["b", "d"]
    # a level the rubric has no items for is not met: nothing was asked of it
    mid_only = rubric(item("a", "alpha"), item("b", "bravo"))
    full = score(Answer((Section("clarify", "alpha and bravo"),)), mid_only)
    assert full.levels == {"mid": True, "senior": False, "staff": False} and full.level == "mid"
    # ... nor does it stand in the way of the levels above it
    no_senior = rubric(item("a", "alpha"), item("d", "delta", level="staff"))
    assert score(Answer((Section("clarify", "alpha, delta"),)), no_senior).level == "staff"


def test_empty_answer_scores_zero() -> None:
    res = score(parse_markdown(""), R)
    assert res.percent == 0 and res.level is None and not res.covered


@pytest.mark.parametrize(
    ("heading", "stage"),
    [
        ("Clarify", "clarify"),
        ("1. Clarifying questions", "clarify"),
        ("Requirements & scale", "clarify"),
        ("Data and features", "data"),
        ("Feature engineering", "data"),
        ("Modelling", "model"),
        ("Model training and evaluation", "model"),
        ("Serving", "serve"),
        ("Deployment / inference", "serve"),
        ("Monitoring", "monitor"),
        ("Stage 5 - maintenance", "monitor"),
        ("Candidate generation", None),
    ],
)
def test_heading_synonyms(heading: str, stage: str | None) -> None:
    assert stage_of_heading(heading) == stage


def test_markdown_sections() -> None:
    text = (
        "intro words\n# Data\nd1\n### Candidate generation\nd2\n## SERVING\ns1\nMonitoring\n----------\nm1\n"
    )
    secs = [(s.stage, s.text.strip()) for s in parse_markdown(text).sections]
    assert secs == [(None, "intro words"), ("data", "d1\nd2"), ("serve", "s1"), ("monitor", "m1")]


def stages(text: str) -> list[tuple[str | None, str]]:
    return [(s.stage, s.text.strip()) for s in parse_markdown(text).sections]


def test_headings_in_the_candidates_own_words_take_the_stages_the_walk_skips() -> None:
    text = (
        "## What I'd ask first\nc\n## Where the data comes from\nd\n### Clues per payment\nd2\n"
        "## The model\nm\n## Running it during the payment\ns\n## Keeping it working\nw\n"
    )
    assert stages(text) == [
        ("clarify", "c"), ("data", "d\nd2"), ("model", "m"), ("serve", "s"), ("monitor", "w")
    ]
    # five headings at one level, none naming a stage, walk through all five
    plain = "# Events\nintro\n## Getting it straight\nc\n## What we learn from\nd\n## Building it\nm\n"
    plain += "## Running it\ns\n## After launch\nw\n"
    assert [st for st, _ in stages(plain)] == [None, "clarify", "data", "model", "serve", "monitor"]


def test_a_heading_naming_two_stages_opens_the_one_the_walk_reaches_next() -> None:
    text = "## Clarifying\nc\n## Training data\nd\n## Detector and offline evaluation\nm\n"
    text += "## Serving and monitoring\ns\n"
    assert [st for st, _ in stages(text)] == ["clarify", "data", "model", "serve"]


def test_topic_headings_stay_in_the_current_stage_when_the_walk_skips_nothing() -> None:
    text = "## Clarify\nc\n## Data\nd\n## Position bias\np\n## Model\nm\n## Cold start\nx\n"
    text += "## Serving\ns\n## Monitoring\nw\n"
    assert stages(text) == [
        ("clarify", "c"), ("data", "d\np"), ("model", "m\nx"), ("serve", "s"), ("monitor", "w")
    ]
    # nor does an unclear gap get guessed: two own-words headings for one skipped stage
    text = "## Clarify\nc\n## Data\nd\n## Model\nm\n## Rollout\nr\n## Caching\nk\n## Monitoring\nw\n"
    assert [st for st, _ in stages(text)] == ["clarify", "data", "model", "monitor"]


def test_a_design_doc_heading_can_go_back_to_an_earlier_stage() -> None:
    text = "## Problem\nc\n## Approach\nm\n## Architecture\ns\n## Evaluation\ne\n## Running it\nw\n"
    assert stages(text) == [("clarify", "c"), ("model", "m"), ("serve", "s"), ("model", "e"), ("monitor", "w")]
    # ... but only a stage-level heading naming that one stage: a topic below stays
    text = "## Data\nd\n## Serving\ns\n### Model caching\nk\n## Monitoring\nw\n"
    assert stages(text) == [("data", "d"), ("serve", "s\nk"), ("monitor", "w")]


@pytest.mark.parametrize(
    "marks",
    [
        ["**Clarify**", "**Data:**", "**Modeling**", "**Serving**:", "__Monitoring__"],
        ["Clarify:", "Data:", "Model:", "Serving:", "Monitoring:"],
        ["1. Clarify", "2) Data", "3. **Model**", "Step 4 - Serving", "Step 5: Monitoring"],
        ["CLARIFY", "DATA", "MODEL", "SERVING", "MONITORING"],
        ["clarify", "data", "model", "serve", "monitor"],  # terse notes
        ["**1. Clarify**", "**2) Data:**", "##Model", "#Serving", "**Step 5: Monitoring**"],
        ["*Clarify*", "_Data_", "Part 3: Model", "Part 4 - Serving", "*Monitoring*"],  # italic, "Part N"
        ["<h2>Clarify</h2>", "<h2>Data</h2>", "<h2>Model</h2>", "<h3>Serving</h3>", "<h2>Monitoring</h2>"],
        ["I. Clarify", "II. Data", "III) Model", "IV. Serving", "V. Monitoring"],  # roman numerals
        ["Stage: Clarify", "Stage 2: Data", "Phase 3 - Model", "Stage IV: Serving", "Stage: Monitoring"],
        ["-- Clarify --", "[Data]", "<< Model >>", "== Serving ==", "~~ Monitoring ~~"],  # set off by rules
        # bold lines in the candidate's own words: the walk through the stages places them
        ["**Questions first**", "**What we learn from before anyone uses it**", "**From the photo to the list**",
         "**Running it for real**", "**Keeping it working**"],
    ],
)
def test_stage_headings_typed_without_markdown_marks(marks: list[str]) -> None:
    text = "Intro line.\n\n" + "".join(f"{m}\n{st} text.\n\n" for m, st in zip(marks, "cdmsw", strict=True))
    assert [(st, body.split("\n\n")[-1]) for st, body in stages(text)] == [
        (None, "Intro line."), ("clarify", "c text."), ("data", "d text."), ("model", "m text."),
        ("serve", "s text."), ("monitor", "w text."),
    ]


def test_code_blocks_hold_no_headings() -> None:
    """A comment in a code block ("# train the model") is code, not a stage heading."""
    text = "## Data\nd\n\n```python\n# train the model\nfit()\n## Serving\n```\nd2\n\n## Serving\ns\n"
    assert [st for st, _ in stages(text)] == ["data", "serve"]
    assert stages("Intro\n\n~~~\n**Data**\n~~~\nClarify:\nc\n\nData:\nd\n")[0][0] is None


def test_a_heading_can_make_a_point() -> None:
    """A heading's own words count over a section with something in it, not over a template's "TBD"."""
    r = rubric(item("goal", "success look like"), item("ab", "ab test"))
    body = "\nMore tickets sold per visitor, measured over a month.\n"
    assert hits("## First, what does success look like?" + body, r)["goal"]
    assert not hits("## Serving and A/B testing\nTBD\n## Monitoring\nTBD\n", r)["ab"]
    # a two-word title names a topic, it makes no point
    assert not hits("## A/B testing" + body, r)["ab"]
    # and in any alphabet
    assert hits("## 冷启动策略" + body, rubric(item("cold", "冷启动")))["cold"]


def test_topics_and_titles_do_not_move_the_stage() -> None:
    """Only stage-level headings open stages; a sub-heading or a title naming a stage word does not,
    nor does a heading naming the stage already open or an earlier one."""
    text = (
        "# A fraud detection system\nintro\n## Clarify\nc\n## Data\n### Labels\nl\n### Training data\nt\n"
        "## Model\nm\n## Serving\n### Model serving\nms\n### Online metrics\nom\n"
        "## Monitoring\n### Data quality\ndq\n### Model drift\nmd\n"
    )
    assert stages(text) == [
        (None, "intro"), ("clarify", "c"), ("data", "l\nt"), ("model", "m"), ("serve", "ms\nom"), ("monitor", "dq\nmd")
    ]
    # the same without Markdown: notes that mention a stage word are not headings
    notes = (
        "CLARIFY\nissuer, 2k TPS\n\nDATA\nchargebacks\nvelocity features per card\nTraining data:\n- six months\n\n"
        "MODEL\ngbdt\n\nSERVING\n1. Look up card features\n2. Score with the model\nMetrics:\n- approval rate\n"
        "keep the model in memory\n**The whole model call stays under 50 ms**\nshadow first\n\nMONITORING\nPSI daily\n"
    )
    assert [st for st, _ in stages(notes)] == ["clarify", "data", "model", "serve", "monitor"]
    assert "shadow first" in stages(notes)[3][1]


def test_indented_code_is_not_a_heading() -> None:
    text = "Data:\nd\n\n    model:\n      name: gbdt\n- step\n    ```yaml\n    serving:\n    ```\nd2\n\nModel:\nm\n"
    assert [st for st, _ in stages(text)] == ["data", "model"]
    assert stages(text)[0][1].endswith("d2")


def test_lines_that_go_on_after_a_stage_word_are_text_not_headings() -> None:
    # a label with text after it, a sentence, a list item: nothing opens a stage
    text = "Serving: a REST endpoint behind a cache.\nThen monitoring.\n- data\n- model\n"
    assert stages(text) == [(None, text.strip())]
    # one stray label is not enough to take an answer without headings apart
    assert stages("Some thoughts.\n\nData:\nclicks and views\n") == [(None, "Some thoughts.\n\nData:\nclicks and views")]
    # and Markdown headings that name stages win: a bold line under them stays inside
    text = "## Model\nm\n**Serving**\nstill model\n## Monitoring\nw\n"
    assert stages(text) == [("model", "m\n**Serving**\nstill model"), ("monitor", "w")]


@pytest.mark.parametrize(
    ("text", "iid", "hit"),
    [
        ("Make sure there is no leakage from the future.", "leak", True),
        ("Avoid training-serving skew with one feature pipeline.", "skew", True),
        ("No drift detection - the weekly retrain covers it.", "drift", False),
        ("Skip calibration and position features.", "position", False),
        ("Skip calibration and we add position features.", "position", True),
        ("Position as a feature: not needed.", "position", False),
        ("Privacy is handled by legal, not our problem.", "privacy", False),
        ("New users without history get popular videos, a cold start fallback.", "cold", True),
        ("We ignore privacy.", "privacy", False),
        ("Clicks are the positives.", "position", False),  # positive is not position
        ("Monitor the model and retrain it.", "frame", False),  # no any-order match on "it"
        ("Avoid leakage with point-in-time joins.", "pit", True),  # the means against a problem
        ("Avoid point-in-time joins.", "pit", False),
    ],
)
def test_negation_scope(text: str, iid: str, hit: bool) -> None:
    r = rubric(
        item("leak", "leakage"),
        item("skew", "training serving skew"),
        item("drift", "drift detection"),
        item("position", "position features", "position feature"),
        item("privacy", "privacy"),
        item("cold", "cold start"),
        item("frame", "model it as"),
        item("pit", "point in time joins"),
    )
    assert hits(text, r)[iid] is hit, text


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("We must not show offensive completions: a safety filter runs last.", True),
        ("The system should never show offensive completions.", True),
        ("No need for a fallback or a safety filter here.", False),
    ],
)
def test_requirements_are_not_rejections(text: str, hit: bool) -> None:
    r = rubric(item("filter", "offensive completions", "safety filter"))
    assert hits(text, r)["filter"] is hit, text


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("Keep 5% of sends exploring so we don't get a feedback loop.", True),
        ("We don't want a feedback loop, so 5% of sends stay random.", True),
        ("Randomise a slice so we do not end up in a feedback loop.", True),
        ("I'm not worried about a feedback loop.", False),
        ("We don't need to care about a feedback loop.", False),
    ],
)
def test_a_problem_not_wanted_is_a_remedy_sought(text: str, hit: bool) -> None:
    assert hits(text, rubric(item("loop", "feedback loop", stage="monitor")))["loop"] is hit, text


def test_alternatives_inside_a_list_signal() -> None:
    r = rubric(item("retrain", ("retrain|refresh", "weekly|nightly")))
    assert hits("We refresh the model nightly.", r)["retrain"]
    assert hits("Retrain it weekly.", r)["retrain"]
    assert not hits("We retrain it when someone remembers.", r)["retrain"]


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        # a verb with an object of its own turns down that object, not the point before it
        ("We use gradient boosted trees, we don't need a deep model.", True),
        ("We use gradient boosted trees; we won't build a deep model.", True),
        ("Gradient boosted trees for now; it won't issue refunds.", True),
        ("Gradient boosted trees, and we don't need to calibrate.", True),
        # ... while a verb that points back, or stands alone, turns the point down
        ("Gradient boosted trees - we don't need them for v1.", False),
        ("Gradient boosted trees, but I don't think we need it.", False),
        ("Gradient boosted trees: not needed at this scale.", False),
        ("Gradient boosted trees - we won't bother.", False),
        ("Gradient boosted trees aren't an issue here.", False),
    ],
)
def test_a_negated_verb_turns_down_its_own_object(text: str, hit: bool) -> None:
    r = rubric(item("gbdt", "gradient boosted trees"))
    assert hits(text, r)["gbdt"] is hit, text


def test_a_negation_that_makes_one_signal_turns_down_no_other() -> None:
    """The "never" of [declined, never get labels] is the point itself: it must not turn
    down "labels" in another signal of the item and so withhold the credit."""
    r = rubric(item("selective", ("declined", "never get labels"), ("labels", "biased", "policy"), stage="data"))
    assert hits("## Data\nDeclined transactions never get a label.", r)["selective"]
    assert not hits("## Data\nDeclined transactions are rare. Labels: skip.", r)["selective"]


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        # "without X, we'd ..." argues for X
        ("Without a feature store, we'd have training-serving skew.", True),
        ("Without a feature store the two pipelines would drift apart.", True),
        ("We serve without a feature store for v1.", False),
        ("We'd launch without a feature store.", False),
        # a negated repeat is a rule the design keeps
        ("Never read the feature store twice for one request.", True),
        ("Don't call the feature store more than once per request.", True),
        ("We never use a feature store.", False),
    ],
)
def test_counterfactuals_and_limits_are_not_rejections(text: str, hit: bool) -> None:
    r = rubric(item("store", "feature store"))
    assert hits(text, r)["store"] is hit, text


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("We could use a feature store - actually no, plain Redis is enough.", False),
        ("I don't think a feature store is overkill here; we need it.", True),
        ("There's no reason not to use a feature store.", True),
        ("We don't need a feature store, it's overkill.", False),
        ("I don't think we need a feature store.", False),
    ],
)
def test_self_corrections_and_denied_dismissals(text: str, hit: bool) -> None:
    r = rubric(item("store", "feature store"))
    assert hits(text, r)["store"] is hit, text


def test_a_lone_verdict_stands_alone_and_a_lead_in_that_skips_its_own_object_refuses_nothing() -> None:
    r = rubric(item("rb", "roll back"), item("ab", "a/b test"), item("photos", "review photos"))
    assert hits("Compare with the old model's scores - roll back if precision dropped.", r)["rb"]
    assert not hits("Rollback plan: dropped.", rubric(item("rb", "rollback plan")))["rb"]
    assert not hits("A/B test: we'd skip.", r)["ab"]
    listed = "\n- Buyer review photos paired with the studio shot."
    assert hits("I'd skip waiting for logs and mine positives we already have:" + listed, r)["photos"]
    assert not hits("Things I'd skip for now:" + listed, r)["photos"]


def test_subjective_is_not_subject() -> None:
    r = rubric(item("labels", ("labels", "subjective")))
    assert hits("Labels are subjective: raters disagree.", r)["labels"]
    assert not hits("Labels come from reports, subject to a cap per user.", r)["labels"]


def test_production_is_not_product() -> None:
    r = rubric(item("baseline", "production ranking"), item("emb", "product embeddings"))
    assert hits("The production ranking is the baseline to beat.", r)["baseline"]
    assert hits("Products get embeddings from their titles.", r)["emb"]
    assert not hits("We return a ranked list of products.", r)["baseline"]
    assert not hits("Production embeddings are refreshed nightly.", r)["emb"]


def test_guarding_a_metric_is_not_rejecting_it() -> None:
    r = rubric(item("guard", ("a/b test", "revenue")), item("slice", "5 percent"))
    assert hits("Run an A/B test on CTR without hurting revenue.", r)["guard"]
    assert hits("Ramp to 5% of traffic.", r)["slice"]


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("If no dates are chosen, show anchor-only recommendations.", True),
        ("New users with no history get anchor-only recommendations.", True),
        ("No anchor-only recommendations.", False),
    ],
)
def test_conditions_are_not_rejections(text: str, hit: bool) -> None:
    r = rubric(item("anchor", "anchor only recommendations"))
    assert hits(text, r)["anchor"] is hit, text


def test_a_yes_no_target_is_not_a_rejection() -> None:
    r = rubric(item("label", "binary label", "binary target"))
    assert hits("Each reaction is its own yes/no target.", r)["label"]


@pytest.mark.parametrize(
    ("text", "iid", "hit"),
    [
        # rejecting one thing in a sentence leaves the rest of it standing
        ("I'd confirm the scope: the home feed only, not up next or search.", "scope", True),
        ("Evaluate with PR-AUC, not ROC-AUC.", "prauc", True),
        ("Skip position-bias correction for now.", "posbias", False),
        # an alternative named beside its opposite is no rejection
        ("Task: binary classification, click vs no-click per impression.", "click", True),
        ("Little or no history for new users.", "history", True),
        # "not" right before a problem states the remedy ...
        ("Rows are built as of serving time, so later counts don't leak.", "leak", True),
        ("A retry doesn't double count the velocity.", "double", True),
        # ... but not when a verb stands between: that dismisses the remedy
        ("We won't worry about leakage.", "leak", False),
        # leaving a stretch of time out is a gap, not a rejection
        ("Train on months 1-6, skip a month for labels to mature, test on month 8.", "mature", True),
        ("Skip label maturity, train on everything.", "mature", False),
        # a verdict after the point rejects it
        ("Drift detection - no, the weekly retrain covers it.", "drift", False),
        ("No velocity features - sliding-window counters are too expensive for us.", "window", False),
        ("Sliding-window counters in Flink keep the counts fresh.", "window", True),
        # a verdict word offered as one of the options is a grade, not a verdict
        ("Raters grade each result as relevant, similar or irrelevant.", "relevance", True),
        # ... but "too costly to do everywhere" limits the point, it does not drop it
        ("Sliding-window counters are too expensive to keep for every merchant, so only for cards.", "window", True),
        ("Keeping sliding-window counters for all merchants is too expensive; cards only.", "window", True),
        # the point first, then who skips it
        ("Drift monitoring I'd skip for v1.", "drift", False),
        ("Drift monitoring can be skipped.", "drift", False),
        ("Drift monitoring lets us skip manual checks on every model.", "drift", True),
        # in notes an arrow ends a thought: what follows is not under the "no"
        ("declined txns = no label -> selection bias", "selection", True),
        ("no labels there, but selection bias is not a concern", "selection", False),
    ],
)
def test_rejection_is_local(text: str, iid: str, hit: bool) -> None:
    r = rubric(
        item("scope", "home feed only"),
        item("prauc", "pr auc"),
        item("posbias", "position bias correction", "bias"),
        item("click", "click"),
        item("history", "history"),
        item("leak", "leak"),
        item("double", "double count"),
        item("mature", "labels to mature", "label maturity"),
        item("drift", "drift"),
        item("window", "sliding window counters"),
        item("relevance", "raters"),
        item("selection", "selection bias"),
    )
    assert hits(text, r)[iid] is hit, text


@pytest.mark.parametrize(
    ("text", "iid", "hit"),
    [
        # ways of turning a point down that name the point first
        ("Explainability I'd leave to the compliance team.", "explain", False),
        ("Logged-out guests I'd ignore for now.", "guests", False),
        ("Cannibalization is overthinking it.", "cannibal", False),
        ("Fairness auditing is a legal team concern, not something I'd build.", "fairness", False),
        ("Privacy I'd leave to legal - not an ML design concern.", "privacy", False),
        ("Forget fail-open policies.", "failopen", False),
        ("The feedback loop worry is overblown.", "loop", False),
        ("Spam filtering is the integrity team's job, not ours.", "spam", False),
        ("An impression shown but ignored is a negative label.", "negative", True),
        # a dismissal after "but" that points back at the point
        ("Cluster randomisation is popular, but I don't think we need it here.", "cluster", False),
        ("Cluster randomisation, but it is overkill here.", "cluster", False),
        ("Cluster randomisation, but we need care with small clusters.", "cluster", True),
        # the point belongs to someone else
        ("Cold start for new users - that's a separate onboarding problem.", "onboarding", False),
        ("Fairness across hosts is a different team's problem.", "fairness", False),
        ("Onboarding asks for interests; a separate model handles it.", "onboarding", True),
        # deferred, out, someone else's job, a closing verdict
        ("Fuzzy matching for misspellings can wait for v2.", "fuzzy", False),
        ("Diversity re-ranking is also out for v1.", "diversity", False),
        ("Diversity re-ranking pushes out near duplicates.", "diversity", True),
        ("The A/B test is out of the question.", "ab", False),
        ("Run the A/B test and wait two weeks.", "ab", True),
        ("Keyword stuffing is trust-and-safety's job, not the ranking model's.", "stuffing", False),
        ("Graph embeddings, node2vec, personalised PageRank - overkill.", "node2vec", False),
        ("Node2vec features; p99 under 100 ms; no A/B test - overkill.", "node2vec", True),
        ("Node2vec features; p99 under 100 ms; no A/B test - overkill.", "ab", False),
        ("Node2vec embeddings feed the ranker.", "node2vec", True),
        ("I'm not losing sleep over location privacy.", "privacy", False),
        (
            "Generating completions with a language model for unseen prefixes is overkill too.",
            "generate",
            False,
        ),
        # a quoted name is no rejection; a requirement or a condition is none either
        ('A/B test with a "not spam" rate guardrail.', "guardrail", True),
        ('No "explicit feedback" at all.', "explicit", False),
        ("Make sure we don't show people the user has blocked.", "blocked", True),
        ("We don't count it as a win until the other person accepts.", "accepts", True),
        # a hyphenated "not-" or "no-" names something; "not optional" insists
        ("An A/B test with the not-spam rate as the guardrail.", "guardrail", True),
        ("Privacy is not optional.", "privacy", True),
        # a question the candidate answers "No"
        ("A random approval holdout? No - it costs too much.", "holdout", False),
        ("Do we need a random holdout? Yes, a small one.", "holdout", True),
        # ... or answers with a refusal in other words
        ("A random holdout to fix the loop? I wouldn't approve risky payments on purpose.", "holdout", False),
        ("Position bias correction? I wouldn't bother for v1.", "position", False),
        ("Explainability? Not my problem here - the policy org owns it.", "explain", False),
        ("Do we need a random holdout? We need one small enough to afford.", "holdout", True),
        ("How fresh must the popular videos be? Not older than an hour.", "popular", True),
        # not knowing, or insisting, is no refusal: a clarifying question keeps its point
        ("How many requests per second at peak? Not sure yet.", "rps", True),
        ("How many requests per second at peak? No idea - assume 500k.", "rps", True),
        ("Should we watch the popular videos? No question - every hour.", "popular", True),
        # a statement ending in a question has only its question turned down
        ("Start with a random holdout for labels, then node2vec? No - too slow.", "holdout", True),
        ("Start with a random holdout for labels, then node2vec? No - too slow.", "node2vec", False),
        ("Do we need a random holdout, given the review queue? No.", "holdout", False),
        # a "not" inside a condition rejects nothing
        ("If the scorer doesn't answer in time we show popular videos.", "popular", True),
        ("We don't show popular videos.", "popular", False),
        # a double negative is a requirement; a filter's "not" is one of its criteria
        ("I would not deploy a retrained model without a validation gate.", "gate", True),
        ("No training on their photos without consent.", "consent", True),
        ("We serve without a validation gate.", "gate", False),
        ("Candidate filter: within the radius, not sold out, not already registered.", "registered", True),
        ("We are not worried about users already registered.", "registered", False),
        # a verdict standing alone after the point rejects it; "nothing ... without" insists
        ("Calibration: skip.", "calib", False),
        ("A/B test: skip for v1.", "ab", False),
        ("Cannibalization: don't care for v1.", "cannibal", False),
        ("Nothing ships without an A/B test.", "ab", True),
        ("Calibration: skip the isotonic step, Platt scaling is enough.", "calib", True),
        # "won't skip" insists
        ("We won't skip the A/B test, even with little traffic.", "ab", True),
        ("Never ignore the feedback loop.", "loop", True),
    ],
)
def test_more_ways_to_reject(text: str, iid: str, hit: bool) -> None:
    r = rubric(
        item("explain", "explainability"),
        item("guests", "logged out guests"),
        item("cannibal", "cannibalization"),
        item("fairness", "fairness auditing", "fairness across hosts"),
        item("privacy", "privacy"),
        item("failopen", "fail open"),
        item("holdout", "random holdout"),
        item("popular", "popular videos"),
        item("rps", "requests per second"),
        item("loop", "feedback loop"),
        item("guardrail", "rate guardrail"),
        item("explicit", "explicit feedback"),
        item("blocked", "blocked"),
        item("accepts", "accepts"),
        item("fuzzy", "fuzzy matching"),
        item("diversity", "diversity re ranking"),
        item("ab", "ab test"),
        item("stuffing", "keyword stuffing"),
        item("node2vec", "node2vec"),
        item("generate", "generate completions"),
        item("cluster", "cluster randomisation"),
        item("onboarding", "onboarding"),
        item("spam", "spam filtering"),
        item("gate", "validation gate"),
        item("calib", "calibration"),
        item("consent", "consent"),
        item("registered", "already registered"),
        item("negative", "negative label"),
        item("position", "position bias"),
    )
    assert hits(text, r)[iid] is hit, text


def test_a_lead_in_that_turns_down_a_list() -> None:
    r = rubric(
        item("detect", "object detection"), item("rerank", "re ranker"), item("filters", "business filters")
    )
    listed = (
        "\n- Object detection and crop selection. I'd embed the whole frame."
        "\n- A learned re-ranker. Sort by cosine, apply business filters, done."
    )
    for lead in ("Things I'd skip for v1:", "What I would not build:", "Out of scope:"):
        got = hits(lead + listed, r)
        assert not got["detect"] and not got["rerank"], lead
        assert got["filters"], "only the first sentence of each line is turned down"
    for lead in ("Monitoring, not just accuracy:", "Features (no PII):", "What I'd build:"):
        got = hits(lead + listed, r)
        assert got["detect"] and got["rerank"], lead


@pytest.mark.parametrize(
    ("signal", "text"),
    [
        ("naïve bayes", "A naive Bayes baseline."),
        ("naive bayes", "A naïve Bayes baseline."),
        ("résumé parsing", "Resume parsing first."),
        ("延迟", "模型延迟很高。"),  # no spaces between words: characters in a row match
        ("обучающие данные", "Обучающие данные за месяц."),
    ],
)
def test_accents_and_other_alphabets(signal: str, text: str) -> None:
    assert hits(text, rubric(item("x", signal)))["x"], (signal, text)


def test_accents_do_not_make_new_words() -> None:
    # "naïve" losing its "ï" would read as "nave"
    assert not hits("The nave of the church.", rubric(item("x", "naïve bayes")))["x"]


def test_the_report_names_the_alternative_that_found_a_point() -> None:
    r = rubric(
        item("retrain", "retrain|retraining|refit|fresh model", stage="monitor"),
        item("budget", ("scoring|decision", "ms|millisecond"), stage="serve"),
        item("typo", "calibration|platt", stage="data"),
    )
    answer = (
        "## Monitor\nWe refit the model every week.\n\n"
        "## Serve\nThe decision must come back within 80 ms.\n\n"
        "## Data\nCheck the calibraton."
    )
    got = {x.item.id: x for x in score(parse_markdown(answer), r).items}
    assert got["retrain"].signal == "refit"  # not the whole "retrain|retraining|refit|fresh model"
    assert got["budget"].signal == "decision + ms"
    # found through a typo: no alternative stands plainly in the sentence, so the phrase is shown whole
    assert got["typo"].hit and got["typo"].signal == "calibration|platt"


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("Every counter is taken as of the moment the message arrived.", True),
        ("Features are rebuilt As-of the authorization timestamp.", True),
        ("As of today the team is small.", False),  # "as of" alone is no point in time
        ("The feature store holds the latest counters; a moment later they change.", False),
    ],
)
def test_as_of_is_a_point_in_time(text: str, hit: bool) -> None:
    """"as of" is two small words, which matching drops: read as one, it can name the
    point-in-time idea ("features as of the authorization")."""
    r = rubric(item("pit", ("as of", "feature|features|counter|counters|computed|rebuilt|taken"), stage="data"))
    assert hits(text, r)["pit"] is hit


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("Pre-compute video embeddings; cache them.", False),
        ("Embedding cache in front of the model.", True),
        ("A control with no protection - control keeps the current model.", False),
        ("We protect control users from harm.", True),
    ],
)
def test_a_phrase_does_not_run_across_a_semicolon_or_spaced_dash(text: str, hit: bool) -> None:
    """Words on either side of ";", a spaced dash or an arrow belong to different thoughts:
    neither a phrase ("embedding cache") nor two words written for one ("protect control",
    read as "protectcontrol") is made across one."""
    r = rubric(item("cache", "embedding cache"), item("protect", "protect control"))
    got = hits(text, r)
    assert (got["cache"] or got["protect"]) is hit
