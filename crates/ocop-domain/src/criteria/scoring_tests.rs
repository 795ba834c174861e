//! Scoring over all 26 shipped sets: the maxima, band edges, minimum markers, stop rules,
//! disqualification, several members, set 26's cases and the source's oddities.

use super::answers::{Answer, Answers, MemberSheet, Pick};
use super::rubric::{Choice, Criterion, Rubric};
use super::scoring::{score, star_band, RecognizedBy, ScoreError, Unmet};
use super::{criteria_sets, rubric, star_bands};
use serde_json::json;

/// The answer with the most points (in `case` for case criteria).
fn best(c: &Criterion, case: usize) -> Answer {
    let top = |options: &[super::AnswerOption]| {
        (0..options.len())
            .max_by_key(|&i| options[i].counted(c.max_points))
            .unwrap()
    };
    let pick = match &c.choice {
        Choice::Options { options } => Pick::Option(top(options)),
        Choice::Cases { cases } => Pick::CaseOption {
            case,
            option: top(&cases[case].options),
        },
        Choice::Points => Pick::Points(c.max_points),
    };
    Answer { pick, stop: false }
}

fn best_sheet(r: &Rubric, case: usize) -> MemberSheet {
    r.criteria()
        .map(|c| (c.code.clone(), best(c, case)))
        .collect()
}

fn one(sheet: MemberSheet) -> Answers {
    Answers {
        members: vec![sheet],
        disqualified_if: vec![],
    }
}

/// Lowers `sheet` (a best sheet) by `deficit` points, criterion by criterion.
fn lower(r: &Rubric, sheet: &mut MemberSheet, mut deficit: u32) {
    for c in r.criteria() {
        let Choice::Options { options } = &c.choice else {
            continue;
        };
        let max = options
            .iter()
            .map(|o| o.counted(c.max_points))
            .max()
            .unwrap();
        let choice = (0..options.len())
            .filter(|&i| max - options[i].counted(c.max_points) <= deficit)
            .max_by_key(|&i| max - options[i].counted(c.max_points))
            .unwrap();
        if c.stop_if_zero && options[choice].counted(c.max_points) == 0 {
            continue;
        }
        deficit -= max - options[choice].counted(c.max_points);
        sheet.insert(c.code.clone(), Answer::option(choice));
    }
    assert_eq!(deficit, 0, "set {} cannot lose that many points", r.number);
}

fn sheet_totalling(r: &Rubric, total: u32) -> MemberSheet {
    let mut s = best_sheet(r, 0);
    lower(r, &mut s, 100 - total);
    s
}

#[test]
fn every_sets_parts_add_up_to_100() {
    for info in criteria_sets() {
        let r = rubric(i64::from(info.number)).unwrap();
        assert_eq!(r.max_points(), 100, "set {}", r.number);
        let parts: Vec<u32> = r.parts.iter().map(|p| p.max_points).collect();
        assert_eq!(parts, [40, 25, 35], "set {}", r.number);
        for p in &r.parts {
            let sum: u32 = p.criteria.iter().map(|c| c.max_points).sum();
            assert_eq!(sum, p.max_points, "set {} part {}", r.number, p.code);
        }
    }
}

#[test]
fn every_sets_best_answers_give_100_and_five_stars_from_the_central_council() {
    for info in criteria_sets() {
        let r = rubric(i64::from(info.number)).unwrap();
        let cases = if r.number == 26 { 2 } else { 1 };
        for case in 0..cases {
            let three = Answers {
                members: vec![best_sheet(r, case); 3],
                disqualified_if: vec![],
            };
            let s = score(r, &three).unwrap();
            assert_eq!(s.total, 100.0, "set {} case {case}", r.number);
            assert_eq!((s.band_stars, s.stars), (5, Some(5)), "set {}", r.number);
            assert!(s.unmet_minimums.is_empty() && !s.stopped && s.recognizable);
            assert_eq!(s.recognized_by, Some(RecognizedBy::Central));
            assert_eq!(s.member_totals, [100, 100, 100]);
            let parts: Vec<f64> = s.parts.iter().map(|p| p.1).collect();
            assert_eq!(parts, [40.0, 25.0, 35.0]);
        }
    }
}

