//! The cycle and evaluation on both backends: screening, dossiers' steps, councils' sheets,
//! certificates issued and revoked.

use super::{audit, code, product, seed};
use chrono::NaiveDate;
use ocop_domain::cycle::{
    Calendar, Decision, ProposalKind, ProposalRefused, ProposalState, SupportKind,
};
use ocop_domain::evaluation::{CouncilRole, DossierKind, DossierState, Step, StepRefused};
use ocop_domain::Role;
use ocop_store::*;
use serde_json::json;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn evaluator(email: &str) -> NewUser {
    NewUser {
        email: email.parse().unwrap(),
        name: "Phạm Văn Bình".parse().unwrap(),
        role: Role::Evaluator,
        placement: UserPlacement {
            locality: Some(code("22")),
            province: Some(code("22")),
            commune: None,
            organization_id: None,
        },
        password_hash: "$argon2id$fake".into(),
    }
}

pub async fn cycles_ideas_and_plans_are_screened(s: &dyn Store) {
    let product_id = product(s).await;
    let org = s
        .product(product_id)
        .await
        .unwrap()
        .unwrap()
        .organization_id;
    let steps: Vec<NaiveDate> = (1..=6).map(|m| day(m, 1)).collect();
    let new = NewCycle {
        province_code: "22".into(),
        calendar: Calendar::new(2026, &steps).unwrap(),
        theme: "Sản phẩm chủ lực".into(),
        created_by: None,
    };
    let cycle = s
        .create_cycle(&new, &audit("cycle_opened", Some("22")))
        .await
        .unwrap();
    assert_eq!(
        (cycle.year(), &cycle.calendar.starts()[..]),
        (2026, &steps[..])
    );
    let again = s
        .create_cycle(&new, &audit("cycle_opened", Some("22")))
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict("year"))),
        "{again:?}"
    );
    assert_eq!(
        s.cycles(Some("22")).await.unwrap(),
        std::slice::from_ref(&cycle)
    );
    assert!(s.cycles(Some("01")).await.unwrap().is_empty());

    let proposal = |kind, idea_id| NewProposal {
        kind,
        cycle_id: cycle.id,
        organization_id: org,
        idea_id,
        title: "Trà hoa vàng túi lọc".into(),
        summary: "Từ vùng chè Đường Hoa".into(),
        created_by: None,
    };
    let idea = s
        .create_proposal(
            &proposal(ProposalKind::Idea, None),
            &audit("idea_submitted", Some("22")),
        )
        .await
        .unwrap();
    assert_eq!(
        (idea.state, idea.commune_code.as_str()),
        (ProposalState::Submitted, "06946")
    );
    let screening = |decision, reason| Screening {
        decision,
        reason,
        role: Role::Officer,
        decided_by: None,
    };
    let by_producer = Screening {
        role: Role::Producer,
        ..screening(Decision::Accept, None)
    };
    let refused = s
        .screen_proposal(idea.id, &by_producer, &audit("idea_screened", Some("22")))
        .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Proposal(ProposalRefused::Role { .. }))
        ),
        "{refused:?}"
    );
    let unexplained = s
        .screen_proposal(
            idea.id,
            &screening(Decision::Return, Some(" ")),
            &audit("idea_screened", Some("22")),
        )
        .await;
    assert!(
        matches!(
            unexplained,
            Err(StoreError::Proposal(ProposalRefused::ReasonRequired))
        ),
        "{unexplained:?}"
    );
    let idea = s
        .screen_proposal(
            idea.id,
            &screening(Decision::Accept, None),
            &audit("idea_screened", Some("22")),
        )
        .await
        .unwrap();
    assert_eq!(idea.state, ProposalState::Accepted);
    let twice = s
        .screen_proposal(
            idea.id,
            &screening(Decision::Reject, Some("x")),
            &audit("idea_screened", Some("22")),
        )
        .await;
    assert!(
        matches!(
            &twice,
            Err(StoreError::Proposal(ProposalRefused::State {
                state: ProposalState::Accepted,
                ..
            }))
        ),
        "{twice:?}"
    );

    let plan = s
        .create_proposal(
            &proposal(ProposalKind::Plan, Some(idea.id)),
            &audit("plan_submitted", Some("22")),
        )
        .await
        .unwrap();
    let support = NewSupport {
        plan_id: plan.id,
        kind: SupportKind::Training,
        description: "Tập huấn đóng gói".into(),
        amount_vnd: None,
        given_on: day(5, 2),
        recorded_by: None,
    };
    let early = s
        .add_support(
            &support,
            Role::Officer,
            &audit("plan_supported", Some("22")),
        )
        .await;
    assert!(
        matches!(
            early,
            Err(StoreError::Proposal(ProposalRefused::State { .. }))
        ),
        "{early:?}"
    );
    let plan = s
        .screen_proposal(
            plan.id,
            &screening(Decision::Return, Some("Thiếu phương án tài chính")),
            &audit("plan_screened", Some("22")),
        )
        .await
        .unwrap();
    assert_eq!(plan.reason.as_deref(), Some("Thiếu phương án tài chính"));
    let plan = s
        .resubmit_proposal(
            plan.id,
            "Kế hoạch v2",
            "Có phương án vay",
            Role::Producer,
            &audit("plan_resubmitted", Some("22")),
        )
        .await
        .unwrap();
    assert_eq!(
        (plan.state, plan.title.as_str(), plan.reason.as_deref()),
        (ProposalState::Submitted, "Kế hoạch v2", None)
    );
    s.screen_proposal(
        plan.id,
        &screening(Decision::Accept, None),
        &audit("plan_screened", Some("22")),
    )
    .await
    .unwrap();
    let given = s
        .add_support(
            &support,
            Role::Officer,
            &audit("plan_supported", Some("22")),
        )
        .await
        .unwrap();
    assert_eq!(s.supports(plan.id).await.unwrap(), [given]);

    let plans = s
        .proposals(&ProposalFilter {
            kind: Some(ProposalKind::Plan),
            province: Some("22".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(plans.len(), 1);
    let none = s
        .proposals(&ProposalFilter {
            commune: Some("07093".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(none.is_empty());
    let counts = s
        .proposal_counts(&ProposalFilter {
            cycle_id: Some(cycle.id),
            kind: Some(ProposalKind::Idea),
            ..Default::default()
        })
        .await
        .unwrap();
    let count = |k, st| {
        counts
            .iter()
            .find(|c| c.kind == k && c.state == st)
            .map(|c| c.count)
    };
    use ProposalKind::{Idea, Plan};
    assert_eq!(
        (
            count(Idea, ProposalState::Accepted),
            count(Plan, ProposalState::Accepted)
        ),
        (Some(1), Some(1)),
        "{counts:?}"
    );
    assert_eq!(count(Idea, ProposalState::Submitted), None);
    let elsewhere = s
        .proposal_counts(&ProposalFilter {
            commune: Some("07093".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(elsewhere.is_empty());
}

async fn council(s: &dyn Store, n: usize) -> (Round, Vec<i64>) {
    let mut ids = Vec::new();
    for i in 0..n {
        let u = s
            .create_user(
                &evaluator(&format!("hd{i}@qn.gov.vn")),
                &audit("user_created", Some("22")),
            )
            .await
            .unwrap();
        ids.push(u.id);
    }
    let members = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            (
                *id,
                [CouncilRole::Chair, CouncilRole::Secretary][..]
                    .get(i)
                    .copied()
                    .unwrap_or(CouncilRole::Member),
            )
        })
        .collect();
    let round = NewRound {
        province_code: Some("22".into()),
        name: "Đợt 2 năm 2026".into(),
        held_by: day(12, 30),
        members,
        created_by: None,
    };
    (
        s.create_round(&round, &audit("round_created", Some("22")))
            .await
            .unwrap(),
        ids,
    )
}

fn step(step: Step, role: Role) -> Move {
    Move::new(step, role, day(11, 2))
}

pub async fn a_dossier_goes_from_draft_to_a_certificate(s: &dyn Store) {
    let product_id = product(s).await;
    let (round, members) = council(s, 3).await;
    assert_eq!(round.members.len(), 3);
    assert_eq!(round.members[0].role, CouncilRole::Chair);
    assert_eq!(
        s.rounds(None, false, Some(members[2])).await.unwrap().len(),
        1
    );
    assert_eq!(s.rounds(Some("01"), false, None).await.unwrap().len(), 0);

    let a = |what| audit(what, Some("22"));
    let d = s
        .create_dossier(
            &NewDossier {
                product_id,
                kind: DossierKind::FirstTime,
                self_assessment: json!({"answers": {}}),
                created_by: None,
            },
            &a("dossier_created"),
        )
        .await
        .unwrap();
    assert_eq!(
        (d.state, d.criteria_set, d.commune_code.as_str()),
        (DossierState::Draft, 11, "06946")
    );
    let form = json!({"answers": {"1.1": 2}, "evidence": {"1.1": "Hợp đồng thu mua"}});
    let d = s
        .update_self_assessment(d.id, &form, &a("dossier_updated"))
        .await
        .unwrap();
    assert_eq!(d.self_assessment, form);
    let evidence = NewEvidence {
        dossier_id: d.id,
        criterion: "1.2".into(),
        file_name: "vietgap.pdf".into(),
        content_type: "application/pdf".into(),
        size_bytes: 1234,
        sha256: "ab".repeat(32),
        created_by: None,
    };
    let e = s
        .add_evidence(&evidence, &a("evidence_added"))
        .await
        .unwrap();
    assert_eq!(s.evidence(d.id).await.unwrap(), [e]);

    let d = s
        .move_dossier(
            d.id,
            &step(Step::Submit, Role::Producer),
            &a("dossier_submitted"),
        )
        .await
        .unwrap();
    assert_eq!(d.state, DossierState::Submitted);
    assert_eq!(
        (d.submitted_on, d.commune_due_on),
        (Some(day(11, 2)), Some(day(11, 23)))
    );
    let late = s
        .update_self_assessment(d.id, &form, &a("dossier_updated"))
        .await;
    assert!(matches!(late, Err(StoreError::Refused(_))), "{late:?}");
    let late = s.add_evidence(&evidence, &a("evidence_added")).await;
    assert!(matches!(late, Err(StoreError::Refused(_))), "{late:?}");
    assert_eq!(s.evidence(d.id).await.unwrap().len(), 1);

    // A step the procedure refuses changes nothing.
    let wrong = s
        .move_dossier(
            d.id,
            &step(Step::Consolidate, Role::Admin),
            &a("dossier_consolidated"),
        )
        .await;
    assert!(
        matches!(wrong, Err(StoreError::Step(StepRefused::State { .. }))),
        "{wrong:?}"
    );
    let bare = s
        .move_dossier(
            d.id,
            &step(Step::CommuneCheck, Role::Officer),
            &a("dossier_checked"),
        )
        .await;
    assert!(matches!(bare, Err(StoreError::Refused(_))), "{bare:?}");
    assert_eq!(
        s.dossier(d.id).await.unwrap().unwrap().state,
        DossierState::Submitted
    );

    let mut check = step(Step::CommuneCheck, Role::Officer);
    check.commune_report = Some(json!({"local_origin": true}));
    let d = s
        .move_dossier(d.id, &check, &a("dossier_checked"))
        .await
        .unwrap();
    assert_eq!(d.commune_report, Some(json!({"local_origin": true})));

    let mut assign = step(Step::Assign { central: false }, Role::Admin);
    assign.round_id = Some(round.id);
    let d = s
        .move_dossier(d.id, &assign, &a("dossier_assigned"))
        .await
        .unwrap();
    assert_eq!(
        (d.state, d.round_id, d.round_is_central),
        (DossierState::InRound, Some(round.id), false)
    );

    // Members fill their sheets; a non-member has no sheet to fill.
    let answers = json!({"1.1": 2});
    let outsider = s
        .save_score_sheet(d.id, 999_999, &answers, None, true, &a("sheet_handed_in"))
        .await;
    assert!(
        matches!(outsider, Err(StoreError::NotFound)),
        "{outsider:?}"
    );
    for m in &members[..2] {
        s.save_score_sheet(d.id, *m, &answers, Some("tốt"), false, &a("sheet_saved"))
            .await
            .unwrap();
        let sheet = s
            .save_score_sheet(d.id, *m, &answers, Some("tốt"), true, &a("sheet_handed_in"))
            .await
            .unwrap();
        assert!(sheet.submitted_at.is_some());
    }
    let locked = s
        .save_score_sheet(
            d.id,
            members[0],
            &answers,
            None,
            true,
            &a("sheet_handed_in"),
        )
        .await;
    assert!(matches!(locked, Err(StoreError::Refused(_))), "{locked:?}");
    let mut consolidate = step(Step::Consolidate, Role::Admin);
    consolidate.result = Some((json!({"total": 78.5}), 78.5, Some(4)));
    let early = s
        .move_dossier(d.id, &consolidate, &a("dossier_consolidated"))
        .await;
    assert!(
        matches!(&early, Err(StoreError::Refused(m)) if m.starts_with("2 of 3")),
        "{early:?}"
    );
    s.save_score_sheet(
        d.id,
        members[2],
        &answers,
        None,
        true,
        &a("sheet_handed_in"),
    )
    .await
    .unwrap();
    assert_eq!(s.score_sheets(d.id, round.id).await.unwrap().len(), 3);
    let d = s
        .move_dossier(d.id, &consolidate, &a("dossier_consolidated"))
        .await
        .unwrap();
    assert_eq!(
        (d.state, d.total, d.stars),
        (DossierState::Scored, Some(78.5), Some(4))
    );

    let mut recognize = step(Step::Recognize { stars: 4 }, Role::Admin);
    recognize.certificate = Some(NewCertificate {
        product_id,
        number: "QN-2026-0001".into(),
        stars: 4,
        decision_number: "1234/QĐ-UBND".into(),
        decided_on: day(12, 30),
        expires_on: NaiveDate::from_ymd_opt(2029, 12, 30).unwrap(),
        recorded_by: None,
    });
    let d = s
        .move_dossier(d.id, &recognize, &a("dossier_recognized"))
        .await
        .unwrap();
    assert_eq!(d.state, DossierState::Recognized);
    let cert = s
        .certificate(d.certificate_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        s.certificate_by_number("QN-2026-0001").await.unwrap(),
        Some(cert.clone())
    );
    assert_eq!(cert.stars, 4);
    assert_eq!(s.certificate_score(cert.id).await.unwrap(), Some(78.5));
    assert_eq!(s.certificate_score(cert.id + 1000).await.unwrap(), None);
    let december =
        |province: Option<&str>, commune: Option<&str>, organization_id| CertificateFilter {
            province: province.map(str::to_string),
            commune: commune.map(str::to_string),
            organization_id,
            from: NaiveDate::from_ymd_opt(2029, 12, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2029, 12, 31).unwrap(),
        };
    let org = d.organization_id;
    for f in [
        december(Some("22"), None, None),
        december(None, Some("06946"), None),
        december(None, None, Some(org)),
    ] {
        assert_eq!(
            s.certificates_expiring(&f).await.unwrap(),
            std::slice::from_ref(&cert),
            "{f:?}"
        );
    }
    for f in [
        december(Some("01"), None, None),
        december(None, Some("07093"), None),
        december(None, None, Some(org + 1)),
    ] {
        assert!(
            s.certificates_expiring(&f).await.unwrap().is_empty(),
            "{f:?}"
        );
    }

    let revoked = s
        .revoke_certificate(
            cert.id,
            day(12, 31),
            "Vi phạm sử dụng nhãn OCOP",
            &a("certificate_revoked"),
        )
        .await
        .unwrap();
    assert_eq!(revoked.revoked_on, Some(day(12, 31)));
    let again = s
        .revoke_certificate(cert.id, day(12, 31), "x", &a("certificate_revoked"))
        .await;
    assert!(matches!(again, Err(StoreError::Refused(_))), "{again:?}");
    assert!(s
        .certificates_expiring(&december(None, None, None))
        .await
        .unwrap()
        .is_empty());
    let trail: Vec<String> = s
        .audit_trail(&format!("dossier:{}", d.id))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        trail,
        [
            "dossier_created",
            "dossier_updated",
            "evidence_added",
            "dossier_submitted",
            "dossier_checked",
            "dossier_assigned",
            "sheet_handed_in",
            "sheet_handed_in",
            "sheet_handed_in",
            "dossier_consolidated",
            "dossier_recognized"
        ],
        "every step, in order; refused steps and draft saves of sheets leave nothing"
    );
    let listed = s
        .dossiers(&DossierFilter {
            state: Some(DossierState::Recognized),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
}

pub async fn rounds_must_fit_the_dossier(s: &dyn Store) {
    seed(s).await;
    let product_id = product_in_other_province(s).await;
    let (round, _) = council(s, 3).await;
    let a = |what| audit(what, Some("22"));
    let d = s
        .create_dossier(
            &NewDossier {
                product_id,
                kind: DossierKind::Upgrade,
                self_assessment: json!({}),
                created_by: None,
            },
            &a("dossier_created"),
        )
        .await
        .unwrap();
    s.move_dossier(d.id, &step(Step::Submit, Role::Producer), &a("x"))
        .await
        .unwrap();
    let mut check = step(Step::CommuneCheck, Role::Officer);
    check.commune_report = Some(json!({}));
    s.move_dossier(d.id, &check, &a("x")).await.unwrap();
    let mut assign = step(Step::Assign { central: false }, Role::Admin);
    assign.round_id = Some(round.id);
    let other = s.move_dossier(d.id, &assign, &a("x")).await;
    assert!(
        matches!(&other, Err(StoreError::Refused(m)) if m.contains("another province")),
        "{other:?}"
    );
    assign.round_id = Some(round.id + 100);
    let missing = s.move_dossier(d.id, &assign, &a("x")).await;
    assert!(
        matches!(missing, Err(StoreError::MissingReference("round"))),
        "{missing:?}"
    );
    let mut central = step(Step::Assign { central: true }, Role::Central);
    central.round_id = Some(round.id);
    assert!(s.move_dossier(d.id, &central, &a("x")).await.is_err());
}

async fn product_in_other_province(s: &dyn Store) -> i64 {
    let mut fields = super::org_fields("HTX Hà Nội", "00070");
    fields.province = code("01");
    let o = s
        .create_organization(&fields, &audit("organization_created", Some("01")))
        .await
        .unwrap()
        .id;
    s.create_product(
        &super::product_fields(o, "Bánh cốm", 5),
        2026,
        &audit("product_created", Some("01")),
    )
    .await
    .unwrap()
    .id
}

pub async fn dossier_lists_page_count_and_follow_councils(s: &dyn Store) {
    let product_id = product(s).await;
    let (round, members) = council(s, 2).await;
    let a = |what| audit(what, Some("22"));
    let mut ids = Vec::new();
    for _ in 0..5 {
        let new = NewDossier {
            product_id,
            kind: DossierKind::FirstTime,
            self_assessment: json!({}),
            created_by: None,
        };
        ids.push(
            s.create_dossier(&new, &a("dossier_created"))
                .await
                .unwrap()
                .id,
        );
    }
    let all = DossierFilter {
        province: Some("22".into()),
        ..Default::default()
    };
    assert_eq!(s.count_dossiers(&all).await.unwrap(), 5);
    let page = |offset| DossierFilter {
        limit: Some(2),
        offset,
        ..all.clone()
    };
    let first: Vec<i64> = s
        .dossiers(&page(0))
        .await
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect();
    let third: Vec<i64> = s
        .dossiers(&page(4))
        .await
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(first.len(), 2);
    assert_eq!(third.len(), 1);
    assert!(!first.contains(&third[0]));
    // Only the dossier in their round is a council member's.
    s.move_dossier(ids[0], &step(Step::Submit, Role::Producer), &a("x"))
        .await
        .unwrap();
    let mut check = step(Step::CommuneCheck, Role::Officer);
    check.commune_report = Some(json!({}));
    s.move_dossier(ids[0], &check, &a("x")).await.unwrap();
    let mut assign = step(Step::Assign { central: false }, Role::Admin);
    assign.round_id = Some(round.id);
    s.move_dossier(ids[0], &assign, &a("x")).await.unwrap();
    let mine = DossierFilter {
        member: Some(members[1]),
        ..Default::default()
    };
    assert_eq!(s.count_dossiers(&mine).await.unwrap(), 1);
    assert_eq!(s.dossiers(&mine).await.unwrap()[0].id, ids[0]);
    let nobody = DossierFilter {
        member: Some(members[1] + 100),
        ..Default::default()
    };
    assert_eq!(s.count_dossiers(&nobody).await.unwrap(), 0);
}
