//! The test harness: a real server on a free port, over a fresh SQLite file or a fresh database
//! on a throwaway PostgreSQL cluster that the harness starts itself.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use diesel::{Connection, PgConnection, RunQueryDsl};
use neighbourly::config::{Environment, Secret, Settings};
use neighbourly::startup::Application;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub settings: Settings,
    pub client: reqwest::Client,
    pub state: neighbourly::api::state::AppState,
    /// The server's clock: the system's, moved on by [`TestApp::travel`].
    pub clock: neighbourly::service::clock::Clock,
    handle: actix_web::dev::ServerHandle,
    _dir: Option<tempfile::TempDir>,
}

/// The entry `name` of a view's `actions` (a request's, an offer's, an event's or a standing
/// request's).
#[track_caller]
pub fn action(view: &Value, name: &str) -> Value {
    view["actions"]
        .as_array()
        .and_then(|all| all.iter().find(|a| a["name"] == name))
        .cloned()
        .unwrap_or_else(|| panic!("no action {name} in {view}"))
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Resp {
    /// An answer's status, headers and body (JSON when it is, else its text).
    pub async fn read(resp: reqwest::Response) -> Resp {
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body read");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.body
        );
        self.body
    }

    /// The field names of a 422 answer.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn content_type(&self) -> String {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// A signed-in user for tests.
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub email: String,
    pub token: String,
    pub refresh: String,
}

pub const PASSWORD: &str = "a long enough password";

/// An HTTP client that lets an idle connection go before the server's keep-alive (5 s) closes
/// it, so that a test pausing between calls (a browser step) never reuses a closing connection.
pub fn test_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("an HTTP client")
}

