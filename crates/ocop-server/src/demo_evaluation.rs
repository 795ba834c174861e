//! The demo's OCOP cycle: Quảng Ninh's 2026 cycle with ideas and a plan, a provincial round
//! with a two-member council, and dossiers at several steps — one recognized through the whole
//! procedure, so its certificate, PDF and public check exist. Everything goes through the same
//! services as the web pages and the API, with the demo users as the actors.

use crate::auth::extract::actor_of;
use crate::error::{Fatal, Problem};
use crate::evaluation::cycles::{self, ProposalInput, SupportInput};
use crate::evaluation::dossiers::{self, StepInput};
use crate::evaluation::{rounds, Caller};
use chrono::NaiveDate;
use ocop_domain::criteria::{rubric, Choice};
use ocop_domain::cycle::ProposalKind;
use ocop_domain::evaluation::{CouncilRole, DossierKind};
use ocop_domain::Actor;
use ocop_store::{Store, User};
use serde_json::{json, Map, Value};

fn fail(p: Problem) -> Fatal {
    Fatal::new(format!("demo evaluation: {}", p.detail))
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap_or_default()
}

/// Every criterion answered with its best option, then `lower` criteria with their first.
fn answers(set: i64, lower: &[&str]) -> Map<String, Value> {
    let Ok(r) = rubric(set) else {
        return Map::new();
    };
    r.criteria()
        .map(|c| {
            let low = lower.contains(&c.code.as_str());
            let pick = |n: usize, best: usize| {
                if low {
                    0
                } else {
                    best.min(n.saturating_sub(1))
                }
            };
            let a = match &c.choice {
                Choice::Options { options } => {
                    let best = (0..options.len())
                        .max_by_key(|&i| options[i].counted(c.max_points))
                        .unwrap_or(0);
                    json!(pick(options.len(), best))
                }
                Choice::Cases { cases } => {
                    let o = &cases[0].options;
                    let best = (0..o.len())
                        .max_by_key(|&i| o[i].counted(c.max_points))
                        .unwrap_or(0);
                    json!({"case": 0, "option": pick(o.len(), best)})
                }
                Choice::Points => json!({"points": if low { 0 } else { c.max_points }}),
            };
            (c.code.clone(), a)
        })
        .collect()
}

struct Cast {
    admin: (Actor, String),
    officer: (Actor, String),
    producer: (Actor, String),
    chair: (Actor, String),
    secretary: (Actor, String),
}

async fn person(store: &dyn Store, email: &str) -> Result<(Actor, String), Fatal> {
    let (u, _): (User, String) = store
        .user_credentials(email)
        .await?
        .ok_or_else(|| Fatal::new(format!("demo user {email} missing")))?;
    Ok((actor_of(&u), u.email))
}

fn caller(p: &(Actor, String)) -> Caller<'_> {
    Caller {
        actor: &p.0,
        email: &p.1,
    }
}

