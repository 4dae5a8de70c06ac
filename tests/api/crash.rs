//! Killed mid-request: the server runs as a child process, is sent SIGKILL while requests with
//! Idempotency-Keys are in flight, and is started again on the same database. Every retry either
//! replays the first answer or does the work; none is stuck, and nothing is made twice.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{postgres_database, TestApp, PASSWORD};

const KEYS: usize = 40;

/// The release binary serving on a free port, as a child process of the test.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) address: String,
}

impl Server {
    async fn start(database_url: &str) -> Server {
        Self::start_with(database_url, &[]).await
    }

    /// With settings of its own in the environment (`NEIGHBOURLY__…`).
    pub(crate) async fn start_with(database_url: &str, env: &[(&str, &str)]) -> Server {
        Self::start_logging(database_url, env, None).await
    }

    /// As [`Server::start_with`], its log (standard error) written to `log` when given.
    pub(crate) async fn start_logging(
        database_url: &str,
        env: &[(&str, &str)],
        log: Option<&std::path::Path>,
    ) -> Server {
        let stderr = match log {
            Some(path) => Stdio::from(std::fs::File::create(path).expect("a log file")),
            None => Stdio::null(),
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_neighbourly"))
            .arg("serve")
            .env("NEIGHBOURLY_ENV", "test")
            .env("DATABASE_URL", database_url)
            .env("NEIGHBOURLY__SERVER__PORT", port.to_string())
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("the server starts");
        // Owned at once, so that Drop reaps the child whatever happens next.
        let server = Server {
            child,
            address: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(r) = client
                .get(format!("{}/health", server.address))
                .send()
                .await
            {
                if r.status().is_success() {
                    return server;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not answer /health");
    }

    /// A member signed up on this server and signed in: their access token.
    pub(crate) async fn member_token(&self, email: &str) -> String {
        let client = reqwest::Client::new();
        let r = client
            .post(format!("{}/api/v1/members", self.address))
            .json(&TestApp::member_body(email))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let login: Value = client
            .post(format!("{}/api/v1/auth/login", self.address))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        login["access_token"].as_str().unwrap().to_string()
    }

    fn kill(mut self) {
        // std's kill is SIGKILL on Unix: no shutdown, no chance to finish anything.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body for key `i`, the same on every retry (the window is fixed once).
fn body(i: usize) -> Value {
    static START: std::sync::OnceLock<chrono::DateTime<chrono::Utc>> = std::sync::OnceLock::new();
    let start = *START.get_or_init(|| chrono::Utc::now() + chrono::Duration::days(1));
    json!({
        "category": "shopping",
        "description": format!("Job number {i}"),
        "window": {"start": start.to_rfc3339(), "end": (start + chrono::Duration::hours(4)).to_rfc3339()},
        "duration_minutes": 60,
    })
}

/// POST a request with key `i`; `None` when the connection died with the server.
async fn post(
    client: &reqwest::Client,
    address: &str,
    token: &str,
    i: usize,
) -> Option<(u16, Value, bool)> {
    let resp = client
        .post(format!("{address}/api/v1/requests"))
        .bearer_auth(token)
        .header("Idempotency-Key", format!("crash-{i}"))
        .json(&body(i))
        .send()
        .await
        .ok()?;
    let status = resp.status().as_u16();
    let replayed = resp.headers().contains_key("idempotent-replayed");
    let body = resp.json().await.ok()?;
    Some((status, body, replayed))
}

async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

async fn killed_mid_request(database_url: String) {
    let client = reqwest::Client::new();
    let server = Server::start(&database_url).await;
    let email = format!("crash-{}@example.org", uuid::Uuid::new_v4());
    let signup = client
        .post(format!("{}/api/v1/members", server.address))
        .json(&TestApp::member_body(&email))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status().as_u16(), 201);
    let login = json_of(
        client
            .post(format!("{}/api/v1/auth/login", server.address))
            .json(&json!({"email": email, "password": PASSWORD})),
    )
    .await;
    let token = login["access_token"].as_str().unwrap().to_string();

    // Fire every key at once; kill the server as soon as the first answer is back.
    let (tx, mut first) = tokio::sync::mpsc::channel::<()>(KEYS);
    let mut inflight = Vec::new();
    for i in 0..KEYS {
        let (client, address, token, tx) = (
            client.clone(),
            server.address.clone(),
            token.clone(),
            tx.clone(),
        );
        inflight.push(tokio::spawn(async move {
            let answer = post(&client, &address, &token, i).await;
            let _ = tx.send(()).await;
            answer
        }));
    }
    let _ = tokio::time::timeout(Duration::from_secs(30), first.recv()).await;
    server.kill();
    let mut before = Vec::new();
    for task in inflight {
        before.push(task.await.unwrap());
    }
    let answered = before.iter().filter(|a| a.is_some()).count();
    eprintln!("{answered} of {KEYS} keys answered before the kill");

    // Start again on the same database and retry every key.
    let server = Server::start(&database_url).await;
    for (i, first_answer) in before.iter().enumerate() {
        let (status, body, replayed) = post(&client, &server.address, &token, i)
            .await
            .expect("the restarted server answers");
        assert_eq!(status, 201, "key {i}: {body}");
        assert_eq!(body["description"], json!(format!("Job number {i}")));
        if let Some((first_status, first_body, _)) = first_answer {
            if *first_status == 201 {
                assert!(replayed, "key {i} answered before the kill, so it replays");
                assert_eq!(&body, first_body, "key {i} replays the first answer");
            }
        }
    }
    // Exactly one request per key.
    let list = json_of(
        client
            .get(format!("{}/api/v1/requests?limit=200", server.address))
            .bearer_auth(&token),
    )
    .await;
    let mut descriptions: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["description"].as_str().unwrap().to_string())
        .collect();
    descriptions.sort();
    let mut expected: Vec<String> = (0..KEYS).map(|i| format!("Job number {i}")).collect();
    expected.sort();
    assert_eq!(
        descriptions, expected,
        "{answered} of {KEYS} had answered before the kill"
    );
    server.kill();
}

#[tokio::test]
async fn sqlite_survives_kill_9_with_no_key_stuck_or_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    killed_mid_request(url).await;
}

#[tokio::test]
async fn postgres_survives_kill_9_with_no_key_stuck_or_doubled() {
    if let Some(url) = postgres_database() {
        killed_mid_request(url).await;
    }
}