#[test]
fn star_bands_are_the_decisions() {
    assert_eq!(star_bands(), [(5, 90), (4, 70), (3, 50), (2, 30), (1, 0)]);
    let edges = [
        (0.0, 1),
        (29.99, 1),
        (30.0, 2),
        (49.99, 2),
        (50.0, 3),
        (69.99, 3),
        (70.0, 4),
        (89.99, 4),
        (90.0, 5),
        (100.0, 5),
    ];
    for (mean, stars) in edges {
        assert_eq!(star_band(mean), stars, "{mean}");
    }
}

#[test]
fn band_edges_from_sheets() {
    let r = rubric(1).unwrap();
    for (total, band) in [
        (29, 1),
        (30, 2),
        (49, 2),
        (50, 3),
        (69, 3),
        (70, 4),
        (89, 4),
        (90, 5),
    ] {
        let s = score(r, &one(sheet_totalling(r, total))).unwrap();
        assert_eq!((s.total, s.band_stars), (f64::from(total), band), "{total}");
        assert!(s.stars.unwrap() <= band);
    }
}

#[test]
fn the_mean_of_several_members_is_compared_exactly_and_shown_truncated() {
    let r = rubric(1).unwrap();
    let members = |totals: &[u32]| Answers {
        members: totals.iter().map(|&t| sheet_totalling(r, t)).collect(),
        disqualified_if: vec![],
    };
    let s = score(r, &members(&[100, 80])).unwrap();
    assert_eq!(
        (s.total, s.band_stars, s.member_totals.clone()),
        (90.0, 5, vec![100, 80])
    );
    let s = score(r, &members(&[90, 89])).unwrap();
    assert_eq!((s.total, s.band_stars), (89.5, 4));
    // 269 / 3 = 89.666…: shown as 89.66, never rounded up into the next band.
    let s = score(r, &members(&[100, 100, 69])).unwrap();
    assert_eq!((s.total, s.band_stars), (89.66, 4));
    let s = score(r, &members(&[100, 100, 70])).unwrap();
    assert_eq!((s.total, s.band_stars), (90.0, 5));
    let s = score(r, &members(&[31, 30, 29])).unwrap();
    assert_eq!((s.total, s.band_stars, s.stars), (30.0, 2, Some(2)));
    assert!(!s.recognizable && s.recognized_by.is_none());
}

#[test]
fn an_unmet_four_star_minimum_caps_at_three_stars() {
    let r = rubric(1).unwrap();
    // 1.5 offers 0, 1, 2 (****), 3 (*****) points.
    let mut sheet = best_sheet(r, 0);
    sheet.insert("1.5".into(), Answer::option(1));
    let s = score(r, &one(sheet.clone())).unwrap();
    assert_eq!((s.total, s.band_stars, s.stars), (98.0, 5, Some(3)));
    let unmet = |c: &str, level| Unmet {
        criterion: c.into(),
        level,
    };
    assert_eq!(s.unmet_minimums, [unmet("1.5", 4), unmet("1.5", 5)]);
    assert_eq!(s.recognized_by, Some(RecognizedBy::Province));
    // Only the five-star marker missed: four stars from the province.
    sheet.insert("1.5".into(), Answer::option(2));
    let s = score(r, &one(sheet)).unwrap();
    assert_eq!((s.total, s.stars), (99.0, Some(4)));
    assert_eq!(s.unmet_minimums, [unmet("1.5", 5)]);
}

#[test]
fn markers_are_met_on_the_members_mean_and_only_reported_up_to_the_band() {
    let r = rubric(1).unwrap();
    // One member gives 1.5 two points, the other three: mean 2.5 meets ****, not *****.
    let mut a = best_sheet(r, 0);
    a.insert("1.5".into(), Answer::option(2));
    let s = score(
        r,
        &Answers {
            members: vec![a, best_sheet(r, 0)],
            disqualified_if: vec![],
        },
    )
    .unwrap();
    assert_eq!((s.total, s.stars), (99.5, Some(4)));
    // A 3-star band product is not told about its missed five-star markers.
    let mut low = sheet_totalling(r, 60);
    low.insert("1.5".into(), Answer::option(3));
    low.insert("4.1".into(), Answer::option(1));
    let s = score(r, &one(low)).unwrap();
    assert_eq!(s.band_stars, 3);
    assert!(
        s.unmet_minimums.iter().all(|u| u.level <= 3),
        "{:?}",
        s.unmet_minimums
    );
}

