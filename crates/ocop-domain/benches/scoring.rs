//! Scoring a council's sheets: what consolidating a dossier and `POST …/score` pay, from the
//! answers' JSON to the result.

use criterion::{criterion_group, criterion_main, Criterion};
use ocop_domain::criteria::{rubric, score, Answers, Choice};
use serde_json::{json, Map, Value};
use std::hint::black_box;

/// Every criterion of set `n` answered with its best option.
fn best(n: i64) -> Map<String, Value> {
    let r = rubric(n).unwrap();
    r.criteria()
        .map(|c| {
            let top = |o: &[ocop_domain::criteria::AnswerOption]| {
                (0..o.len())
                    .max_by_key(|&i| o[i].counted(c.max_points))
                    .unwrap()
            };
            let a = match &c.choice {
                Choice::Options { options } => json!(top(options)),
                Choice::Cases { cases } => json!({"case": 0, "option": top(&cases[0].options)}),
                Choice::Points => json!({"points": c.max_points}),
            };
            (c.code.clone(), a)
        })
        .collect()
}

fn scoring(c: &mut Criterion) {
    let mut g = c.benchmark_group("score");
    for (set, members) in [(1, 1), (1, 9), (26, 9)] {
        let body = json!({"members": vec![best(set); members]});
        g.bench_function(format!("set{set}_{members}_members_from_json"), |b| {
            b.iter(|| {
                let answers = Answers::from_json(black_box(&body)).unwrap();
                black_box(score(rubric(set).unwrap(), &answers).unwrap())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
