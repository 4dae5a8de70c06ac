//! A simulated month of a Circle, in the manner of deterministic simulation testing: a seeded
//! random run of 28 days on the server's clock, on both backends, with members, helpers and
//! coordinators doing what people do (asking, saying yes, confirming, arriving, finishing, not
//! coming, withdrawing, cancelling, rating, blocking, being suspended, closing accounts; standing
//! requests made, paused, resumed, ended and given regular helpers; events made, changed,
//! cancelled, joined and left), the clock moved on and the sweep run between their steps, with
//! the Circle's quiet hours on. After every step it checks:
//! - every `actions` entry of a request, a standing request and an event agrees with what its
//!   call does (allowed: no 409 of time or state; not allowed: 409 with the same sentence);
//! - no offer runs out in quiet hours, unless the job's latest start comes first;
//! - nothing is completed before its planned start (unless the helper said they had arrived);
//! - one helper at most on each visit;
//! - nothing is asked for a closed member;
//! - the ledger sums to zero;
//! - a request's story never loses an entry.
//!
//! A failing seed prints the steps that led to it. `NEIGHBOURLY_MONTH_SEEDS=1,2,3` and
//! `NEIGHBOURLY_MONTH_DAYS=90` run other seeds and longer months.

use crate::harness::RawDb;
use std::collections::{HashMap, HashSet};

use chrono::Duration;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::harness::{TestApp, User};

mod a_month_of_a_circle_keeps_every_rule {
    use crate::harness::{test_settings, Backend, TestApp};

    /// The Circle's night on, as it is by default.
    async fn spawn(backend: Backend) -> Option<TestApp> {
        let mut settings = test_settings();
        settings.matching.quiet_hours =
            neighbourly::domain::quiet::QuietSpan::parse("21:00-08:00").unwrap();
        TestApp::spawn_with(backend, settings).await
    }

    #[tokio::test]
    async fn sqlite() {
        super::a_month_of_a_circle_keeps_every_rule(spawn(Backend::Sqlite).await.unwrap()).await;
    }

    #[tokio::test]
    async fn postgres() {
        if let Some(app) = spawn(Backend::Postgres).await {
            super::a_month_of_a_circle_keeps_every_rule(app).await;
        }
    }
}

const HOURS_A_STEP: i64 = 3;

fn seeds() -> Vec<u64> {
    std::env::var("NEIGHBOURLY_MONTH_SEEDS")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![7, 2026])
}

fn days() -> i64 {
    std::env::var("NEIGHBOURLY_MONTH_DAYS")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(28)
}

async fn a_month_of_a_circle_keeps_every_rule(app: TestApp) {
    let coord = app.coordinator().await;
    for seed in seeds() {
        // People of their own for each seed: accounts closed in one run stay closed.
        let mut members = Vec::new();
        for _ in 0..8 {
            members.push(app.member().await);
        }
        let mut helpers = Vec::new();
        for _ in 0..5 {
            helpers.push(app.helper(&coord).await);
        }
        let mut world = World {
            app: &app,
            rng: StdRng::seed_from_u64(seed),
            seed,
            coord: &coord,
            members: &members,
            helpers: &helpers,
            requests: Vec::new(),
            series: Vec::new(),
            events: Vec::new(),
            closed: HashSet::new(),
            stories: HashMap::new(),
            steps: Vec::new(),
        };
        world.run(days()).await;
    }
}

struct World<'a> {
    app: &'a TestApp,
    rng: StdRng,
    seed: u64,
    coord: &'a User,
    members: &'a [User],
    helpers: &'a [User],
    requests: Vec<(String, usize)>,
    series: Vec<(String, usize)>,
    events: Vec<String>,
    closed: HashSet<String>,
    stories: HashMap<String, usize>,
    steps: Vec<String>,
}

