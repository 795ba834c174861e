//! The `ocop` binary as an operator uses it: exit codes, one-line errors, nothing half-written.

use crate::support::{best_answers, fresh_database, PASSWORD};
use std::io::{BufRead, Write};
use std::process::{Command, Output, Stdio};

struct Cli {
    dir: tempfile::TempDir,
    db: String,
}

impl Cli {
    async fn new() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let db = fresh_database(dir.path()).await.redacted();
        Cli { dir, db }
    }

    fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ocop"));
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("OCOP_DATABASE_URL", &self.db)
            .env("OCOP_KEY_FILE", self.dir.path().join("keys.json"))
            .current_dir(self.dir.path());
        c
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

/// Reads a child's stdout until a line satisfies `done`, for at most a minute, so a server
/// that never prints what we wait for fails the test instead of hanging it.
fn read_until(child: &mut std::process::Child, done: impl Fn(&str) -> bool) -> String {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut printed = String::new();
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) => {
                printed.push_str(&line);
                printed.push('\n');
                if done(&line) {
                    return printed;
                }
            }
            Err(_) => break,
        }
    }
    let _ = child.kill();
    panic!("the server did not print what was expected; it printed:\n{printed}");
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A failure is a non-zero exit with one line that starts with `ocop:`.
fn assert_fails_with(out: &Output, needle: &str) {
    assert!(!out.status.success(), "expected failure, got {out:?}");
    let err = text(&out.stderr);
    let lines: Vec<_> = err.lines().filter(|l| l.starts_with("ocop:")).collect();
    assert_eq!(lines.len(), 1, "one error line: {err}");
    assert!(lines[0].contains(needle), "`{needle}` not in: {err}");
}

#[tokio::test]
async fn user_add_token_create_and_their_errors() {
    let cli = Cli::new().await;
    let out = cli.run(&["migrate"], "");
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stdout).contains("3355 localities"));

    let add = |email: &str, role: &str, locality: Option<&str>, password: &str| {
        let mut args = vec![
            "user",
            "add",
            "--email",
            email,
            "--name",
            "Trần Thị Hạnh",
            "--role",
            role,
            "--password-stdin",
        ];
        if let Some(l) = locality {
            args.extend(["--locality", l]);
        }
        cli.run(&args, &format!("{password}\n"))
    };
    let ok = add("hanh@qn.gov.vn", "admin", Some("22"), PASSWORD);
    assert!(ok.status.success(), "{ok:?}");
    assert!(text(&ok.stdout).contains("created user hanh@qn.gov.vn"));

    assert_fails_with(
        &add("hanh@qn.gov.vn", "admin", Some("22"), PASSWORD),
        "already exists",
    );
    assert_fails_with(
        &add("x@qn.gov.vn", "boss", Some("22"), PASSWORD),
        "unknown role `boss`",
    );
    assert_fails_with(
        &add("x@qn.gov.vn", "officer", Some("22"), PASSWORD),
        "commune",
    );
    assert_fails_with(
        &add("x@qn.gov.vn", "admin", Some("22"), "short"),
        "at least 10",
    );
    assert_fails_with(
        &add("x@qn.gov.vn", "admin", Some("22"), ""),
        "no password on standard input",
    );
    assert_fails_with(
        &add("not-an-email", "admin", Some("22"), PASSWORD),
        "not an e-mail address",
    );
    // None of the failures wrote anything: the e-mail is still free.
    assert!(add("x@qn.gov.vn", "admin", Some("22"), PASSWORD)
        .status
        .success());

    let token = cli.run(&["token", "create", "--email", "hanh@qn.gov.vn"], "");
    assert!(token.status.success(), "{token:?}");
    let printed = text(&token.stdout);
    assert_eq!(
        printed.lines().count(),
        1,
        "the token alone on stdout: {printed}"
    );
    assert!(printed.trim().starts_with("ocop_") && printed.trim().len() > 40);
    assert_fails_with(
        &cli.run(&["token", "create", "--email", "ghost@qn.gov.vn"], ""),
        "no user with e-mail",
    );

    // The token works against a server on the same database.
    let mut server = cli
        .command()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let me: serde_json::Value = reqwest::Client::new()
        .get(format!("http://{address}/api/v1/me"))
        .bearer_auth(printed.trim())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    server.kill().unwrap();
    let _ = server.wait();
    assert_eq!(me["email"], "hanh@qn.gov.vn");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(cli.dir.path().join("keys.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is created private");
    }
}