#[test]
fn an_unmet_three_star_minimum_leaves_no_recognition() {
    let r = rubric(1).unwrap();
    let mut sheet = best_sheet(r, 0);
    sheet.insert("4.1".into(), Answer::option(0)); // 1 point; *** needs 2
    let s = score(r, &one(sheet)).unwrap();
    assert_eq!((s.band_stars, s.stars, s.recognizable), (5, Some(2), false));
    assert_eq!(s.recognized_by, None);
}

#[test]
fn a_zero_on_a_stop_criterion_stops_the_evaluation() {
    let r = rubric(16).unwrap();
    let mut sheet = best_sheet(r, 0);
    sheet.insert("6.2".into(), Answer::option(0));
    // Later criteria need no answers once stopped.
    let later: Vec<String> = r
        .criteria()
        .skip_while(|c| c.code != "6.2")
        .skip(1)
        .map(|c| c.code.clone())
        .collect();
    assert!(!later.is_empty());
    for code in &later {
        sheet.remove(code);
    }
    let s = score(r, &one(sheet)).unwrap();
    assert!(s.stopped);
    assert_eq!(s.stop_criterion.as_deref(), Some("6.2"));
    assert_eq!(
        (s.stars, s.recognizable, s.recognized_by),
        (None, false, None)
    );
    assert_eq!(s.criteria.last().unwrap().code, "6.2");
}

#[test]
fn a_member_recording_a_stop_rule_stops_it_and_a_criterion_without_one_refuses_stop() {
    let r = rubric(1).unwrap();
    let mut stopper = best_sheet(r, 0);
    stopper.insert(
        "6.1".into(),
        Answer {
            pick: Pick::Option(0),
            stop: true,
        },
    );
    let s = score(
        r,
        &Answers {
            members: vec![best_sheet(r, 0), stopper],
            disqualified_if: vec![],
        },
    )
    .unwrap();
    assert_eq!(
        (s.stopped, s.stop_criterion.as_deref(), s.stars),
        (true, Some("6.1"), None)
    );

    let mut wrong = best_sheet(r, 0);
    wrong.insert(
        "1.1".into(),
        Answer {
            pick: Pick::Option(0),
            stop: true,
        },
    );
    let e = score(r, &one(wrong)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "member 1, criterion 1.1: this criterion has no stop rule; remove \"stop\""
    );
}

#[test]
fn a_disqualified_dossier_is_not_ranked() {
    let r = rubric(1).unwrap();
    let mut answers = one(best_sheet(r, 0));
    answers.disqualified_if = vec![0, 0];
    let s = score(r, &answers).unwrap();
    assert_eq!(s.disqualified, ["Giả mạo hồ sơ"]);
    assert_eq!((s.total, s.stars, s.recognizable), (100.0, None, false));
    answers.disqualified_if = vec![7];
    assert_eq!(
        score(r, &answers).unwrap_err().to_string(),
        "set 1 has 3 disqualification conditions: 7 is not one of them (count from 0)"
    );
}

#[test]
fn set_26_scores_one_case_per_criterion_and_members_must_agree_on_it() {
    let r = rubric(26).unwrap();
    let mut mixed = best_sheet(r, 0);
    let case_b = best_sheet(r, 1);
    mixed.insert("8".into(), case_b["8"]);
    assert_eq!(score(r, &one(mixed.clone())).unwrap().total, 100.0);
    let disagree = Answers {
        members: vec![best_sheet(r, 0), mixed.clone()],
        disqualified_if: vec![],
    };
    assert_eq!(
        score(r, &disagree).unwrap_err(),
        ScoreError::CasesDisagree {
            criterion: "8".into()
        }
    );
    mixed.insert(
        "8".into(),
        Answer {
            pick: Pick::CaseOption { case: 2, option: 0 },
            stop: false,
        },
    );
    assert_eq!(
        score(r, &one(mixed.clone())).unwrap_err().to_string(),
        "member 1, criterion 8: case 2 does not exist: choose a case from 0 to 1"
    );
    mixed.insert("8".into(), Answer::option(1));
    assert!(score(r, &one(mixed))
        .unwrap_err()
        .to_string()
        .contains("this criterion has 2 cases"));
}

