//! A real browser for the console's tests: Debian's headless Chromium driven through
//! chromedriver (WebDriver), started per test on a free port and stopped with it. A screenshot of
//! each page is kept in `target/console-screenshots/`; a failing test saves one named `FAILED-…`.
//! Accessibility is checked with axe-core from npm (`tests/console`), loaded into the page by the
//! test, never by the console. Without chromium, chromedriver or axe-core these tests say so
//! loudly and pass; with NEIGHBOURLY_REQUIRE_BROWSER=1 (as in CI) they fail instead.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";

pub struct Browser {
    pub client: Client,
    pub base: String,
    pub downloads: PathBuf,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn required() -> bool {
    std::env::var("NEIGHBOURLY_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

fn skip(why: &str) {
    if required() {
        panic!("a browser is required (NEIGHBOURLY_REQUIRE_BROWSER=1) but: {why}");
    }
    eprintln!("\n!!! CONSOLE BROWSER TESTS SKIPPED: {why}\n!!! Install Debian's chromium and chromium-driver to run them.\n");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/console-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

impl Browser {
    /// A fresh headless Chromium looking at `base` (the server's address), or None when this
    /// machine has no browser (see the module's comment).
    pub async fn start(base: &str) -> Option<Browser> {
        Self::start_as(base, None).await
    }

    /// As [`Browser::start`], emulating a phone: 390 × 844, touch, three device pixels a pixel.
    pub async fn start_phone(base: &str) -> Option<Browser> {
        let profile = tempfile::tempdir().expect("a browser profile folder");
        Self::start_phone_in(base, profile).await
    }

    /// As [`Browser::start_phone`], over a profile folder a closed browser left behind: the
    /// phone's browser opened again, with the cookies it kept.
    pub async fn start_phone_in(base: &str, profile: tempfile::TempDir) -> Option<Browser> {
        let phone = json!({
            "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": true},
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
        });
        Self::start_in(base, Some(phone), profile).await
    }

    /// Close the browser as a person closes it, and hand back its profile folder.
    pub async fn close_keeping_profile(self) -> tempfile::TempDir {
        let Browser {
            client,
            mut driver,
            _profile,
            ..
        } = self;
        client.close().await.expect("the browser closes");
        let _ = driver.kill();
        let _ = driver.wait();
        _profile
    }

    async fn start_as(base: &str, mobile: Option<Value>) -> Option<Browser> {
        let profile = tempfile::tempdir().expect("a browser profile folder");
        Self::start_in(base, mobile, profile).await
    }

    async fn start_in(
        base: &str,
        mobile: Option<Value>,
        profile: tempfile::TempDir,
    ) -> Option<Browser> {
        if !Path::new(CHROMIUM).exists() {
            skip(&format!("{CHROMIUM} is not installed"));
            return None;
        }
        let port = free_port();
        let driver = match Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(child) => child,
            Err(e) => {
                skip(&format!("chromedriver could not be started: {e}"));
                return None;
            }
        };
        let downloads = profile.path().join("downloads");
        std::fs::create_dir_all(&downloads).unwrap();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--window-size=1280,1000", "--lang=en-GB",
                    format!("--user-data-dir={}", profile.path().join("profile").display()),
                ],
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                },
            },
        });
        let mut caps = caps.as_object().unwrap().clone();
        if let Some(mobile) = mobile {
            caps["goog:chromeOptions"]["mobileEmulation"] = mobile;
        }
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..100 {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Some(Browser {
                        client,
                        base: base.to_string(),
                        downloads,
                        driver,
                        _profile: profile,
                    })
                }
                Err(e) => last = Some(e.to_string()),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start a session: {last:?}");
    }

    /// Run `test`; if it fails, keep a screenshot of where it was before failing the test. The
    /// browser is closed either way.
    pub async fn run<F, Fut>(self, name: &str, test: F)
    where
        F: FnOnce(Client, String) -> Fut,
        Fut: Future<Output = ()>,
    {
        let outcome = AssertUnwindSafe(test(self.client.clone(), self.base.clone()))
            .catch_unwind()
            .await;
        if outcome.is_err() {
            if let Ok(png) = self.client.screenshot().await {
                let path = screenshot_dir().join(format!("FAILED-{name}.png"));
                let _ = std::fs::write(&path, png);
                eprintln!("screenshot of the failure: {}", path.display());
            }
        }
        let Browser {
            client, mut driver, ..
        } = self;
        let _ = client.close().await;
        let _ = driver.kill();
        let _ = driver.wait();
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    }
}

/// Wait (up to 20 s, for the page to catch up, not as a measure of speed) for an element.
pub async fn wait_for(c: &Client, css: &str) -> Element {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css} appeared: {e}"))
}

