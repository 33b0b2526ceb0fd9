//! Runs the stand-in Responses API by hand, for poking at a real `codex`:
//!
//! ```text
//! cargo run -p codexd-realcli --example standin -- <CODEX_HOME> <codex-version>
//! ```
//!
//! Writes `<CODEX_HOME>/config.toml` for that release, prints the environment to export, then
//! prints every request it receives (one JSON line each) until stdin closes.

use std::io::Read;
use std::time::Duration;

use codexd_realcli::openai::{StandIn, write_codex_config};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(home), Some(version)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: standin <CODEX_HOME> <codex-version>");
    };
    let server = StandIn::start();
    if let Some(ms) = std::env::var("STANDIN_LATENCY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        server.set_latency(Duration::from_millis(ms));
    }
    write_codex_config(std::path::Path::new(&home), &version, &server)?;
    println!("export CODEX_HOME='{home}'");
    for (k, v) in server.codex_env() {
        println!("export {k}='{v}'");
    }
    let stop = std::thread::spawn(|| {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
    });
    let mut seen = 0;
    while !stop.is_finished() {
        let requests = server.requests();
        for r in &requests[seen..] {
            println!(
                "{}",
                serde_json::json!({"method": r.method, "uri": r.uri, "user_texts": r.user_texts(), "body": r.body})
            );
        }
        seen = requests.len();
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}
