use super::*;
use DossierState::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn the_happy_path_from_draft_to_a_provincial_certificate() {
    let s = Draft
        .after(Step::Submit, Role::Producer, None, false)
        .unwrap();
    let s = s
        .after(Step::CommuneCheck, Role::Officer, None, false)
        .unwrap();
    let s = s
        .after(Step::Assign { central: false }, Role::Admin, None, false)
        .unwrap();
    let s = s
        .after(Step::Consolidate, Role::Admin, None, false)
        .unwrap();
    assert_eq!(s, Scored);
    assert_eq!(
        s.after(Step::Recognize { stars: 4 }, Role::Admin, Some(4), false),
        Ok(Recognized)
    );
}

#[test]
fn five_stars_go_through_the_central_council() {
    assert_eq!(
        Scored.after(Step::Recognize { stars: 5 }, Role::Admin, Some(5), false),
        Err(StepRefused::FiveStarsAreCentral)
    );
    let s = Scored
        .after(Step::Forward, Role::Admin, Some(5), false)
        .unwrap();
    assert_eq!(s, Forwarded);
    assert!(matches!(
        s.after(Step::Assign { central: true }, Role::Admin, Some(5), false),
        Err(StepRefused::Role { .. })
    ));
    let s = s
        .after(
            Step::Assign { central: true },
            Role::Central,
            Some(5),
            false,
        )
        .unwrap();
    assert!(matches!(
        s.after(Step::Consolidate, Role::Admin, None, true),
        Err(StepRefused::Role { .. })
    ));
    let s = s
        .after(Step::Consolidate, Role::Central, None, true)
        .unwrap();
    assert_eq!(
        s.after(Step::Recognize { stars: 5 }, Role::Central, Some(5), true),
        Ok(Recognized)
    );
    // A central result of 4★ goes back to the province.
    assert_eq!(
        Scored.after(Step::Recognize { stars: 4 }, Role::Central, Some(4), true),
        Err(StepRefused::ProvinceStars { stars: 4 })
    );
    assert_eq!(
        Scored.after(Step::Recognize { stars: 4 }, Role::Admin, Some(4), true),
        Ok(Recognized)
    );
    // Only a provincial 5★ result is forwarded.
    assert!(Scored
        .after(Step::Forward, Role::Admin, Some(4), false)
        .is_err());
    assert!(Scored
        .after(Step::Forward, Role::Admin, Some(5), true)
        .is_err());
}

#[test]
fn recognition_must_match_the_result_and_low_results_are_declined() {
    assert!(Scored
        .after(Step::Recognize { stars: 4 }, Role::Admin, Some(3), false)
        .is_err());
    assert_eq!(
        Scored.after(Step::Recognize { stars: 2 }, Role::Admin, Some(2), false),
        Err(StepRefused::Stars(2))
    );
    assert_eq!(
        Scored.after(Step::Decline, Role::Admin, Some(2), false),
        Ok(NotRecognized)
    );
    assert_eq!(
        Scored.after(Step::Decline, Role::Admin, None, false),
        Ok(NotRecognized)
    );
    assert!(Scored
        .after(Step::Decline, Role::Admin, Some(3), false)
        .is_err());
}

#[test]
fn returns_need_the_right_officer_and_state() {
    assert_eq!(
        Submitted.after(Step::Return, Role::Officer, None, false),
        Ok(Returned)
    );
    assert!(CommuneChecked
        .after(Step::Return, Role::Officer, None, false)
        .is_err());
    assert_eq!(
        InRound.after(Step::Return, Role::Admin, None, false),
        Ok(Returned)
    );
    assert!(Scored
        .after(Step::Return, Role::Admin, None, false)
        .is_err());
    assert_eq!(
        Returned.after(Step::Submit, Role::Producer, None, false),
        Ok(Submitted)
    );
    assert!(Returned.editable() && Draft.editable() && !Submitted.editable());
}

#[test]
fn roles_outside_a_step_are_refused_with_who_may() {
    let e = Submitted
        .after(Step::CommuneCheck, Role::Producer, None, false)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "a producer cannot do this: the commune officer checks it"
    );
    assert!(matches!(
        CommuneChecked.after(
            Step::Assign { central: false },
            Role::Evaluator,
            None,
            false
        ),
        Err(StepRefused::Role { .. })
    ));
    let e = Draft
        .after(Step::CommuneCheck, Role::Officer, None, false)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "a draft dossier cannot be checked by the commune"
    );
}

#[test]
fn states_and_kinds_read_their_names() {
    for &s in DossierState::ALL {
        assert_eq!(s.as_str().parse::<DossierState>(), Ok(s));
    }
    assert_eq!("upgrade".parse::<DossierKind>(), Ok(DossierKind::Upgrade));
    assert!("second"
        .parse::<DossierKind>()
        .unwrap_err()
        .to_string()
        .contains("first_time"));
}

#[test]
fn the_commune_has_fifteen_working_days() {
    // Monday 2 November 2026 + 15 working days = Monday 23 November.
    assert_eq!(
        working_days_after(d(2026, 11, 2), COMMUNE_WORKING_DAYS),
        d(2026, 11, 23)
    );
    // From a Friday: the weekend does not count.
    assert_eq!(working_days_after(d(2026, 11, 6), 1), d(2026, 11, 9));
}