#[tokio::test]
async fn bad_configuration_is_one_clear_line() {
    let cli = Cli::new().await;
    let mut c = cli.command();
    let out = c
        .env("OCOP_DATABASE_URL", "mysql://root@localhost/ocop")
        .arg("migrate")
        .output()
        .unwrap();
    assert_fails_with(&out, "sqlite://FILE");
    let out = cli
        .command()
        .args(["--database-url", "postgres://ocop:secret@/x", "migrate"])
        .output()
        .unwrap();
    assert_fails_with(&out, "postgres://");
    assert!(
        !text(&out.stderr).contains("secret"),
        "passwords never printed"
    );
    let out = cli
        .command()
        .args(["--public-url", "ftp://x", "migrate"])
        .output()
        .unwrap();
    assert_fails_with(&out, "--public-url");

    // An unreadable key file (here: a directory) and a damaged one.
    let keys_dir = cli.dir.path().join("keys-dir");
    std::fs::create_dir(&keys_dir).unwrap();
    let out = cli
        .command()
        .env("OCOP_KEY_FILE", &keys_dir)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_fails_with(&out, "cannot read the key file");
    let damaged = cli.dir.path().join("damaged.json");
    std::fs::write(&damaged, "{\"keys\": 5}").unwrap();
    let out = cli
        .command()
        .env("OCOP_KEY_FILE", &damaged)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_fails_with(&out, "damaged");
    assert_eq!(
        std::fs::read_to_string(&damaged).unwrap(),
        "{\"keys\": 5}",
        "a damaged key file is never overwritten"
    );

    let out = cli
        .command()
        .args([
            "user", "add", "--email", "a@b.vn", "--name", "A", "--role", "central",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success(), "--password-stdin is required");
}

#[tokio::test]
async fn demo_loads_once_into_an_empty_database() {
    let cli = Cli::new().await;
    let start = || {
        let mut server = cli
            .command()
            .args(["demo", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let printed = read_until(&mut server, |l| {
            l.contains("inspector@") || l.contains("not loaded")
        });
        server.kill().unwrap();
        let _ = server.wait();
        printed
    };
    let first = start();
    assert!(
        first.contains("ocop is running at http://127.0.0.1:"),
        "{first}"
    );
    assert!(
        first.contains("admin@quangninh.ocop.demo") && first.contains("ocop-demo-2026"),
        "{first}"
    );
    for role in [
        "central",
        "admin",
        "officer",
        "evaluator",
        "producer",
        "inspector",
    ] {
        assert!(
            first.lines().any(|l| l.trim_start().starts_with(role)),
            "{role} missing: {first}"
        );
    }
    let second = start();
    assert!(second.contains("demo data not loaded"), "{second}");
}

#[tokio::test]
async fn stamps_are_issued_exported_and_verified_offline() {
    let cli = Cli::new().await;
    let out = cli.run(
        &["bench-data", "--products", "2", "--organizations", "1"],
        "",
    );
    assert!(out.status.success(), "{out:?}");

    let out = cli.run(
        &["stamps", "issue", "--product", "1", "--count", "5000"],
        "",
    );
    assert!(out.status.success(), "{out:?}");
    let issued: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(issued["count"], 5000);
    assert_eq!(issued["first_serial"], 1);
    let batch = issued["batch_id"].to_string();

    let out = cli.run(
        &[
            "stamps",
            "export",
            &batch,
            "--format",
            "csv",
            "--output",
            "tem.csv",
            "--with-pin",
        ],
        "",
    );
    assert!(out.status.success(), "{out:?}");
    let csv = std::fs::read_to_string(cli.dir.path().join("tem.csv")).unwrap();
    assert_eq!(csv.lines().count(), 5001);
    assert_eq!(csv.lines().next(), Some("serial,code,url,pin"));
    let row: Vec<&str> = csv.lines().nth(42).unwrap().split(',').collect();
    assert_eq!(row[0], "42");

    // The code as printed (and as people mistype it) verifies offline to its serial and batch.
    let typed = row[1].to_lowercase().replace('-', " ");
    let out = cli.run(&["stamps", "verify", &typed], "");
    assert!(out.status.success(), "{out:?}");
    let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["serial"], 42);
    assert_eq!(verdict["batch_id"].to_string(), batch);
    assert_eq!(verdict["stamp"]["state"], "issued");
    // One changed character is not ours.
    let mut forged: Vec<char> = row[1].chars().collect();
    forged[0] = if forged[0] == 'Z' { 'Y' } else { 'Z' };
    assert_fails_with(
        &cli.run(
            &["stamps", "verify", &forged.iter().collect::<String>()],
            "",
        ),
        "not valid",
    );
    assert_fails_with(&cli.run(&["stamps", "verify", "ABCD"], ""), "exactly 16");

    // After rotation new batches use the new key, and old stamps keep verifying.
    let out = cli.run(&["keys", "rotate"], "");
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stdout).contains("added key 2"));
    let out = cli.run(&["stamps", "issue", "--product", "2", "--count", "10"], "");
    let second: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(second["first_serial"], 5001);
    let out = cli.run(&["stamps", "verify", row[1]], "");
    assert!(out.status.success(), "{out:?}");
    let out = cli.run(
        &[
            "stamps",
            "export",
            &second["batch_id"].to_string(),
            "--format",
            "svg",
            "--output",
            "one.svg",
        ],
        "",
    );
    assert!(out.status.success(), "{out:?}");
    assert!(std::fs::read_to_string(cli.dir.path().join("one.svg"))
        .unwrap()
        .contains("<svg"));

    // A PDF of label sheets; and bad requests are one line, with no file left behind.
    let out = cli.run(
        &[
            "stamps", "export", &batch, "--format", "pdf", "--layout", "5x13", "--to", "130",
            "--output", "tem.pdf",
        ],
        "",
    );
    assert!(out.status.success(), "{out:?}");
    let pdf = std::fs::read(cli.dir.path().join("tem.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_fails_with(
        &cli.run(
            &[
                "stamps", "export", &batch, "--format", "pdf", "--layout", "0x3", "--output",
                "bad.pdf",
            ],
            "",
        ),
        "columns",
    );
    assert_fails_with(
        &cli.run(
            &[
                "stamps", "export", &batch, "--format", "doc", "--output", "bad.doc",
            ],
            "",
        ),
        "csv, pdf, svg or png",
    );
    assert_fails_with(
        &cli.run(
            &[
                "stamps", "export", "999", "--format", "csv", "--output", "bad.csv",
            ],
            "",
        ),
        "not found",
    );
    assert_fails_with(
        &cli.run(&["stamps", "issue", "--product", "1", "--count", "0"], ""),
        "from 1 to 10000000",
    );
    assert_fails_with(
        &cli.run(&["stamps", "issue", "--product", "77", "--count", "5"], ""),
        "not found",
    );
    for leftover in ["bad.pdf", "bad.doc", "bad.csv"] {
        assert!(
            !cli.dir.path().join(leftover).exists(),
            "{leftover} left behind"
        );
    }
}

#[tokio::test]
async fn criteria_list_show_and_score() {
    let cli = Cli::new().await;
    let out = cli.run(&["criteria", "list"], "");
    assert!(out.status.success(), "{out:?}");
    let list = text(&out.stdout);
    assert_eq!(list.lines().count(), 26);
    assert!(list.contains("Tương, nước mắm, gia vị dạng lỏng khác"));
    let out = cli.run(&["criteria", "show", "--set", "26"], "");
    assert!(text(&out.stdout).contains("case 1: b. Trường hợp 2"));

    let mut weaker = best_answers(1);
    weaker.insert("1.5".into(), serde_json::json!(1));
    let answers = serde_json::json!({"members": [best_answers(1), weaker]});
    std::fs::write(cli.dir.path().join("answers.json"), answers.to_string()).unwrap();
    let out = cli.run(
        &[
            "criteria",
            "score",
            "--set",
            "1",
            "--answers",
            "answers.json",
        ],
        "",
    );
    assert!(out.status.success(), "{out:?}");
    let score: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(score["total"], 99.0);
    assert_eq!(score["band_stars"], 5);
    assert_eq!(score["stars"], 4);
    assert_eq!(
        score["unmet_minimums"],
        serde_json::json!([{"criterion": "1.5", "level": 5}])
    );
    assert_eq!(score["stopped"], false);
    assert_eq!(score["recognized_by"], "province");

    let set26 = serde_json::json!({"members": [best_answers(26)]}).to_string();
    let out = cli.run(
        &["criteria", "score", "--set", "26", "--answers", "-"],
        &set26,
    );
    let score: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (score["total"].as_f64(), score["stars"].as_u64()),
        (Some(100.0), Some(5))
    );
    assert_eq!(score["recognized_by"], "central");

    let mut missing = best_answers(1);
    missing.remove("3.2");
    let missing = serde_json::json!({"members": [missing]}).to_string();
    let out = cli.run(
        &["criteria", "score", "--set", "1", "--answers", "-"],
        &missing,
    );
    assert_fails_with(
        &out,
        "standard input: member 1 did not answer criterion 3.2",
    );
    let out = cli.run(
        &["criteria", "score", "--set", "1", "--answers", "-"],
        "{\"members\":[{\"1.1\":7}]}",
    );
    assert_fails_with(
        &out,
        "criterion 1.1: option 7 does not exist: choose from 0 to 2",
    );
    let out = cli.run(
        &["criteria", "score", "--set", "27", "--answers", "-"],
        "{}",
    );
    assert_fails_with(&out, "criteria set 27 does not exist");
    let out = cli.run(
        &[
            "criteria",
            "score",
            "--set",
            "1",
            "--answers",
            "nowhere.json",
        ],
        "",
    );
    assert_fails_with(&out, "cannot read nowhere.json");
    let out = cli.run(
        &["criteria", "score", "--set", "1", "--answers", "-"],
        "members: 1",
    );
    assert_fails_with(&out, "standard input is not JSON");
}