pub fn test_settings() -> Settings {
    Settings::load_from(Path::new("config"), Environment::Test).expect("test settings load")
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, test_settings()).await
    }

    pub async fn spawn_with(backend: Backend, mut settings: Settings) -> Option<TestApp> {
        let mut dir = None;
        match backend {
            Backend::Sqlite => {
                let d = tempfile::tempdir().expect("tempdir");
                settings.database.url =
                    Secret::new(format!("sqlite://{}", d.path().join("test.db").display()));
                dir = Some(d);
            }
            Backend::Postgres => {
                let url = postgres_database()?;
                settings.database.url = Secret::new(url);
            }
        }
        settings.server.port = 0;
        let clock = neighbourly::service::clock::Clock::movable();
        let app = Application::build_with_clock(settings.clone(), clock.clone())
            .await
            .expect("application starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        Some(TestApp {
            address,
            settings,
            client: test_client(),
            state,
            clock,
            handle,
            _dir: dir,
        })
    }

    /// A server over an existing database (the URL in `settings`).
    pub async fn spawn_existing(mut settings: Settings) -> TestApp {
        settings.server.port = 0;
        let clock = neighbourly::service::clock::Clock::movable();
        let app = Application::build_with_clock(settings.clone(), clock.clone())
            .await
            .expect("application starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            address,
            settings,
            client: test_client(),
            state,
            clock,
            handle,
            _dir: None,
        }
    }

    /// Move the server's clock on (the rules of time read it; tokens keep the system's).
    pub fn travel(&self, by: chrono::Duration) {
        self.clock.advance(by);
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut req = self
            .client
            .request(method, format!("{}{}", self.address, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Resp::read(req.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    /// `POST /auth/refresh` with a refresh token in the body.
    pub async fn refresh(&self, refresh_token: &Value) -> Resp {
        self.post(
            "/api/v1/auth/refresh",
            None,
            json!({ "refresh_token": refresh_token }),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Resp {
        self.post(
            "/api/v1/auth/login",
            None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    pub async fn login_user(&self, id: String, email: String) -> User {
        let body = self.login(&email, PASSWORD).await.expect(200);
        User {
            id,
            email,
            token: body["access_token"].as_str().unwrap().to_string(),
            refresh: body["refresh_token"].as_str().unwrap().to_string(),
        }
    }

    pub fn member_body(email: &str) -> Value {
        json!({
            "email": email,
            "password": PASSWORD,
            "name": "Ada Member",
            "phone": "020 7946 0001",
            "address": "12 Choumert Road, Peckham, SE15",
            "location": {"lat": 51.4700, "lon": -0.0700},
        })
    }

    pub async fn member(&self) -> User {
        let email = format!("member-{}@example.org", uuid::Uuid::new_v4());
        let body = self
            .post("/api/v1/members", None, Self::member_body(&email))
            .await
            .expect(201);
        self.login_user(body["id"].as_str().unwrap().to_string(), email)
            .await
    }

    pub fn helper_body(email: &str) -> Value {
        json!({
            "email": email,
            "password": PASSWORD,
            "name": "Hal Helper",
            "phone": "020 7946 0002",
            "home": {"lat": 51.4720, "lon": -0.0720},
            "skills": ["gardening", "diy"],
            "max_distance_km": 3.0,
        })
    }

    /// A helper who has applied (vetting pending).
    pub async fn applicant(&self) -> User {
        self.applicant_at(51.4720, -0.0720).await
    }

    pub async fn applicant_at(&self, lat: f64, lon: f64) -> User {
        let email = format!("helper-{}@example.org", uuid::Uuid::new_v4());
        let mut body = Self::helper_body(&email);
        body["home"] = json!({"lat": lat, "lon": lon});
        let body = self.post("/api/v1/helpers", None, body).await.expect(201);
        self.login_user(body["id"].as_str().unwrap().to_string(), email)
            .await
    }

    /// A helper approved by a coordinator until next year, free all week.
    pub async fn helper(&self, coordinator: &User) -> User {
        self.helper_at(coordinator, 51.4720, -0.0720).await
    }

    /// An approved helper living at `lat`, `lon`, free all week.
    pub async fn helper_at(&self, coordinator: &User, lat: f64, lon: f64) -> User {
        let h = self.applicant_at(lat, lon).await;
        let expires = (chrono::Utc::now() + chrono::Duration::days(365)).date_naive();
        self.post(
            &format!("/api/v1/helpers/{}/vetting", h.id),
            Some(&coordinator.token),
            json!({"status": "approved", "expires_on": expires.to_string()}),
        )
        .await
        .expect(200);
        self.put(
            &format!("/api/v1/helpers/{}/availability", h.id),
            Some(&h.token),
            Self::always_free(),
        )
        .await
        .expect(200);
        h
    }

    /// A coordinator suspends this helper while a concern is looked into.
    pub async fn suspend(&self, coordinator: &User, helper: &User) {
        self.post(
            &format!("/api/v1/helpers/{}/vetting", helper.id),
            Some(&coordinator.token),
            json!({"status": "suspended", "note": "A concern is being looked into"}),
        )
        .await
        .expect(200);
    }

    /// Availability every day, all day, in London.
    pub fn always_free() -> Value {
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let weekly: Vec<Value> = days
            .iter()
            .map(|d| json!({"day": d, "start": "00:00", "end": "24:00"}))
            .collect();
        json!({"timezone": "Europe/London", "weekly": weekly, "time_off": []})
    }

    pub async fn coordinator(&self) -> User {
        let email = format!("coord-{}@example.org", uuid::Uuid::new_v4());
        let settings = self.settings.clone();
        let e = email.clone();
        let id = tokio::task::spawn_blocking(move || {
            neighbourly::cli::create_coordinator(&settings, &e, "Cora Coordinator", None, PASSWORD)
                .map_err(|e| e.to_string())
        })
        .await
        .unwrap()
        .expect("coordinator created");
        self.login_user(id, email).await
    }

    /// A request body with a window tomorrow.
    pub fn request_body(category: &str) -> Value {
        let start = chrono::Utc::now() + chrono::Duration::days(1);
        let end = start + chrono::Duration::hours(4);
        json!({
            "category": category,
            "description": "Trim the front hedge",
            "window": {"start": start.to_rfc3339(), "end": end.to_rfc3339()},
            "duration_minutes": 60,
        })
    }

    pub async fn request(&self, member: &User) -> Value {
        self.post(
            "/api/v1/requests",
            Some(&member.token),
            Self::request_body("gardening"),
        )
        .await
        .expect(201)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command at once; the workers close their database connections.
        drop(self.handle.stop(false));
    }
}

// ---- PostgreSQL: one throwaway cluster per test run, one database per test ----

struct Cluster {
    port: u16,
}

fn find_pg_bin() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("NEIGHBOURLY_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Run a PostgreSQL tool, as the `postgres` user when we are root (initdb refuses root).
fn pg_command(bin: &Path, tool: &str, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

fn start_cluster() -> Result<Cluster, String> {
    let bin = find_pg_bin().ok_or("no PostgreSQL server binaries (initdb, pg_ctl) found")?;
    let root = is_root();
    let base = std::env::temp_dir().join(format!("neighbourly-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
    if root {
        let ok = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&base)
            .status()
            .map_err(|e| e.to_string())?;
        if !ok.success() {
            return Err("could not give the cluster folder to the postgres user".into());
        }
    }
    let data = base.join("data");
    let out = pg_command(&bin, "initdb", root)
        .args(["-D"])
        .arg(&data)
        .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"])
        .output()
        .map_err(|e| format!("initdb: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=400",
        base.display()
    );
    let out = pg_command(&bin, "pg_ctl", root)
        .arg("-D")
        .arg(&data)
        .args(["-o", &opts, "-l"])
        .arg(base.join("server.log"))
        .args(["-w", "start"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("pg_ctl: {e}"))?;
    if !out.status.success() {
        let log = std::fs::read_to_string(base.join("server.log")).unwrap_or_default();
        return Err(format!(
            "pg_ctl start failed: {}\n{log}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    // Stop the cluster and remove its folder once this test process has gone.
    let stop = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {runas}{pg_ctl} -D {data} -m immediate stop; rm -rf {base}",
        pid = std::process::id(),
        runas = if root { "runuser -u postgres -- " } else { "" },
        pg_ctl = bin.join("pg_ctl").display(),
        data = data.display(),
        base = base.display(),
    );
    Command::new("sh")
        .args(["-c", &stop])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("reaper: {e}"))?;
    Ok(Cluster { port })
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();

/// A fresh database on the test cluster, or None (with a loud note) when PostgreSQL is not
/// installed. With NEIGHBOURLY_REQUIRE_POSTGRES=1 (as in CI) a missing server fails the test.
pub fn postgres_database() -> Option<String> {
    let cluster = CLUSTER.get_or_init(start_cluster);
    match cluster {
        Ok(c) => {
            let name = format!("t_{}", uuid::Uuid::new_v4().simple());
            let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", c.port);
            let mut conn = PgConnection::establish(&admin).expect("connect to the test cluster");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .expect("create test database");
            Some(format!("postgres://postgres@127.0.0.1:{}/{name}", c.port))
        }
        Err(why) => {
            if std::env::var("NEIGHBOURLY_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("PostgreSQL is required (NEIGHBOURLY_REQUIRE_POSTGRES=1) but: {why}");
            }
            static WARNED: OnceLock<()> = OnceLock::new();
            WARNED.get_or_init(|| {
                eprintln!("\n{}\n!!! PostgreSQL TESTS SKIPPED: {why}\n!!! Install Debian's postgresql package to run them.\n{}\n", "!".repeat(72), "!".repeat(72));
            });
            None
        }
    }
}

/// A test per backend for each named scenario: `async fn name(app: TestApp)` run on a fresh app
/// on SQLite and on PostgreSQL; or, after `backend:`, `async fn name(backend: Backend)` for
/// scenarios that make their own app with settings of their own.
#[macro_export]
macro_rules! on_both_backends {
    (backend: $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name($crate::harness::Backend::Sqlite).await;
                }
                #[tokio::test]
                async fn postgres() {
                    super::$name($crate::harness::Backend::Postgres).await;
                }
            }
        )*
    };
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let app = $crate::harness::TestApp::spawn($crate::harness::Backend::Sqlite).await.unwrap();
                    super::$name(app).await;
                }

                #[tokio::test]
                async fn postgres() {
                    if let Some(app) = $crate::harness::TestApp::spawn($crate::harness::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

/// The first of a list's `items` (or of a plain array) whose `key` is `value`; a test fails
/// naming the list if none is.
pub fn item_where<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .or_else(|| list["items"].as_array())
        .unwrap_or_else(|| panic!("no items: {list}"))
        .iter()
        .find(|e| e[key] == value)
        .unwrap_or_else(|| panic!("no item with {key} {value}: {list}"))
}

/// The rows of a CSV file as Python's `csv` module reads them (as a spreadsheet would): the
/// service's CSV is checked with a reader it did not write.
pub fn read_csv(text: &str) -> Vec<Vec<String>> {
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .args([
            "-c",
            "import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 reads the CSV (Debian's python3)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python3's csv module refused it: {text}"
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A raw connection on the blocking pool, for tests that look at (or arrange) the database
/// directly, beside the API.
pub(crate) trait RawDb {
    async fn db<F, T>(&self, f: F) -> neighbourly::error::AppResult<T>
    where
        F: FnOnce(&mut neighbourly::db::DbConnection) -> neighbourly::error::AppResult<T>
            + Send
            + 'static,
        T: Send + 'static;
}

impl RawDb for neighbourly::api::state::AppState {
    async fn db<F, T>(&self, f: F) -> neighbourly::error::AppResult<T>
    where
        F: FnOnce(&mut neighbourly::db::DbConnection) -> neighbourly::error::AppResult<T>
            + Send
            + 'static,
        T: Send + 'static,
    {
        let pool = self.services.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("a connection from the test's pool");
            f(&mut conn)
        })
        .await
        .expect("the database work ran")
    }
}

/// The token after `marker` ("/reset/") in the last email of `kind` sent to `to`, if any.
pub(crate) async fn token_in_email(
    app: &TestApp,
    to: &str,
    kind: &'static str,
    marker: &'static str,
) -> Option<String> {
    let to = to.to_string();
    app.state
        .db(move |c| {
            let mails = neighbourly::db::outbox::for_recipient(c, &to)?;
            Ok(mails.iter().rfind(|m| m.kind == kind).and_then(|m| {
                let at = m.text_body.find(marker)? + marker.len();
                Some(m.text_body[at..].split_whitespace().next()?.to_string())
            }))
        })
        .await
        .unwrap()
}
