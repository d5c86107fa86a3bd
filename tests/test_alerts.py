"""Alert rules over a real DuckDB store of hand-made events (store_factories)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire import alerts, store
from eventwire.cli import main
from eventwire.errors import ConfigError
from eventwire.store.alerts import CSV_COLUMNS, Alert, list_alerts
from store_factories import assemble, make_article, make_event

TODAY = dt.date(2025, 3, 31)


def day(n: int) -> str:
    """n days before TODAY."""
    return (TODAY - dt.timedelta(days=n)).isoformat()


def put(con: object, article_id: str, events: list[tuple[str, str, str, str]],
        outlet: str = "Test Wire") -> str:
    """Store one article with events (source, target, cameo, date); returns its id."""
    evs = [make_event(article_id, source=s, target=t, cameo=c, date=d, report_date=d,
                      sentence_index=i, sentence=f"Sentence {i} of {article_id} about {s} and {t}.")
           for i, (s, t, c, d) in enumerate(events)]
    pair = assemble(make_article(article_id, date=events[0][3], outlet=outlet), evs)
    store.ingest(con, [pair])  # type: ignore[arg-type]
    return article_id


def run(con: object, rules: alerts.Rules, ids: list[str]) -> list[Alert]:
    store.sync_merged(con)  # type: ignore[arg-type]
    return alerts.evaluate(con, rules, ids, today=TODAY)  # type: ignore[arg-type]


def only(name: str, **settings: object) -> alerts.Rules:
    """Rules with one rule enabled, with these settings."""
    lines = []
    for n in alerts.RULE_NAMES:
        lines += [f"[{n}]", f"enabled = {str(n == name).lower()}"]
        if n == name:
            lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    return alerts.parse_rules("\n".join(lines) + "\n", "test rules")


def test_alerts_new_dyad_only_when_quiet_before(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "a.duckdb")
    rules = only("new_dyad_conflict", lookback_days=30)
    old = put(con, "old", [("RUSMIL", "UKRMIL", "190", day(20))])
    assert [a.subject for a in run(con, rules, [old])] == ["RUS->UKR"]
    # the same dyad again within 30 days: not new; another dyad: new
    a2 = put(con, "a2", [("RUSMIL", "UKRMIL", "190", day(3)), ("SRBCOP", "KOSCVL", "173", day(3)),
                         ("KENGOV", "TZAGOV", "042", day(3))])  # cooperation never counts
    got = run(con, rules, [a2])
    assert [(a.subject, a.window_end.isoformat()) for a in got] == [("SRB->KOS", day(3))]
    assert got[0].figures == {"events": 1, "lookback_days": 30}
    assert got[0].article_ids == ("a2",) and len(got[0].event_ids) == 1
    # evaluating the same articles again raises nothing new
    assert run(con, rules, [old, a2]) == []
    assert len(list_alerts(con)) == 2
    # too old for max_age_days: no alert
    ancient = put(con, "ancient", [("PERMIL", "BOLMIL", "190", day(90))])
    assert run(con, rules, [ancient]) == []
    con.close()


def test_alerts_merged_mentions_count_once(tmp_path: Path) -> None:
    """Three outlets reporting one arrest make one merged event, not a spike of three."""
    con = store.connect(tmp_path / "a.duckdb")
    rules = only("conflict_spike", min_count=2, k=1.0, by=["dyad"])
    ids = [put(con, f"m{i}", [("SRBCOP", "KOSCVL", "173", day(1))], outlet=f"Outlet {i}")
           for i in range(3)]
    assert run(con, rules, ids) == []
    n = con.execute("SELECT n_articles FROM merged_events WHERE cameo = '173'").fetchall()
    assert n == [(3,)]
    con.close()


def test_alerts_conflict_spike_against_baseline_with_cooldown(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "a.duckdb")
    rules = only("conflict_spike", baseline_days=28, k=3.0, min_count=4, cooldown_days=7,
                 by=["country"])
    # a quiet baseline: one arrest every 4 days (distinct dyads, so no merging)
    targets = ["KOS", "ALB", "MNE", "BIH", "HRV", "MKD", "BGR"]
    base = [put(con, f"b{i}", [("SRBCOP", f"{t}CVL", "173", day(5 + 4 * i))])
            for i, t in enumerate(targets)]
    assert run(con, rules, base) == []
    # a day with 5 arrests (different targets, so 5 merged events)
    spike = put(con, "spike", [("SRBCOP", f"{t}CVL", "173", day(2)) for t in targets[:5]])
    got = run(con, rules, [spike])
    srb = [a for a in got if a.subject == "SRB"]
    assert len(srb) == 1 and srb[0].figures["events"] == 5
    assert srb[0].figures["baseline_mean"] == pytest.approx(7 / 28, abs=1e-3)
    assert srb[0].figures["baseline_sd"] > 0 and len(srb[0].merged_ids) == 5
    # the next day is as busy, but within the cooldown: no second alert for SRB
    again = put(con, "again", [("SRBCOP", f"{t}CVL", "145", day(1)) for t in targets[:5]])
    assert [a.subject for a in run(con, rules, [again]) if a.subject == "SRB"] == []
    # below min_count: never an alert, whatever the baseline
    con2 = store.connect(tmp_path / "b.duckdb")
    few = put(con2, "few", [("SRBCOP", f"{t}CVL", "173", day(2)) for t in targets[:3]])
    assert run(con2, rules, [few]) == []
    con.close()
    con2.close()


def test_alerts_goldstein_turn(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "a.duckdb")
    rules = only("goldstein_turn", recent_days=7, baseline_days=30, drop=3.0, min_recent=3,
                 min_baseline=5)
    # a month of visits and agreements (+1.9, +8.0), then a week of force (-10)
    calm = [put(con, f"c{i}", [("RUSGOV", "UKRGOV", "042" if i % 2 else "057", day(10 + 3 * i))])
            for i in range(8)]
    assert run(con, rules, calm) == []
    war = [put(con, f"w{i}", [("RUSMIL", "UKRMIL", "190", day(i * 2))]) for i in range(3)]
    got = run(con, rules, war)
    assert [a.subject for a in got] == ["RUS->UKR"]
    f = got[0].figures
    assert f["recent_mean"] == -10.0 and f["baseline_events"] == 8 and f["drop"] > 3.0
    assert got[0].window_end - got[0].window_start == dt.timedelta(days=6)
    # a mild turn (less than `drop`) raises nothing
    con2 = store.connect(tmp_path / "b.duckdb")
    calm2 = [put(con2, f"c{i}", [("RUSGOV", "UKRGOV", "042", day(10 + 3 * i))])
             for i in range(6)]
    mild = [put(con2, f"m{i}", [("RUSGOV", "UKRGOV", "041", day(i))]) for i in range(3)]
    assert run(con2, rules, calm2 + mild) == []
    con.close()
    con2.close()


def test_alerts_watch_list_actor_and_cameo(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "a.duckdb")
    rules = alerts.parse_rules(
        "[new_dyad_conflict]\nenabled = false\n[conflict_spike]\nenabled = false\n"
        "[goldstein_turn]\nenabled = false\n"
        '[[watch]]\nname = "force-on-ukraine"\nactors = ["ukr"]\ncameo = ["19"]\n'
        '[[watch]]\nname = "kenya"\nactors = ["KENGOV"]\n', "test rules")
    a = put(con, "a", [("RUSMIL", "UKRMIL", "190", day(1)), ("RUSGOV", "UKRGOV", "111", day(1)),
                       ("KENGOV", "TZAGOV", "042", day(1)), ("SRBCOP", "KOSCVL", "173", day(1))])
    got = sorted((x.name, x.subject) for x in run(con, rules, [a]))
    assert got == [("force-on-ukraine", "RUSMIL->UKRMIL 190"), ("kenya", "KENGOV->TZAGOV 042")]
    con.close()


@pytest.mark.parametrize(("text", "message"), [
    ("[conflict_spike]\nk = 'three'\n", "rules.toml: [conflict_spike]: k must be a number"),
    ("[goldstein_turn]\ndorp = 3\n", "unknown key 'dorp'"),
    ("[alarms]\n", "unknown table [alarms]"),
    ("[conflict_spike]\nby = ['region']\n", "by: 'region' is not"),
    ("[[watch]]\nactors = ['RUS']\n", "[[watch]] #1: a name is required"),
    ("[[watch]]\nname = 'x'\n", "give actors, cameo or both"),
    ("[[watch]]\nname = 'x'\ncameo = ['19x']\n", "cameo codes are 2-4 digits"),
    ("[general\n", "not valid TOML"),
])
def test_alerts_bad_rules_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        alerts.load_rules(path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_alerts_default_rules_are_the_documented_defaults() -> None:
    assert alerts.load_rules() == alerts.Rules(path="default rules")


def test_alerts_cli_lists_formats(tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    con = store.connect(db)
    put(con, "x", [("SRBCOP", "KOSCVL", "173", day(1))])
    rules = only("new_dyad_conflict")
    run(con, rules, ["x"])
    con.close()
    runner = CliRunner()
    table = runner.invoke(main, ["alerts", "--db", str(db)])
    assert table.exit_code == 0 and "SRB->KOS" in table.output
    jsonl = runner.invoke(main, ["alerts", "--db", str(db), "--format", "jsonl"])
    assert '"rule": "new_dyad_conflict"' in jsonl.output
    csv = runner.invoke(main, ["alerts", "--db", str(db), "--format", "csv",
                               "--since", day(0)])
    assert csv.output.splitlines() == [",".join(CSV_COLUMNS)]  # window before --since
    bad = runner.invoke(main, ["alerts", "--db", str(db), "--since", "yesterday"])
    assert bad.exit_code == 1 and "--since: 'yesterday' is not a date" in bad.output
    defaults = runner.invoke(main, ["alerts", "--default-rules"])
    assert "[conflict_spike]" in defaults.output


def test_watch_cli_refuses_when_no_source_is_usable(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("# nothing but\nnot-a-url\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["watch", str(listing), str(tmp_path / "missing.txt"),
                                       "--db", str(tmp_path / "w.duckdb"), "--once"])
    assert result.exit_code == 1
    assert f"{listing}:2: not an http(s) URL: 'not-a-url'" in result.output
    assert "missing.txt: not an http(s) URL, and no readable list" in result.output
    assert "no source to watch" in result.output
    bad_every = CliRunner().invoke(main, ["watch", "http://127.0.0.1:9/feed.xml", "--db",
                                          str(tmp_path / "w.duckdb"), "--every", "soon"])
    assert bad_every.exit_code == 2 and "not a duration" in bad_every.output