#[test]
fn errors_name_the_member_and_the_criterion() {
    let r = rubric(1).unwrap();
    assert_eq!(
        score(r, &Answers::default()).unwrap_err(),
        ScoreError::NoMembers
    );
    let mut missing = best_sheet(r, 0);
    missing.remove("3.2");
    let two = Answers {
        members: vec![best_sheet(r, 0), missing],
        disqualified_if: vec![],
    };
    assert_eq!(
        score(r, &two).unwrap_err().to_string(),
        "member 2 did not answer criterion 3.2"
    );
    let mut unknown = best_sheet(r, 0);
    unknown.insert("9.9".into(), Answer::option(0));
    assert_eq!(
        score(r, &one(unknown)).unwrap_err().to_string(),
        "member 1: set 1 has no criterion \"9.9\""
    );
    let mut range = best_sheet(r, 0);
    range.insert("1.1".into(), Answer::option(3));
    assert_eq!(
        score(r, &one(range)).unwrap_err().to_string(),
        "member 1, criterion 1.1: option 3 does not exist: choose from 0 to 2"
    );
    let mut points = best_sheet(r, 0);
    points.insert(
        "2.4".into(),
        Answer {
            pick: Pick::Points(2),
            stop: false,
        },
    );
    assert_eq!(
        score(r, &one(points.clone())).unwrap_err().to_string(),
        "member 1, criterion 2.4: 2 points is more than the criterion's 1"
    );
    points.insert("2.4".into(), Answer::option(0));
    assert!(score(r, &one(points))
        .unwrap_err()
        .to_string()
        .contains("give {\"points\":N} with N from 0 to 1"));
}

#[test]
fn source_oddities_are_counted_within_the_criterion_and_reported() {
    let r = rubric(4).unwrap();
    assert!(r.source_flags.iter().any(|f| f.contains("13 points")));
    let mut sheet = best_sheet(r, 0);
    sheet.insert("7".into(), Answer::option(2)); // the "13"
    sheet.insert("1.2".into(), Answer::option(0)); // the blank cell
    let s = score(r, &one(sheet)).unwrap();
    assert_eq!(s.total, 98.0);
    assert_eq!(s.notes.len(), 2, "{:?}", s.notes);
    assert!(
        s.notes[0].contains("a blank cell in the source; counted as 0"),
        "{:?}",
        s.notes
    );
    assert!(s.notes[1].contains("reads 13 points in the source; counted as 3"));
}

#[test]
fn answers_read_every_form_and_explain_bad_ones() {
    let a = Answers::from_json(&json!({
        "members": [{"1.1": 2, "8": {"case": 1, "option": 0}, "2.4": {"points": 1},
                     "6.1": {"option": 0, "stop": true}}],
        "disqualified_if": [1]
    }))
    .unwrap();
    let m = &a.members[0];
    assert_eq!(m["1.1"], Answer::option(2));
    assert_eq!(m["8"].pick, Pick::CaseOption { case: 1, option: 0 });
    assert_eq!(m["2.4"].pick, Pick::Points(1));
    assert!(m["6.1"].stop);
    assert_eq!(a.disqualified_if, [1]);
    for (bad, says) in [
        (json!([]), "must be an object"),
        (json!({"members": {}}), "\"members\" must be a list"),
        (
            json!({"members": [], "extra": 1}),
            "unknown field \"extra\"",
        ),
        (
            json!({"members": [[]]}),
            "member 1: answers must be an object",
        ),
        (
            json!({"members": [{"1.1": -1}]}),
            "member 1, criterion 1.1: give an option number",
        ),
        (
            json!({"members": [{"1.1": "2"}]}),
            "member 1, criterion 1.1: give an option number",
        ),
        (
            json!({"members": [{"1.1": {"option": 1, "points": 1}}]}),
            "criterion 1.1",
        ),
        (json!({"members": [{"1.1": {"opton": 1}}]}), "unknown field"),
        (
            json!({"members": [{"1.1": {"option": 1, "stop": "yes"}}]}),
            "\"stop\" must be true or false",
        ),
        (
            json!({"members": [{}], "disqualified_if": ["x"]}),
            "condition numbers",
        ),
    ] {
        let e = Answers::from_json(&bad).unwrap_err().to_string();
        assert!(e.contains(says), "{bad}: {e}");
    }
}