/// Wait for an element holding `text`, and give it.
pub async fn wait_for_text(c: &Client, css: &str, text: &str) -> Element {
    for _ in 0..200 {
        for el in c.find_all(Locator::Css(css)).await.unwrap_or_default() {
            if el.text().await.is_ok_and(|t| t.contains(text)) {
                return el;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let main = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default();
    panic!("no {css} with {text:?} appeared; the page says:\n{main}");
}

/// The button (or link) whose text is exactly `text`.
pub async fn button(c: &Client, text: &str) -> Element {
    let xpath = format!(
        "//*[self::button or self::a][normalize-space(.)={}]",
        xpath_literal(text)
    );
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("no button {text:?}: {e}"))
}

/// Press the button that says `text`.
pub async fn press_button(c: &Client, text: &str) {
    button(c, text).await.click().await.unwrap();
}

/// Type `text` into the field labelled `label`.
pub async fn type_into(c: &Client, label: &str, text: &str) {
    labelled(c, label).await.send_keys(text).await.unwrap();
}

fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else {
        format!("\"{s}\"")
    }
}

/// The form field labelled `label`.
pub async fn labelled(c: &Client, label: &str) -> Element {
    let xpath = format!("//label[normalize-space(.)={}]", xpath_literal(label));
    let label_el = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("no field labelled {label:?}: {e}"));
    let id = label_el
        .attr("for")
        .await
        .unwrap()
        .expect("the label names its field");
    c.find(Locator::Id(&id)).await.unwrap()
}

/// Keep a screenshot of the page as `name.png`.
pub async fn keep_screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("a screenshot");
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

/// Press Tab until the focused element satisfies `test` (a JavaScript expression over `el`),
/// at most 80 times; the keyboard alone must reach it.
pub async fn tab_to(c: &Client, test: &str) -> Element {
    let check = format!("const el = document.activeElement; return Boolean(el && ({test}));");
    for _ in 0..80 {
        // Pressed on the keyboard, not sent to the focused element: sent to a date field, a Tab
        // moves between its day, month and year and never leaves it.
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let tab = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down {
                value: Key::Tab.into(),
            })
            .then(KeyAction::Up {
                value: Key::Tab.into(),
            });
        c.perform_actions(tab).await.unwrap();
        if c.execute(&check, vec![]).await.unwrap() == Value::Bool(true) {
            return c.active_element().await.unwrap();
        }
    }
    panic!("Tab never reached an element where {test}");
}

/// Press a key on the focused element.
pub async fn press(c: &Client, key: Key) {
    c.active_element()
        .await
        .unwrap()
        .send_keys(&key.to_string())
        .await
        .unwrap();
}

fn axe_source() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/console/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            let why = format!(
                "{} could not be read ({e}); run `npm ci` in tests/console",
                path.display()
            );
            if required() {
                panic!("axe-core is required (NEIGHBOURLY_REQUIRE_BROWSER=1) but: {why}");
            }
            eprintln!("!!! ACCESSIBILITY CHECK SKIPPED: {why}");
            None
        }
    }
}

/// Run axe-core on the page as it is now: no serious or critical violation may be found.
pub async fn assert_accessible(c: &Client, page: &str) {
    let Some(axe) = axe_source() else { return };
    let loaded = c
        .execute("return typeof window.axe !== 'undefined';", vec![])
        .await
        .unwrap();
    if loaded != Value::Bool(true) {
        c.execute(&format!("{axe}\n;return true;"), vec![])
            .await
            .expect("axe-core loads");
    }
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then((r) => done(
               r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
                 .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
             ), (e) => done([`axe failed: ${e}`]));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    let found: Vec<String> = serde_json::from_value(found).unwrap();
    assert!(
        found.is_empty(),
        "accessibility problems on the {page} page:\n{}",
        found.join("\n")
    );
}

/// A Chrome DevTools Protocol command, through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &reqwest::Url,
        session_id: Option<&str>,
    ) -> Result<reqwest::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &reqwest::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.cmd, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Run a DevTools command on the page (`Network.emulateNetworkConditions`, …).
pub async fn cdp(c: &Client, cmd: &str, params: Value) -> Value {
    try_cdp(c, cmd, params)
        .await
        .unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

/// As [`cdp`], for a command that may be refused.
pub async fn try_cdp(
    c: &Client,
    cmd: &str,
    params: Value,
) -> Result<Value, fantoccini::error::CmdError> {
    c.issue_cmd(Cdp {
        cmd: cmd.into(),
        params,
    })
    .await
}