#[test]
fn councils_have_a_chair_a_secretary_and_members() {
    use CouncilRole::*;
    assert!(check_council(&[(1, Chair), (2, Secretary), (3, Member)]).is_ok());
    assert!(check_council(&[(1, Chair), (2, Secretary)]).is_ok());
    assert!(check_council(&[(1, Chair)]).is_err());
    assert!(check_council(&[(1, Chair), (2, Member), (3, Member)]).is_err());
    assert!(check_council(&[(1, Chair), (1, Secretary), (3, Member)]).is_err());
    assert!(check_council(&[(1, Chair), (2, Chair), (3, Secretary)]).is_err());
}

#[test]
fn the_certificate_calendar() {
    let expires = d(2027, 6, 30);
    assert!(!needs_expiry_notice(expires, d(2027, 5, 30)));
    assert!(needs_expiry_notice(expires, d(2027, 5, 31)));
    assert!(needs_expiry_notice(expires, expires));
    assert!(!needs_expiry_notice(expires, d(2027, 7, 1)));
    assert_eq!(reevaluation_window(expires), (d(2027, 1, 1), d(2027, 3, 2)));
    assert!(!may_file_reevaluation(expires, d(2026, 12, 31)));
    assert!(may_file_reevaluation(expires, d(2027, 1, 1)));
    assert!(may_file_reevaluation(expires, d(2027, 3, 2)));
    assert!(!may_file_reevaluation(expires, d(2027, 3, 3)));
}

#[test]
fn notices_come_in_the_re_evaluation_window_and_the_last_30_days() {
    let expires = d(2027, 6, 30);
    assert_eq!(notice(expires, d(2026, 12, 31)), None);
    assert_eq!(
        notice(expires, d(2027, 1, 1)),
        Some(CertificateNotice::ReevaluationOpen)
    );
    assert_eq!(
        notice(expires, d(2027, 3, 2)),
        Some(CertificateNotice::ReevaluationOpen)
    );
    assert_eq!(notice(expires, d(2027, 3, 3)), None);
    assert_eq!(
        notice(expires, d(2027, 5, 31)),
        Some(CertificateNotice::ExpiresSoon)
    );
    assert_eq!(notice(expires, d(2027, 7, 1)), None);
    assert_eq!(d(2027, 1, 1) + Days::new(NOTICE_HORIZON_DAYS), expires);
}

#[test]
fn form_01_kinds_fit_the_certificate_held() {
    let today = d(2027, 2, 1);
    let held = Some(("QN-1", 4, d(2027, 6, 30)));
    assert_eq!(DossierKind::FirstTime.fits(None, today), Ok(()));
    assert_eq!(
        DossierKind::FirstTime
            .fits(held, today)
            .unwrap_err()
            .to_string(),
        "the product already holds certificate QN-1 (4★): file an upgrade or a re-evaluation"
    );
    assert_eq!(DossierKind::Upgrade.fits(held, today), Ok(()));
    assert_eq!(
        DossierKind::Upgrade.fits(None, today),
        Err(KindRefused::NotCertified)
    );
    assert_eq!(DossierKind::Reevaluation.fits(held, today), Ok(()));
    assert_eq!(
        DossierKind::Reevaluation.fits(held, d(2027, 4, 1)).unwrap_err().to_string(),
        "re-evaluation is filed 180 to 120 days before the certificate expires: from 01/01/2027 to 02/03/2027"
    );
}

#[test]
fn councils_draw_on_the_provinces_evaluators_and_officers() {
    assert!(may_sit(Role::Evaluator, Some("22"), Some("22")));
    assert!(may_sit(Role::Admin, Some("22"), Some("22")));
    assert!(!may_sit(Role::Evaluator, Some("01"), Some("22")));
    assert!(
        may_sit(Role::Evaluator, Some("01"), None),
        "the central council draws on every province"
    );
    assert!(may_sit(Role::Central, None, Some("22")));
    for role in [Role::Producer, Role::Officer, Role::Inspector] {
        assert!(!may_sit(role, Some("22"), Some("22")), "{role}");
    }
}

#[test]
fn dossiers_wait_for_the_role_whose_work_the_next_step_is() {
    assert_eq!(DossierState::waiting_for(Role::Producer), [Draft, Returned]);
    assert_eq!(DossierState::waiting_for(Role::Officer), [Submitted]);
    assert_eq!(
        DossierState::waiting_for(Role::Admin),
        [CommuneChecked, Scored]
    );
    assert_eq!(
        DossierState::waiting_for(Role::Central),
        [Scored, Forwarded]
    );
    assert_eq!(DossierState::waiting_for(Role::Evaluator), [InRound]);
    assert!(DossierState::waiting_for(Role::Inspector).is_empty());
    // Whoever a state waits for may take one of its next steps.
    for role in Role::ALL {
        for state in DossierState::waiting_for(role) {
            assert!(
                state
                    .next_steps()
                    .iter()
                    .any(|s| s.roles().0.contains(&role)),
                "{state} waits for {role}"
            );
        }
    }
}
