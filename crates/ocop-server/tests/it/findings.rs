//! Findings from use (issue 11): what offices and operators ran into, each kept fixed.

use crate::support::fresh_database;
use serde_json::Value;
use std::io::BufRead;
use std::process::{Child, Command, Stdio};

/// `ocop serve` on its own database and port, with the given key file.
fn start_server(dir: &std::path::Path, db: &str, key_file: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_ocop"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("OCOP_DATABASE_URL", db)
        .env("OCOP_KEY_FILE", key_file)
        .env("OCOP_DATA_DIR", dir.join("data"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The address a server prints once it listens, or its stderr if it stopped first.
fn address_of(child: &mut Child) -> Result<String, String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(rest) = line.strip_prefix("ocop is running at ") {
                let _ = tx.send(rest.split('/').nth(2).unwrap_or_default().to_string());
                return;
            }
        }
    });
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(address) => Ok(address),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            let mut stderr = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
            }
            Err(stderr)
        }
    }
}

/// Two servers started at once on a key file that does not exist yet: both come up, and both
/// accept a code signed with the one key file left on disk (a forgery would be refused on the
/// key file alone, before any database look-up, as `bad_tag`).
#[tokio::test]
async fn two_servers_started_at_once_share_one_new_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("keys.json");
    let mut dbs = Vec::new();
    for name in ["a", "b"] {
        let own = dir.path().join(name);
        std::fs::create_dir(&own).unwrap();
        dbs.push((own.clone(), fresh_database(&own).await.redacted()));
    }
    let mut servers: Vec<Child> = dbs
        .iter()
        .map(|(own, db)| start_server(own, db, &key_file))
        .collect();
    let addresses: Vec<Result<String, String>> = servers.iter_mut().map(address_of).collect();
    let ring = ocop_stamp::KeyRing::from_json(&std::fs::read_to_string(&key_file).unwrap());
    let code = ocop_stamp::CodeBook::new(ring.as_ref().unwrap())
        .code(1, 424_242)
        .unwrap()
        .grouped();
    let mut answers = Vec::new();
    for address in addresses.iter().flatten() {
        let url = format!("http://{address}/api/v1/verify/{code}");
        let v: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
        answers.push(v["reasons"][0]["code"].clone());
    }
    for server in &mut servers {
        let _ = server.kill();
        let _ = server.wait();
    }
    let started: Vec<&String> = addresses.iter().filter_map(|a| a.as_ref().ok()).collect();
    assert_eq!(started.len(), 2, "both servers start: {addresses:?}");
    assert_eq!(answers, ["no_batch", "no_batch"], "both read the same keys");
}