pub async fn load(store: &dyn Store, products: &[i64], today: NaiveDate) -> Result<(), Fatal> {
    let cast = Cast {
        admin: person(store, "admin@quangninh.ocop.demo").await?,
        officer: person(store, "officer.duonghoa@quangninh.ocop.demo").await?,
        producer: person(store, "producer@cheduonghoa.ocop.demo").await?,
        chair: person(store, "evaluator@quangninh.ocop.demo").await?,
        secretary: person(store, "evaluator2@quangninh.ocop.demo").await?,
    };
    let steps = [
        "2026-01-05",
        "2026-02-02",
        "2026-03-16",
        "2026-04-20",
        "2026-10-01",
        "2026-12-01",
    ]
    .map(date)
    .to_vec();
    let cycle = cycles::open(
        store,
        caller(&cast.admin),
        None,
        2026,
        "Nâng hạng sản phẩm chủ lực vùng chè Đường Hoa",
        steps,
    )
    .await
    .map_err(fail)?;
    let idea = ProposalInput {
        organization_id: None,
        idea_id: None,
        title: "Trà hoa vàng túi lọc".into(),
        summary: "Sản phẩm mới từ vùng trà hoa vàng Đường Hoa, đóng túi lọc cho khách du lịch."
            .into(),
    };
    let i = cycles::propose(
        store,
        caller(&cast.producer),
        ProposalKind::Idea,
        cycle.id,
        &idea,
    )
    .await
    .map_err(fail)?;
    cycles::screen(
        store,
        caller(&cast.officer),
        ProposalKind::Idea,
        i.id,
        "accept",
        None,
    )
    .await
    .map_err(fail)?;
    let plan = ProposalInput {
        idea_id: Some(i.id),
        title: "Kế hoạch sản xuất trà túi lọc 2026".into(),
        summary: "Đầu tư máy đóng gói, thiết kế bao bì, đăng ký công bố tiêu chuẩn cơ sở.".into(),
        ..idea.clone()
    };
    let p = cycles::propose(
        store,
        caller(&cast.producer),
        ProposalKind::Plan,
        cycle.id,
        &plan,
    )
    .await
    .map_err(fail)?;
    cycles::screen(
        store,
        caller(&cast.admin),
        ProposalKind::Plan,
        p.id,
        "accept",
        None,
    )
    .await
    .map_err(fail)?;
    let loan = SupportInput {
        kind: "loan".into(),
        description: "Vay ưu đãi mua máy đóng gói".into(),
        amount_vnd: Some(150_000_000),
        given_on: date("2026-05-12"),
    };
    cycles::support(store, caller(&cast.admin), p.id, &loan)
        .await
        .map_err(fail)?;
    let second = ProposalInput {
        title: "Bánh chè xanh".into(),
        summary: "Bánh từ bột chè.".into(),
        ..idea
    };
    let s = cycles::propose(
        store,
        caller(&cast.producer),
        ProposalKind::Idea,
        cycle.id,
        &second,
    )
    .await
    .map_err(fail)?;
    cycles::screen(
        store,
        caller(&cast.officer),
        ProposalKind::Idea,
        s.id,
        "return",
        Some("Cần nêu rõ nguồn bột chè và đơn vị sản xuất thử"),
    )
    .await
    .map_err(fail)?;

    let council = vec![
        (cast.chair.0.user_id, CouncilRole::Chair),
        (cast.secretary.0.user_id, CouncilRole::Secretary),
    ];
    let round = rounds::create(
        store,
        caller(&cast.admin),
        false,
        "Hội đồng cấp tỉnh đợt 2 năm 2026",
        date("2026-12-30"),
        council,
    )
    .await
    .map_err(fail)?;

    // The tea (set 11) that already holds 4★ from 2025 is not re-filed; the second product of
    // the cooperative (set 12) goes the whole way again for a new certificate.
    let report = |s: &str| json!({"local_origin": s, "raw_materials": "Vùng nguyên liệu tại xã", "local_labour": "15 lao động địa phương", "idea_origin": "Hợp tác xã"});
    let full = |set| json!({"answers": answers(set, &[]), "evidence": {"1.1": "Hợp đồng thu mua chè với 40 hộ"}});
    // A recognized dossier: the two members hand in, the secretary consolidates, the province recognizes.
    let tea_flower = products[1];
    let d = dossiers::create(
        store,
        caller(&cast.producer).by(),
        tea_flower,
        DossierKind::Upgrade,
        full(12),
        today,
    )
    .await
    .map_err(fail)?;
    let go = |input| dossiers::step(store, caller(&cast.admin), d.id, input, today);
    dossiers::step(
        store,
        caller(&cast.producer),
        d.id,
        StepInput::Submit,
        today,
    )
    .await
    .map_err(fail)?;
    let Value::Object(r) = report("Trà hoa vàng trồng tại xã Đường Hoa") else {
        return Ok(());
    };
    dossiers::step(
        store,
        caller(&cast.officer),
        d.id,
        StepInput::CommuneCheck(r.clone()),
        today,
    )
    .await
    .map_err(fail)?;
    go(StepInput::Assign { round_id: round.id })
        .await
        .map_err(fail)?;
    let sheet = |lower: &[&str]| Value::Object(answers(12, lower));
    // Lower only criteria without star markers: 85 and 81 points, a mean of 83, 4★.
    let weaker = ["1.2", "1.3", "1.4", "4.2", "4.3"];
    dossiers::save_sheet(
        store,
        caller(&cast.chair),
        d.id,
        sheet(&weaker),
        Some("Bao bì đẹp, cần mở rộng vùng nguyên liệu".into()),
        true,
    )
    .await
    .map_err(fail)?;
    let weakest = [&weaker[..], &["3.1", "3.3"]].concat();
    dossiers::save_sheet(
        store,
        caller(&cast.secretary),
        d.id,
        sheet(&weakest),
        None,
        true,
    )
    .await
    .map_err(fail)?;
    dossiers::step(
        store,
        caller(&cast.secretary),
        d.id,
        StepInput::Consolidate {
            disqualified_if: vec![],
        },
        today,
    )
    .await
    .map_err(fail)?;
    let scored = store
        .dossier(d.id)
        .await?
        .ok_or_else(|| Fatal::new("demo dossier vanished"))?;
    if scored.stars.is_some_and(|s| (3..=4).contains(&s)) {
        go(StepInput::Recognize {
            decision_number: "2468/QĐ-UBND".into(),
            decided_on: today,
        })
        .await
        .map_err(fail)?;
    }

    // One dossier waiting for its council (one sheet of two handed in) and one draft.
    let waiting = [(products[3], 9), (products[0], 11)];
    let d = dossiers::create(
        store,
        caller(&cast.admin).by(),
        waiting[0].0,
        DossierKind::FirstTime,
        full(waiting[0].1),
        today,
    )
    .await
    .map_err(fail)?;
    dossiers::step(store, caller(&cast.admin), d.id, StepInput::Submit, today)
        .await
        .map_err(fail)?;
    dossiers::step(
        store,
        caller(&cast.admin),
        d.id,
        StepInput::CommuneCheck(r),
        today,
    )
    .await
    .map_err(fail)?;
    dossiers::step(
        store,
        caller(&cast.admin),
        d.id,
        StepInput::Assign { round_id: round.id },
        today,
    )
    .await
    .map_err(fail)?;
    dossiers::save_sheet(
        store,
        caller(&cast.chair),
        d.id,
        Value::Object(answers(9, &["2.1"])),
        None,
        true,
    )
    .await
    .map_err(fail)?;
    let draft = json!({"answers": {"1.1": 2}, "evidence": {}});
    dossiers::create(
        store,
        caller(&cast.producer).by(),
        products[0],
        DossierKind::Upgrade,
        draft,
        today,
    )
    .await
    .map_err(fail)?;
    Ok(())
}
