//! The app's weight and speed on an old phone with a poor signal: Chromium's "Slow 4G" network
//! (562.5 ms round trips, 1.44 Mbit/s down) and a CPU four times slower, through the DevTools
//! protocol. It measures and prints (for docs/benchmarks.md); it asserts no time, so it is run
//! by hand: `cargo test --test api app_weight -- --ignored --nocapture`.

use serde_json::{json, Value};

use crate::harness::{Backend, TestApp};

/// Bytes over the wire and the moment the screen was drawn (ms after the page began to load).
async fn measured(c: &fantoccini::Client) -> (f64, f64, usize) {
    let v: Value = c
        .execute(
            "const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
             const drawn = performance.getEntriesByName('neighbourly:drawn');
             return [entries.reduce((n, e) => n + (e.transferSize || 0), 0),
                     drawn.length ? drawn[drawn.length - 1].startTime : -1,
                     entries.length];",
            vec![],
        )
        .await
        .unwrap();
    (
        v[0].as_f64().unwrap(),
        v[1].as_f64().unwrap(),
        v[2].as_u64().unwrap() as usize,
    )
}

#[tokio::test]
#[ignore = "a measurement, printed for docs/benchmarks.md; run by hand"]
async fn app_weight_on_slow_4g() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    for _ in 0..3 {
        let member = app.member().await;
        app.request(&member).await;
    }
    let email = helper.email.clone();
    browser
        .run("app-weight", |c, base| async move {
            use crate::browser::{cdp, wait_for_text};
            cdp(&c, "Network.enable", json!({})).await;
            cdp(&c, "Network.clearBrowserCache", json!({})).await;
            cdp(
                &c,
                "Network.emulateNetworkConditions",
                json!({"offline": false, "latency": 562.5,
                       "downloadThroughput": 180_000.0, "uploadThroughput": 84_375.0}),
            )
            .await;
            cdp(&c, "Emulation.setCPUThrottlingRate", json!({"rate": 4})).await;

            c.goto(&format!("{base}/app/")).await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
            let (bytes, drawn, files) = measured(&c).await;
            println!("| first visit: the sign-in screen | {:.1} KB | {files} | {:.2} s |", bytes / 1000.0, drawn / 1000.0);

            // Signed in: the helper's offers, then the same again with the service worker.
            c.execute_async(
                "const done = arguments[arguments.length - 1]; navigator.serviceWorker.ready.then(() => done(true));",
                vec![],
            )
            .await
            .unwrap();
            crate::app::sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main li", "Help with the garden").await;
            c.refresh().await.unwrap();
            wait_for_text(&c, "main li", "Help with the garden").await;
            let (bytes, drawn, files) = measured(&c).await;
            println!("| repeat visit, signed in: a helper's three offers (service worker) | {:.1} KB | {files} | {:.2} s |", bytes / 1000.0, drawn / 1000.0);
        })
        .await;
}
