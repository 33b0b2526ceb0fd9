use codexd_route::Options;
use codexd_route::eval::{EvalConfig, generate};
fn main() {
    let seed: u64 = std::env::args()
        .nth(1)
        .map(|s| s.parse().unwrap())
        .unwrap_or(1);
    let set = generate(&EvalConfig::new(seed, 2000));
    let index = set.index();
    for q in set.queries.iter().filter(|q| q.expect.is_some()) {
        let opts = Options {
            cwd: q.cwd.clone(),
            now_unix: set.now_unix,
            limit: 100,
            ..Options::default()
        };
        let hits = index.search(&q.prompt, &opts);
        let exp = q.expect.as_ref().unwrap();
        if hits.first().map(|h| &h.key) == Some(exp) {
            continue;
        }
        let rank = hits.iter().position(|h| &h.key == exp);
        let s = |key: &str| set.sessions.iter().find(|s| s.key == key).unwrap();
        let h = |key: &str| {
            hits.iter()
                .find(|h| h.key == key)
                .map(|h| {
                    format!(
                        "{:.1} cov {:.2} {}",
                        h.score,
                        h.coverage,
                        h.reasons.join("; ")
                    )
                })
                .unwrap_or_default()
        };
        println!(
            "{:?} rank {:?} Q: {}\n   E: {} | {:?} | {}\n   T: {} | {:?} | {}",
            q.kind,
            rank,
            q.prompt,
            s(exp).prompts[0],
            s(exp).name,
            h(exp),
            s(&hits[0].key).prompts[0],
            s(&hits[0].key).name,
            h(&hits[0].key)
        );
    }
}