impl World<'_> {
    #[track_caller]
    fn fail(&self, what: String) -> ! {
        panic!(
            "seed {}: {what}\nthe steps that led here (replay with NEIGHBOURLY_MONTH_SEEDS={}):\n{}",
            self.seed,
            self.seed,
            self.steps.join("\n")
        )
    }

    fn note(&mut self, step: String) {
        let at = self.app.clock.now().format("%a %d %H:%M");
        self.steps.push(format!("{at} {step}"));
    }

    async fn run(&mut self, days: i64) {
        for _ in 0..days * 24 / HOURS_A_STEP {
            for _ in 0..self.rng.random_range(1..=4) {
                match self.rng.random_range(0..100) {
                    0..=21 => self.ask().await,
                    22..=39 => self.say_yes().await,
                    40..=77 => self.act_on_a_request().await,
                    78..=83 => self.regular_help().await,
                    84..=89 => self.get_together().await,
                    90..=92 => self.close_an_account().await,
                    93..=95 => self.block().await,
                    _ => self.suspend_or_reinstate().await,
                }
                self.check().await;
            }
            self.app.travel(Duration::hours(HOURS_A_STEP));
            self.note(format!("{HOURS_A_STEP} hours pass; the sweep runs"));
            self.app
                .state
                .run(neighbourly::service::housekeeping::tick)
                .await
                .unwrap_or_else(|e| self.fail(format!("the sweep failed: {e}")));
            self.check().await;
        }
    }

    async fn ask(&mut self) {
        let who = self.rng.random_range(0..self.members.len());
        let member = &self.members[who];
        let start = self.app.clock.now().and_utc()
            + Duration::hours(2)
            + Duration::minutes(self.rng.random_range(0..10 * 24 * 60));
        let body = json!({
            "member_id": member.id,
            "category": "gardening",
            "description": "Trim the hedge",
            "window": {"start": start.to_rfc3339(), "end": (start + Duration::hours(4)).to_rfc3339()},
            "duration_minutes": 60,
        });
        let closed = self.closed.contains(&member.id);
        // A closed member cannot sign in; a coordinator may try to ask for them.
        let token = if closed {
            &self.coord.token
        } else {
            &member.token
        };
        self.note(format!("member {who} asks for help from {start}"));
        let r = self.app.post("/api/v1/requests", Some(token), body).await;
        match (closed, r.status.as_u16()) {
            (false, 201) => {
                let id = r.body["id"].as_str().unwrap().to_string();
                self.requests.push((id, who));
            }
            (true, 409) => {
                if r.body["detail"] != "This member's account is closed." {
                    self.fail(format!("asking for a closed member: {}", r.body));
                }
            }
            _ => self.fail(format!(
                "asking for {} member {who}: {} {}",
                if closed { "closed" } else { "open" },
                r.status,
                r.body
            )),
        }
    }

    async fn say_yes(&mut self) {
        let h = self.rng.random_range(0..self.helpers.len());
        let helper = &self.helpers[h];
        let inbox = self
            .app
            .get("/api/v1/offers?status=open", Some(&helper.token))
            .await
            .expect(200);
        let items = inbox["items"].as_array().unwrap();
        if items.is_empty() {
            return;
        }
        let offer = &items[self.rng.random_range(0..items.len())];
        let decline = self.rng.random_bool(0.2);
        let step = if decline { "decline" } else { "accept" };
        self.note(format!(
            "helper {h} answers {step} to {}",
            offer["request_id"]
        ));
        let r = self
            .app
            .post(
                &format!("/api/v1/offers/{}/{step}", offer["id"].as_str().unwrap()),
                Some(&helper.token),
                json!({}),
            )
            .await;
        // The first yes wins; an offer may have lapsed or been withdrawn meanwhile.
        if !matches!(r.status.as_u16(), 200 | 409 | 410) {
            self.fail(format!("{step}: {} {}", r.status, r.body));
        }
    }

    /// Someone with a part in a request looks at it and presses one of its buttons, allowed or
    /// not: the answer must be what `actions` said.
    async fn act_on_a_request(&mut self) {
        if self.requests.is_empty() {
            return;
        }
        let (id, who) = self.requests[self.rng.random_range(0..self.requests.len())].clone();
        let seen = self
            .app
            .get(&format!("/api/v1/requests/{id}"), Some(&self.coord.token))
            .await
            .expect(200);
        let helper = seen["helper"]["id"].as_str().map(str::to_string);
        let (part, token) = match self.rng.random_range(0..3) {
            0 if !self.closed.contains(&self.members[who].id) => {
                ("member", self.members[who].token.clone())
            }
            1 => match helper
                .as_ref()
                .and_then(|h| self.helpers.iter().position(|x| &x.id == h))
            {
                Some(i) => ("helper", self.helpers[i].token.clone()),
                None => ("coordinator", self.coord.token.clone()),
            },
            _ => ("coordinator", self.coord.token.clone()),
        };
        let view = self
            .app
            .get(&format!("/api/v1/requests/{id}"), Some(&token))
            .await;
        if view.status != 200 {
            // A helper suspended since, or a member who closed: nothing to press.
            return;
        }
        let actions = view.body["actions"].as_array().unwrap().clone();
        if actions.is_empty() {
            return;
        }
        // Mostly what is allowed, sometimes what is not.
        let allowed: Vec<&Value> = actions.iter().filter(|a| a["allowed"] == true).collect();
        let action = match (allowed.is_empty(), self.rng.random_bool(0.75)) {
            (false, true) => allowed[self.rng.random_range(0..allowed.len())].clone(),
            _ => actions[self.rng.random_range(0..actions.len())].clone(),
        };
        let name = action["name"].as_str().unwrap().to_string();
        let body = match name.as_str() {
            "complete" => json!({"minutes_spent": self.rng.random_range(20..=120)}),
            "feedback" => json!({"rating": self.rng.random_range(1..=5)}),
            "withdraw" => json!({"reason": "Something came up"}),
            "cancel" => json!({"reason": "Not needed after all"}),
            "no-show" => json!({"note": "Nobody came"}),
            "running-late" => json!({"minutes": self.rng.random_range(5..=60)}),
            "assign" => {
                let h = &self.helpers[self.rng.random_range(0..self.helpers.len())];
                json!({"helper_id": h.id, "force": true, "reason": "They rang and can go"})
            }
            _ => json!({}),
        };
        self.note(format!(
            "{part} presses {name} on {id} (allowed: {}, {})",
            action["allowed"],
            action["reason"].as_str().unwrap_or("")
        ));
        let r = self
            .app
            .post(&format!("/api/v1/requests/{id}/{name}"), Some(&token), body)
            .await;
        let status = r.status.as_u16();
        if action["allowed"] == true {
            // A forced assignment may still be refused for a helper who cannot take it.
            let refused_assign = name == "assign" && matches!(status, 409 | 422);
            if !(200..300).contains(&status) && !refused_assign {
                self.fail(format!("{name} was allowed, but: {status} {}", r.body));
            }
        } else if status != 409 || r.body["detail"] != action["reason"] {
            self.fail(format!(
                "{name} was not allowed ({}), but: {status} {}",
                action["reason"], r.body
            ));
        }
    }

    /// A press of an action that `actions` described, answered with `status` and `body`: allowed
    /// means no 409 of time or state (`refusals` lists other answers that are fair, such as a
    /// helper who fails a check); not allowed means 409 with the same sentence.
    fn agrees(&self, action: &Value, status: u16, body: &Value, refusals: &[u16]) {
        let name = &action["name"];
        if action["allowed"] == true {
            if !(200..300).contains(&status) && !refusals.contains(&status) {
                self.fail(format!("{name} was allowed, but: {status} {body}"));
            }
        } else if status != 409 || body["detail"] != action["reason"] {
            self.fail(format!(
                "{name} was not allowed ({}), but: {status} {body}",
                action["reason"]
            ));
        }
    }

    /// Mostly an allowed action, sometimes any.
    fn pick(&mut self, actions: &[Value]) -> Option<Value> {
        let allowed: Vec<&Value> = actions.iter().filter(|a| a["allowed"] == true).collect();
        match (
            actions.is_empty(),
            allowed.is_empty(),
            self.rng.random_bool(0.75),
        ) {
            (true, _, _) => None,
            (false, false, true) => Some(allowed[self.rng.random_range(0..allowed.len())].clone()),
            _ => Some(actions[self.rng.random_range(0..actions.len())].clone()),
        }
    }

    /// Regular help: a member asks for a standing request (a coordinator for a closed one, and
    /// is refused), or its member or a coordinator presses one of its actions, choosing a regular
    /// helper who may not suit (sometimes overriding the checks).
    async fn regular_help(&mut self) {
        if self.series.len() < 4 || self.rng.random_bool(0.2) {
            let who = self.rng.random_range(0..self.members.len());
            let member = &self.members[who];
            let closed = self.closed.contains(&member.id);
            let mut body =
                crate::series::weekly_from(self.app.clock.now().date() + Duration::days(1));
            body["member_id"] = json!(member.id);
            let token = if closed {
                &self.coord.token
            } else {
                &member.token
            };
            self.note(format!("member {who} asks for regular help"));
            let r = self.app.post("/api/v1/series", Some(token), body).await;
            match (closed, r.status.as_u16()) {
                (false, 201) => {
                    let id = r.body["id"].as_str().unwrap().to_string();
                    self.series.push((id, who));
                }
                (true, 409) => {}
                _ => self.fail(format!(
                    "regular help for member {who}: {} {}",
                    r.status, r.body
                )),
            }
            return;
        }
        let (id, who) = self.series[self.rng.random_range(0..self.series.len())].clone();
        let (part, token) = match self.rng.random_bool(0.5) {
            true if !self.closed.contains(&self.members[who].id) => {
                ("member", self.members[who].token.clone())
            }
            _ => ("coordinator", self.coord.token.clone()),
        };
        let seen = self
            .app
            .get(&format!("/api/v1/series/{id}"), Some(&token))
            .await
            .expect(200);
        let actions = seen["actions"].as_array().unwrap().clone();
        let Some(action) = self.pick(&actions) else {
            return;
        };
        let name = action["name"].as_str().unwrap().to_string();
        self.note(format!(
            "{part} presses {name} on series {id} (allowed: {}, {})",
            action["allowed"],
            action["reason"].as_str().unwrap_or("")
        ));
        let r = match name.as_str() {
            "helper" => {
                let h = &self.helpers[self.rng.random_range(0..self.helpers.len())];
                let mut body = json!({"helper_id": h.id});
                if self.rng.random_bool(0.3) {
                    body["override"] = json!(true);
                    body["reason"] = json!("The member asked for them");
                }
                self.app
                    .put(&format!("/api/v1/series/{id}/helper"), Some(&token), body)
                    .await
            }
            _ => {
                self.app
                    .post(
                        &format!("/api/v1/series/{id}/{name}"),
                        Some(&token),
                        json!({}),
                    )
                    .await
            }
        };
        // A helper who is suspended (409) or does not suit (422) is a fair refusal.
        let fair: &[u16] = if name == "helper" { &[409, 422] } else { &[] };
        self.agrees(&action, r.status.as_u16(), &r.body, fair);
        if name == "helper" && r.status == 409 && action["allowed"] == true {
            let detail = r.body["detail"].as_str().unwrap_or("");
            if !detail.starts_with("This helper") {
                self.fail(format!("choosing a regular helper: {}", r.body));
            }
        }
    }

    /// Get-togethers: a coordinator makes one, changes or cancels it; a member joins or leaves.
    async fn get_together(&mut self) {
        if self.events.len() < 3 || self.rng.random_bool(0.15) {
            let starts =
                self.app.clock.now().and_utc() + Duration::hours(self.rng.random_range(6..10 * 24));
            let capacity = self.rng.random_range(1..=4);
            self.note(format!("a coordinator makes an event at {starts}"));
            let r = self
                .app
                .post(
                    "/api/v1/events",
                    Some(&self.coord.token),
                    crate::events::event_body(starts, capacity),
                )
                .await
                .expect(201);
            self.events.push(r["id"].as_str().unwrap().to_string());
            return;
        }
        let id = self.events[self.rng.random_range(0..self.events.len())].clone();
        let who = self.rng.random_range(0..self.members.len());
        let member = self.rng.random_bool(0.7) && !self.closed.contains(&self.members[who].id);
        let token = match member {
            true => self.members[who].token.clone(),
            false => self.coord.token.clone(),
        };
        let seen = self
            .app
            .get(&format!("/api/v1/events/{id}"), Some(&token))
            .await
            .expect(200);
        let actions: Vec<Value> = seen["actions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["name"] != "attendance")
            .cloned()
            .collect();
        let Some(action) = self.pick(&actions) else {
            return;
        };
        let name = action["name"].as_str().unwrap().to_string();
        let part = if member {
            format!("member {who}")
        } else {
            "a coordinator".into()
        };
        self.note(format!(
            "{part} presses {name} on event {id} (allowed: {}, {})",
            action["allowed"],
            action["reason"].as_str().unwrap_or("")
        ));
        let path = format!("/api/v1/events/{id}");
        let r = match (member, name.as_str()) {
            (true, "signups") => {
                let lift = self.rng.random_bool(0.3);
                self.app
                    .post(
                        &format!("{path}/signups"),
                        Some(&token),
                        json!({"needs_lift": lift}),
                    )
                    .await
            }
            (true, "leave") => {
                self.app
                    .call(
                        reqwest::Method::DELETE,
                        &format!("{path}/signups/{}", self.members[who].id),
                        Some(&token),
                        None,
                    )
                    .await
            }
            (false, "cancel") => {
                self.app
                    .post(
                        &format!("{path}/cancel"),
                        Some(&token),
                        json!({"reason": "The hall is flooded"}),
                    )
                    .await
            }
            (false, "edit") => {
                let capacity = self.rng.random_range(1..=6);
                self.app
                    .call(
                        reqwest::Method::PATCH,
                        &path,
                        Some(&token),
                        Some(json!({"capacity": capacity})),
                    )
                    .await
            }
            (false, "signups") => {
                let other = &self.members[self.rng.random_range(0..self.members.len())];
                if self.closed.contains(&other.id) {
                    return;
                }
                self.app
                    .post(
                        &format!("{path}/signups"),
                        Some(&token),
                        json!({"member_id": other.id}),
                    )
                    .await
            }
            _ => return,
        };
        // Someone already signed up is a fair refusal of a coordinator's sign-up for them; a
        // capacity below those going, of a change.
        let fair: &[u16] = match (member, name.as_str()) {
            (false, "signups" | "edit") => &[409, 422],
            _ => &[],
        };
        self.agrees(&action, r.status.as_u16(), &r.body, fair);
    }

    async fn close_an_account(&mut self) {
        let who = self.rng.random_range(0..self.members.len());
        let member = &self.members[who];
        if self.closed.contains(&member.id) {
            return;
        }
        self.note(format!("a coordinator closes member {who}'s account"));
        let r = self
            .app
            .post(
                &format!("/api/v1/users/{}/deactivate", member.id),
                Some(&self.coord.token),
                json!({"reason": "Moved away"}),
            )
            .await;
        match r.status.as_u16() {
            200 => {
                self.closed.insert(member.id.clone());
            }
            409 => {}
            _ => self.fail(format!("closing: {} {}", r.status, r.body)),
        }
    }

    async fn block(&mut self) {
        let who = self.rng.random_range(0..self.members.len());
        let member = &self.members[who];
        if self.closed.contains(&member.id) {
            return;
        }
        let h = self.rng.random_range(0..self.helpers.len());
        self.note(format!("member {who} blocks helper {h}"));
        let r = self
            .app
            .post(
                &format!("/api/v1/members/{}/blocks", member.id),
                Some(&member.token),
                json!({"helper_id": self.helpers[h].id}),
            )
            .await;
        if !r.status.is_success() {
            self.fail(format!("blocking: {} {}", r.status, r.body));
        }
    }

    async fn suspend_or_reinstate(&mut self) {
        let h = self.rng.random_range(0..self.helpers.len());
        let suspend = self.rng.random_bool(0.5);
        let expires = (self.app.clock.now() + Duration::days(300)).date();
        let body = match suspend {
            true => json!({"status": "suspended", "note": "A concern is being looked into"}),
            false => json!({"status": "approved", "expires_on": expires.to_string()}),
        };
        self.note(format!(
            "a coordinator {} helper {h}",
            if suspend { "suspends" } else { "approves" }
        ));
        self.app
            .post(
                &format!("/api/v1/helpers/{}/vetting", self.helpers[h].id),
                Some(&self.coord.token),
                body,
            )
            .await
            .expect(200);
    }

    /// The invariants, read from the database as it stands.
    async fn check(&mut self) {
        use diesel::prelude::*;
        use neighbourly::db::schema::{help_requests as hr, ledger_entries, users, visits};
        let closed: Vec<String> = self.closed.iter().cloned().collect();
        let found = self
            .app
            .state
            .db(move |c| {
                let done: Vec<(
                    String,
                    Option<chrono::NaiveDateTime>,
                    Option<chrono::NaiveDateTime>,
                    chrono::NaiveDateTime,
                )> = hr::table
                    .filter(hr::status.eq("completed"))
                    .select((
                        hr::id,
                        hr::completed_at,
                        hr::scheduled_start,
                        hr::window_start,
                    ))
                    .load(c)?;
                let arrived: Vec<(String, Option<chrono::NaiveDateTime>)> = visits::table
                    .select((visits::request_id, visits::checked_in_at))
                    .load(c)?;
                let open_visits: Vec<String> = visits::table
                    .filter(visits::ended.is_null())
                    .inner_join(hr::table.on(hr::id.eq(visits::request_id)))
                    .filter(hr::status.eq("assigned"))
                    .select(visits::request_id)
                    .load(c)?;
                let unhelped: i64 = hr::table
                    .filter(hr::status.eq("assigned"))
                    .filter(hr::helper_id.is_null())
                    .count()
                    .get_result(c)?;
                let minutes: Vec<i32> = ledger_entries::table
                    .select(ledger_entries::minutes)
                    .load(c)?;
                let since_closing: i64 = hr::table
                    .inner_join(users::table.on(users::id.eq(hr::member_id)))
                    .filter(users::id.eq_any(&closed))
                    .filter(users::deactivated_at.is_not_null())
                    .filter(hr::created_at.gt(users::deactivated_at.assume_not_null()))
                    .count()
                    .get_result(c)?;
                use neighbourly::db::schema::offers;
                let offered: Vec<(
                    String,
                    chrono::NaiveDateTime,
                    chrono::NaiveDateTime,
                    chrono::NaiveDateTime,
                    i32,
                )> = offers::table
                    .inner_join(hr::table.on(hr::id.eq(offers::request_id)))
                    .select((
                        offers::id,
                        offers::created_at,
                        offers::expires_at,
                        hr::window_end,
                        hr::duration_minutes,
                    ))
                    .load(c)?;
                Ok((
                    done,
                    arrived,
                    open_visits,
                    unhelped,
                    minutes,
                    since_closing,
                    offered,
                ))
            })
            .await
            .unwrap();
        let (done, arrived, open_visits, unhelped, minutes, since_closing, offered) = found;
        let quiet = self.app.settings.quiet_hours();
        for (id, made, expires, window_end, duration) in &offered {
            let latest_start = *window_end - Duration::minutes((*duration).into());
            let cut_short = *expires >= latest_start || *expires <= *made + Duration::minutes(1);
            if quiet.is_quiet(expires.and_utc()) && !cut_short {
                self.fail(format!(
                    "offer {id}, made at {made}, runs out at {expires}, in quiet hours"
                ));
            }
        }
        for (id, completed_at, planned, window_start) in &done {
            let start = planned.unwrap_or(*window_start);
            let came = arrived
                .iter()
                .any(|(r, at)| r == id && at.is_some_and(|at| Some(at) <= *completed_at));
            if completed_at.is_some_and(|at| at < start) && !came {
                self.fail(format!(
                    "{id} was completed at {completed_at:?}, before {start}"
                ));
            }
        }
        let mut seen = HashSet::new();
        for id in &open_visits {
            if !seen.insert(id) {
                self.fail(format!("{id} has two helpers going"));
            }
        }
        if unhelped > 0 {
            self.fail(format!("{unhelped} assigned requests with no helper"));
        }
        let sum: i64 = minutes.iter().map(|m| i64::from(*m)).sum();
        if sum != 0 {
            self.fail(format!("the ledger sums to {sum}"));
        }
        if since_closing > 0 {
            self.fail(format!("{since_closing} requests asked for closed members"));
        }
        // A story only grows: the last few requests touched, read as a coordinator.
        let recent: Vec<String> = self
            .requests
            .iter()
            .rev()
            .take(3)
            .map(|(id, _)| id.clone())
            .collect();
        for id in recent {
            let story = self
                .app
                .get(
                    &format!("/api/v1/requests/{id}/timeline"),
                    Some(&self.coord.token),
                )
                .await
                .expect(200);
            let n = story["items"].as_array().unwrap().len();
            let before = self.stories.insert(id.clone(), n).unwrap_or(0);
            if n < before {
                self.fail(format!(
                    "the story of {id} lost entries: {before} then {n}: {story}"
                ));
            }
        }
    }
}
