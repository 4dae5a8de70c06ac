//! Family delegates, on both backends: a member invites her daughter by email; the daughter
//! accepts with a new account and asks for help for her mother, sees who is coming and the words
//! at the door, and is told by email; a helper with an account of their own accepts a see-only
//! invitation; a coordinator gives another person the account. Each right is held to exactly what
//! it gives, against every endpoint that touches the member and against another member; the audit
//! says "on behalf of"; a revoked delegate's next call is refused; an invitation works once, for
//! seven days.

use serde_json::{json, Value};

use crate::harness::{action, Backend, RawDb, TestApp, User, PASSWORD};
use crate::visits::assigned;

crate::on_both_backends!(backend: a_family_arranges_help_with_exactly_the_rights_given);

/// The token in the last invitation emailed to `to`.
async fn invitation_token(app: &TestApp, to: &str) -> String {
    crate::harness::token_in_email(app, to, "delegate_invitation", "/app/d/")
        .await
        .expect("an invitation email")
}

/// The kinds of the emails sent to `to`.
async fn kinds_to(app: &TestApp, to: &str) -> Vec<String> {
    let to = to.to_string();
    app.state
        .db(move |c| {
            let mails = neighbourly::db::outbox::for_recipient(c, &to)?;
            Ok(mails.iter().map(|m| m.kind.to_string()).collect())
        })
        .await
        .unwrap()
}

async fn invite(app: &TestApp, by: &User, member: &User, email: &str, can: Value) -> Value {
    app.post(
        &format!("/api/v1/members/{}/delegates", member.id),
        Some(&by.token),
        json!({"email": email, "name": "Sarah Okoye", "can": can}),
    )
    .await
    .expect(201)
}

/// The audit lines about `subject`.
async fn audit_of(app: &TestApp, coord: &User, subject: &str) -> Vec<Value> {
    app.get(
        &format!("/api/v1/audit?subject_id={subject}"),
        Some(&coord.token),
    )
    .await
    .expect(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

async fn a_family_arranges_help_with_exactly_the_rights_given(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let mum = app.member().await;
    let other_member = app.member().await;
    let helper = app.helper(&coord).await;
    let delegates = format!("/api/v1/members/{}/delegates", mum.id);

    // Inviting: the member for herself, or a coordinator; nobody else; checked values.
    let body = |email: &str, can: Value| json!({"email": email, "name": "Sarah Okoye", "can": can});
    for (bad, field) in [
        (body("sarah@example.org", json!([])), "can"),
        (body("sarah@example.org", json!(["sing"])), "can"),
        (body("sarah@example.org", json!(["ask", "ask"])), "can"),
        (body("not an email", json!(["ask"])), "email"),
        (body(&mum.email, json!(["ask"])), "email"),
        (
            json!({"email": "sarah@example.org", "name": "Sarah\u{202E}", "can": ["ask"]}),
            "name",
        ),
    ] {
        let r = app.post(&delegates, Some(&mum.token), bad).await;
        assert_eq!(r.fields(), vec![field.to_string()], "{:?}", r.body);
        r.expect(422);
    }
    let asked = body("sarah@example.org", json!(["ask", "see"]));
    app.post(&delegates, Some(&other_member.token), asked.clone())
        .await
        .expect(404);
    app.post(&delegates, Some(&helper.token), asked.clone())
        .await
        .expect(404);
    app.post(&delegates, None, asked.clone()).await.expect(401);
    let r = app
        .post(
            &delegates,
            Some(&mum.token),
            body("x@example.org", json!(["see", "account"])),
        )
        .await;
    assert_eq!(
        r.status.as_u16(),
        403,
        "only a coordinator gives the account"
    );

    let sarah_invited = invite(&app, &mum, &mum, "sarah@example.org", json!(["see", "ask"])).await;
    assert_eq!(sarah_invited["status"], "invited");
    assert_eq!(sarah_invited["can"], json!(["ask", "see"]));
    app.post(&delegates, Some(&mum.token), asked.clone())
        .await
        .expect(409);

    // The link: what it asks, then a new account accepting it, once.
    let token = invitation_token(&app, "sarah@example.org").await;
    let seen = app
        .get(&format!("/api/v1/delegate-invitations/{token}"), None)
        .await
        .expect(200);
    assert_eq!(seen["member_name"], "Ada Member");
    app.get("/api/v1/delegate-invitations/not-a-token", None)
        .await
        .expect(404);
    let accept = format!("/api/v1/delegate-invitations/{token}/accept");
    let r = app.post(&accept, None, json!({})).await;
    assert_eq!(r.fields(), vec!["password".to_string()]);
    r.expect(422);
    let r = app.post(&accept, None, json!({"password": "short"})).await;
    assert_eq!(r.status.as_u16(), 422);
    let accepted = app
        .post(&accept, None, json!({"password": PASSWORD}))
        .await
        .expect(200);
    assert_eq!(accepted["member"]["id"], mum.id.as_str());
    assert_eq!(accepted["can"], json!(["ask", "see"]));
    app.post(&accept, None, json!({"password": PASSWORD}))
        .await
        .expect(410);
    let sarah = app
        .login_user(String::new(), "sarah@example.org".into())
        .await;
    let me = app.get("/api/v1/me", Some(&sarah.token)).await.expect(200);
    assert_eq!(me["role"], "delegate");
    assert_eq!(me["acts_for"][0]["member"]["name"], "Ada Member");
    let sarah = User {
        id: me["id"].as_str().unwrap().to_string(),
        ..sarah
    };

    // A helper with an account of their own is asked to see only; a coordinator gives a third
    // person the account only.
    invite(&app, &coord, &mum, &helper.email, json!(["see"])).await;
    let t = invitation_token(&app, &helper.email).await;
    let r = app
        .post(
            &format!("/api/v1/delegate-invitations/{t}/accept"),
            None,
            json!({"password": PASSWORD}),
        )
        .await;
    assert_eq!(
        r.status.as_u16(),
        409,
        "the email has an account: sign in first"
    );
    app.post(
        &format!("/api/v1/delegate-invitations/{t}/accept"),
        Some(&mum.token),
        json!({}),
    )
    .await
    .expect(409);
    app.post(
        &format!("/api/v1/delegate-invitations/{t}/accept"),
        Some(&helper.token),
        json!({}),
    )
    .await
    .expect(200);
    let watcher = &helper;
    invite(
        &app,
        &coord,
        &mum,
        "accounts@example.org",
        json!(["account"]),
    )
    .await;
    let t = invitation_token(&app, "accounts@example.org").await;
    app.post(
        &format!("/api/v1/delegate-invitations/{t}/accept"),
        None,
        json!({"password": PASSWORD}),
    )
    .await
    .expect(200);
    let keeper = app
        .login_user(String::new(), "accounts@example.org".into())
        .await;

    // Sarah (ask, see) asks for help for her mother: the request is Mum's, asked by Sarah, and
    // the audit says on whose behalf.
    let mut ask = TestApp::request_body("shopping");
    ask["member_id"] = json!(mum.id);
    let made = app
        .post("/api/v1/requests", Some(&sarah.token), ask.clone())
        .await
        .expect(201);
    let asked_id = made["id"].as_str().unwrap().to_string();
    assert_eq!(made["member_id"], mum.id.as_str());
    let line = audit_of(&app, &coord, &asked_id).await;
    let line = line
        .iter()
        .find(|l| l["action"] == "request.asked")
        .expect("audited");
    assert_eq!(line["actor_id"], sarah.id.as_str());
    assert_eq!(line["on_behalf_of"], mum.id.as_str());
    let mut for_other = ask.clone();
    for_other["member_id"] = json!(other_member.id);
    app.post("/api/v1/requests", Some(&sarah.token), for_other)
        .await
        .expect(403);
    for who in [watcher, &keeper] {
        app.post("/api/v1/requests", Some(&who.token), ask.clone())
            .await
            .expect(403);
    }

    // Reading Mum's requests: with ask or see; never another member's; never without a member.
    let list = format!("/api/v1/requests?member_id={}", mum.id);
    for who in [&sarah, watcher] {
        let page = app.get(&list, Some(&who.token)).await.expect(200);
        assert!(page["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == asked_id.as_str()));
    }
    app.get(&list, Some(&keeper.token)).await.expect(403);
    app.get(
        &format!("/api/v1/requests?member_id={}", other_member.id),
        Some(&sarah.token),
    )
    .await
    .expect(403);
    app.get("/api/v1/requests", Some(&sarah.token))
        .await
        .expect(422);
    let one = format!("/api/v1/requests/{asked_id}");
    let view = app.get(&one, Some(&sarah.token)).await.expect(200);
    assert_eq!(action(&view, "cancel")["allowed"], true);
    let view = app.get(&one, Some(&watcher.token)).await.expect(200);
    assert!(
        view["actions"].as_array().unwrap().is_empty(),
        "see only: no buttons"
    );
    app.get(&one, Some(&keeper.token)).await.expect(403);
    let others = app.request(&other_member).await;
    let others = format!("/api/v1/requests/{}", others["id"].as_str().unwrap());
    for who in [&sarah, watcher, &keeper] {
        app.get(&others, Some(&who.token)).await.expect(404);
    }

    // The account: only with `account`. Concerns, exports and the member's own tokens: never.
    let account = format!("/api/v1/members/{}/account", mum.id);
    let profile = format!("/api/v1/members/{}", mum.id);
    for who in [&sarah, watcher] {
        app.get(&account, Some(&who.token)).await.expect(403);
        app.get(&profile, Some(&who.token)).await.expect(403);
    }
    app.get(&account, Some(&keeper.token)).await.expect(200);
    assert_eq!(
        app.get(&profile, Some(&keeper.token)).await.expect(200)["id"],
        mum.id.as_str()
    );
    app.get(
        &format!("/api/v1/members/{}/account", other_member.id),
        Some(&keeper.token),
    )
    .await
    .expect(404);
    app.post(
        "/api/v1/concerns",
        Some(&mum.token),
        crate::concerns::concern_body(Some(&helper.id), "routine"),
    )
    .await
    .expect(201);
    for who in [&sarah, &keeper] {
        let concerns = app
            .get("/api/v1/concerns", Some(&who.token))
            .await
            .expect(200);
        assert_eq!(
            concerns["items"],
            json!([]),
            "Mum's concern is not theirs to read"
        );
        let export = app
            .get(
                &format!("/api/v1/users/{}/export", mum.id),
                Some(&who.token),
            )
            .await
            .status
            .as_u16();
        assert!(matches!(export, 403 | 404), "{export}");
        app.get(&delegates, Some(&who.token)).await.expect(404);
    }

    // A visit with a helper: the same words for Mum, Sarah and the watcher; Sarah is emailed who
    // is coming, and that it was done.
    let doer = app.helper(&coord).await;
    let (visit, _) = assigned(&app, &mum, &doer, 3).await;
    let door = format!("/api/v1/requests/{visit}/doorstep");
    let words = app.get(&door, Some(&mum.token)).await.expect(200)["words"].clone();
    for who in [&sarah, watcher] {
        assert_eq!(
            app.get(&door, Some(&who.token)).await.expect(200)["words"],
            words
        );
    }
    app.get(&door, Some(&keeper.token)).await.expect(403);
    app.get(&door, Some(&other_member.token)).await.expect(404);
    assert!(kinds_to(&app, "sarah@example.org")
        .await
        .contains(&"helper_coming".to_string()));
    assert!(!kinds_to(&app, "accounts@example.org")
        .await
        .contains(&"helper_coming".to_string()));

    // See only cannot cancel; Sarah can, and the audit says she did it for Mum.
    let cancel = format!("/api/v1/requests/{asked_id}/cancel");
    app.post(&cancel, Some(&watcher.token), json!({}))
        .await
        .expect(403);
    app.post(&cancel, Some(&keeper.token), json!({}))
        .await
        .expect(403);
    let cancelled = app
        .post(
            &cancel,
            Some(&sarah.token),
            json!({"reason": "Mum is staying with me"}),
        )
        .await
        .expect(200);
    assert_eq!(cancelled["status"], "cancelled");
    let lines = audit_of(&app, &coord, &asked_id).await;
    let line = lines
        .iter()
        .find(|l| l["action"] == "request.cancelled")
        .unwrap();
    assert_eq!(
        (line["actor_id"].as_str(), line["on_behalf_of"].as_str()),
        (Some(sarah.id.as_str()), Some(mum.id.as_str()))
    );

    // The helper is running late: Sarah is told at once, as Mum is.
    let planned = crate::doorstep::planned_start(&app, &visit, &mum.token).await;
    app.travel(planned - chrono::Duration::minutes(30) - app.clock.now());
    app.post(
        &format!("/api/v1/requests/{visit}/running-late"),
        Some(&doer.token),
        json!({"minutes": 15}),
    )
    .await
    .expect(200);
    assert!(kinds_to(&app, "sarah@example.org")
        .await
        .contains(&"running_late".to_string()));
    assert!(!kinds_to(&app, "accounts@example.org")
        .await
        .contains(&"running_late".to_string()));

    // The visit happens; Sarah hears it was done.
    app.travel(chrono::Duration::hours(3));
    app.post(
        &format!("/api/v1/requests/{visit}/complete"),
        Some(&doer.token),
        json!({"minutes_spent": 60}),
    )
    .await
    .expect(200);
    assert!(kinds_to(&app, "sarah@example.org")
        .await
        .contains(&"visit_done".to_string()));

    // Mum lists and stops them: Sarah's next call is refused, and she no longer acts for her.
    let listed = app.get(&delegates, Some(&mum.token)).await.expect(200);
    assert_eq!(listed.as_array().unwrap().len(), 3);
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["status"] == "active"));
    app.get(&delegates, Some(&other_member.token))
        .await
        .expect(404);
    let sarah_row = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["email"] == "sarah@example.org")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.call(
        reqwest::Method::DELETE,
        &format!("{delegates}/{sarah_row}"),
        Some(&other_member.token),
        None,
    )
    .await
    .expect(404);
    app.call(
        reqwest::Method::DELETE,
        &format!("{delegates}/{sarah_row}"),
        Some(&mum.token),
        None,
    )
    .await
    .expect(204);
    app.get(&one, Some(&sarah.token)).await.expect(404);
    app.get(&list, Some(&sarah.token)).await.expect(403);
    app.post("/api/v1/requests", Some(&sarah.token), ask.clone())
        .await
        .expect(403);
    let me = app.get("/api/v1/me", Some(&sarah.token)).await.expect(200);
    assert_eq!(me["acts_for"], json!([]));
    let removed = audit_of(&app, &coord, &mum.id).await;
    assert!(removed.iter().any(|l| l["action"] == "delegate.removed"));

    // An invitation works for seven days.
    invite(&app, &mum, &mum, "late@example.org", json!(["see"])).await;
    let t = invitation_token(&app, "late@example.org").await;
    app.travel(chrono::Duration::days(8));
    app.get(&format!("/api/v1/delegate-invitations/{t}"), None)
        .await
        .expect(410);
    app.post(
        &format!("/api/v1/delegate-invitations/{t}/accept"),
        None,
        json!({"password": PASSWORD}),
    )
    .await
    .expect(410);
    let listed = app.get(&delegates, Some(&mum.token)).await.expect(200);
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["status"] == "expired"));
}

crate::on_both_backends!(backend: each_combination_of_rights_against_every_endpoint_of_the_member);

/// What a delegate with `can` gets from an endpoint that needs `needs` (any one of them): the
/// status when allowed, else 403. An endpoint needing nothing that can be given is `&[]`.
fn expected(can: &[&str], needs: &[&str], allowed: u16) -> u16 {
    match needs.iter().any(|n| can.contains(n)) {
        true => allowed,
        false => 403,
    }
}

async fn each_combination_of_rights_against_every_endpoint_of_the_member(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let mum = app.member().await;
    let other = app.member().await;
    let doer = app.helper(&coord).await;
    let (visit, _) = assigned(&app, &mum, &doer, 3).await;
    let (others_visit, _) = assigned(&app, &other, &doer, 4).await;
    let event = crate::events::event(&app, &coord, chrono::Duration::days(5), 20).await;
    crate::photos::put_photo(&app, &coord, &doer.id).await;
    let combinations: [&[&str]; 7] = [
        &["ask"],
        &["see"],
        &["account"],
        &["ask", "see"],
        &["ask", "account"],
        &["see", "account"],
        &["ask", "see", "account"],
    ];
    for (n, can) in combinations.iter().enumerate() {
        let email = format!("family{n}@example.org");
        invite(&app, &coord, &mum, &email, json!(can)).await;
        let t = invitation_token(&app, &email).await;
        app.post(
            &format!("/api/v1/delegate-invitations/{t}/accept"),
            None,
            json!({"password": PASSWORD}),
        )
        .await
        .expect(200);
        let d = app.login_user(String::new(), email.clone()).await;
        let token = Some(d.token.as_str());
        let whose = |m: &User, visit: &str| {
            let mut ask = TestApp::request_body("shopping");
            ask["member_id"] = json!(m.id);
            vec![
                (
                    "GET",
                    format!("/api/v1/requests?member_id={}", m.id),
                    None,
                    &["ask", "see"][..],
                    200,
                ),
                (
                    "GET",
                    format!("/api/v1/requests/{visit}"),
                    None,
                    &["ask", "see"][..],
                    200,
                ),
                (
                    "GET",
                    format!("/api/v1/requests/{visit}/doorstep"),
                    None,
                    &["see"][..],
                    200,
                ),
                (
                    "GET",
                    format!("/api/v1/events?member_id={}", m.id),
                    None,
                    &["see"][..],
                    200,
                ),
                (
                    "POST",
                    "/api/v1/requests".to_string(),
                    Some(ask),
                    &["ask"][..],
                    201,
                ),
                // Feedback before the visit: allowed to try, refused for the time (409).
                (
                    "POST",
                    format!("/api/v1/requests/{visit}/feedback"),
                    Some(json!({"rating": 5})),
                    &["ask"][..],
                    409,
                ),
                (
                    "GET",
                    format!("/api/v1/members/{}/account", m.id),
                    None,
                    &["account"][..],
                    200,
                ),
                (
                    "GET",
                    format!("/api/v1/members/{}", m.id),
                    None,
                    &["account"][..],
                    200,
                ),
                (
                    "PATCH",
                    format!("/api/v1/members/{}", m.id),
                    Some(json!({"access_needs": "Knock loudly"})),
                    &["account"][..],
                    200,
                ),
                // Nobody came: allowed to try, refused for the time (409).
                (
                    "POST",
                    format!("/api/v1/requests/{visit}/no-show"),
                    Some(json!({})),
                    &["ask"][..],
                    409,
                ),
                // Signing up for an event, then off again (so that the next one starts afresh).
                (
                    "POST",
                    format!("/api/v1/events/{event}/signups"),
                    Some(json!({"member_id": m.id})),
                    &["ask"][..],
                    201,
                ),
                (
                    "DELETE",
                    format!("/api/v1/events/{event}/signups/{}", m.id),
                    None,
                    &["ask"][..],
                    204,
                ),
                // Never a delegate's: managing delegates, the member's data, standing requests,
                // blocking helpers, concerns about them.
                (
                    "GET",
                    format!("/api/v1/members/{}/delegates", m.id),
                    None,
                    &[][..],
                    0,
                ),
                (
                    "POST",
                    format!("/api/v1/members/{}/delegates", m.id),
                    Some(json!({"email": "x@example.org", "name": "X", "can": ["see"]})),
                    &[][..],
                    0,
                ),
                (
                    "GET",
                    format!("/api/v1/users/{}/export", m.id),
                    None,
                    &[][..],
                    0,
                ),
                (
                    "POST",
                    format!("/api/v1/members/{}/blocks", m.id),
                    Some(json!({"helper_id": doer.id})),
                    &[][..],
                    0,
                ),
                (
                    "GET",
                    format!("/api/v1/series?member_id={}", m.id),
                    None,
                    &[][..],
                    0,
                ),
            ]
        };
        for (method, path, body, needs, allowed) in whose(&mum, &visit) {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let got = app
                .call(method.clone(), &path, token, body)
                .await
                .status
                .as_u16();
            let want = expected(can, needs, allowed);
            match needs.is_empty() {
                true => assert!(matches!(got, 403 | 404), "{can:?} {method} {path}: {got}"),
                false => assert_eq!(got, want, "{can:?} {method} {path}"),
            }
        }
        // The helper's photo: those who see the member's visits see it; to others it is not there.
        let photo = app
            .get(&format!("/api/v1/helpers/{}/photo", doer.id), token)
            .await
            .status
            .as_u16();
        assert_eq!(
            photo,
            if can.contains(&"see") { 200 } else { 404 },
            "{can:?} photo"
        );
        for (method, path, body, _, _) in whose(&other, &others_visit) {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let got = app
                .call(method.clone(), &path, token, body)
                .await
                .status
                .as_u16();
            assert!(
                matches!(got, 403 | 404),
                "{can:?} {method} {path} of another member: {got}"
            );
        }
    }
}

/// In the app at phone size (Chromium): the daughter opens the emailed link, says yes with a new
/// password, asks for help for her mother, sees who is coming and the words at the door, and
/// switches to the other person she helps. Then the same screens at laptop width.
#[tokio::test]
async fn a_daughter_arranges_help_for_her_mother_from_her_own_phone() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let coord = app.coordinator().await;
    let mum = app.member().await;
    let mut body = TestApp::member_body("bea@example.org");
    body["name"] = json!("Bea Okoye");
    let aunt = app.post("/api/v1/members", None, body).await.expect(201);
    let aunt = app
        .login_user(
            aunt["id"].as_str().unwrap().to_string(),
            "bea@example.org".into(),
        )
        .await;
    let helper = app.helper(&coord).await;
    invite(&app, &mum, &mum, "sarah@example.org", json!(["ask", "see"])).await;
    let token = invitation_token(&app, "sarah@example.org").await;
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let mum_email = mum.email.clone();
    let (mum_after, aunt_after) = (mum.clone(), aunt.clone());
    let app = std::sync::Arc::new(app);
    let shared = app.clone();
    browser
        .run("app-family-phone", |c, base| async move {
            use crate::browser::{
                assert_accessible, keep_screenshot, press_button, type_into, wait_for_text,
            };
            let app = shared;
            c.goto(&format!("{base}/app/d/{token}")).await.unwrap();
            wait_for_text(&c, "main h1", "Help Ada Member arrange their visits").await;
            wait_for_text(&c, "main", "see who is coming to their door").await;
            keep_screenshot(&c, "app-family-invitation-phone").await;
            assert_accessible(&c, "a family invitation").await;
            type_into(&c, "A password (at least 10 letters or numbers)", PASSWORD).await;
            press_button(&c, "Yes, I will help").await;
            wait_for_text(&c, "main h1", "You are helping Ada Member").await;

            // Asking for Mum: the request is hers.
            press_button_link(&c, "Ask for help for Ada").await;
            wait_for_text(&c, "main h1", "Ask for help for Ada").await;
            type_into(
                &c,
                "What needs doing?",
                "Her weekly shop from the list on the fridge",
            )
            .await;
            press_button(&c, "Ask for this help").await;
            wait_for_text(&c, "main .message", "we are asking helpers nearby").await;
            let mine = app
                .get(
                    &format!("/api/v1/requests?member_id={}", mum.id),
                    Some(&mum.token),
                )
                .await
                .expect(200);
            assert!(mine["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["description"] == "Her weekly shop from the list on the fridge"));

            // A helper is going: who, when, and the words at Mum's door; and Mum's coffee morning.
            let (visit, _) = assigned(&app, &mum, &helper, 2).await;
            let event = crate::events::event(&app, &coord, chrono::Duration::days(4), 20).await;
            app.post(
                &format!("/api/v1/events/{event}/signups"),
                Some(&mum.token),
                json!({"needs_lift": false}),
            )
            .await
            .expect(201);
            let words = crate::doorstep::words_of(&app, &visit, &mum.token).await;
            c.goto(&format!("{base}/app/#/family")).await.unwrap();
            c.refresh().await.unwrap();
            let door = wait_for_text(
                &c,
                "main .doorstep",
                "When Hal comes to Ada's door, they will say:",
            )
            .await;
            assert!(door.text().await.unwrap().contains(&words));
            wait_for_text(
                &c,
                "main ul[aria-label='Get-togethers Ada is going to']",
                "Ada is going.",
            )
            .await;
            keep_screenshot(&c, "app-family-phone").await;
            assert_accessible(&c, "a daughter's view of her mother's help").await;

            // Her aunt asks her too; she accepts signed in, and switches between them.
            invite(&app, &aunt, &aunt, "sarah@example.org", json!(["see"])).await;
            let second = invitation_token(&app, "sarah@example.org").await;
            c.goto(&format!("{base}/app/d/{second}")).await.unwrap();
            wait_for_text(&c, "main h1", "Help Bea Okoye arrange their visits").await;
            press_button(&c, "Yes, I will help").await;
            wait_for_text(&c, "main h1", "You are helping").await;
            // The last person helped is shown first; the switch goes to the other.
            wait_for_text(&c, "main h1", "You are helping Ada Member").await;
            press_button(&c, "Switch to Bea Okoye").await;
            wait_for_text(&c, "main h1", "You are helping Bea Okoye").await;
            wait_for_text(&c, "main", "Bea has no help arranged just now.").await;
            keep_screenshot(&c, "app-family-switch-phone").await;
            press_button(&c, "Switch to Ada Member").await;
            wait_for_text(&c, "main h1", "You are helping Ada Member").await;
        })
        .await;

    // Mum keeps an eye on her sister's visits too: her own first screen says so.
    invite(
        &app,
        &aunt_after,
        &aunt_after,
        &mum_after.email,
        json!(["see"]),
    )
    .await;
    let t = invitation_token(&app, &mum_after.email).await;
    app.post(
        &format!("/api/v1/delegate-invitations/{t}/accept"),
        Some(&mum_after.token),
        json!({}),
    )
    .await
    .expect(200);

    // At laptop width: the daughter's screen and her mother's, the same single column.
    let Some(laptop) = crate::browser::Browser::start(&app.address).await else {
        return;
    };
    laptop
        .run("app-family-laptop", |c, base| async move {
            use crate::browser::{keep_screenshot, labelled, press_button, wait_for_text};
            c.goto(&format!("{base}/app/")).await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
            labelled(&c, "Your email")
                .await
                .send_keys("sarah@example.org")
                .await
                .unwrap();
            labelled(&c, "Your password")
                .await
                .send_keys(PASSWORD)
                .await
                .unwrap();
            press_button(&c, "Sign in").await;
            wait_for_text(&c, "main .doorstep", "When Hal comes to Ada's door").await;
            keep_screenshot(&c, "app-family-laptop").await;
            c.execute("sessionStorage.clear(); localStorage.clear();", vec![])
                .await
                .unwrap();
            c.delete_all_cookies().await.unwrap();
            crate::app::sign_in(&c, &base, &mum_email).await;
            wait_for_text(&c, "main .doorstep", "When Hal comes to your door").await;
            keep_screenshot(&c, "app-doorstep-member-laptop").await;
            c.wait()
                .at_most(std::time::Duration::from_secs(20))
                .for_element(fantoccini::Locator::XPath(
                    "//a[normalize-space(.)='Helping Bea Okoye']",
                ))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "You are helping Bea Okoye").await;
        })
        .await;
}

/// Follow a link drawn as a button, by its words.
async fn press_button_link(c: &fantoccini::Client, text: &str) {
    let xpath = format!("//a[normalize-space(.)='{text}']");
    c.wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(fantoccini::Locator::XPath(&xpath))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// In the console (Chromium, laptop width): a coordinator, with a member on the phone, invites
/// her son with the account too, sees him say yes, and stops him, asked first.
#[tokio::test]
async fn a_coordinator_adds_and_stops_a_members_family_helper_in_the_console() {
    use crate::browser::{assert_accessible, button, keep_screenshot, labelled, wait_for_text};
    let Some((app, browser)) = crate::console::app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    let (coord_email, member_id) = (coord.email.clone(), member.id.clone());
    let app = std::sync::Arc::new(app);
    let shared = app.clone();
    browser
        .run("console-delegates", |c, base| async move {
            let app = shared;
            crate::console::sign_in(&c, &base, &coord_email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/account/{member_id}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h2", "Family and friends who help").await;
            wait_for_text(&c, "main ul[aria-label^='People who help']", "Nobody yet.").await;
            labelled(&c, "Their name")
                .await
                .send_keys("Tom Member")
                .await
                .unwrap();
            labelled(&c, "Their email")
                .await
                .send_keys("tom@example.org")
                .await
                .unwrap();
            c.find(fantoccini::Locator::XPath(
                "//label[normalize-space(.)='See their hours and membership']",
            ))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
            button(&c, "Send the invitation")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(
                &c,
                "[role=status]",
                "An invitation has gone to tom@example.org",
            )
            .await;
            wait_for_text(
                &c,
                "main ul[aria-label^='People who help'] li",
                "Invited, not yet said yes",
            )
            .await;
            wait_for_text(
                &c,
                "main ul[aria-label^='People who help'] li",
                "See their hours and membership",
            )
            .await;

            let t = invitation_token(&app, "tom@example.org").await;
            let accepted = app
                .post(
                    &format!("/api/v1/delegate-invitations/{t}/accept"),
                    None,
                    json!({"password": PASSWORD}),
                )
                .await
                .expect(200);
            assert_eq!(accepted["can"], json!(["ask", "see", "account"]));
            c.refresh().await.unwrap();
            wait_for_text(&c, "main ul[aria-label^='People who help'] li", "Helping").await;
            c.execute(
                "[...document.querySelectorAll('main h2')].find((e) => e.textContent === 'Family and friends who help').scrollIntoView()",
                vec![],
            )
            .await
            .unwrap();
            keep_screenshot(&c, "console-delegates").await;
            assert_accessible(&c, "a member's family helpers").await;
            button(&c, "Stop their access").await.click().await.unwrap();
            button(&c, "Yes, stop it").await.click().await.unwrap();
            wait_for_text(
                &c,
                "[role=status]",
                "Tom Member no longer acts for Ada Member.",
            )
            .await;
            wait_for_text(&c, "main ul[aria-label^='People who help']", "Nobody yet.").await;
        })
        .await;
    let left = app
        .get(
            &format!("/api/v1/members/{}/delegates", member.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(left, json!([]));
}

crate::on_both_backends!(backend: two_at_once_one_wins);

/// Two invitations of one email at once: one is made, the other told it is there; one link
/// accepted twice at once: one account, the other told it was used.
async fn two_at_once_one_wins(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let mum = app.member().await;
    let path = format!("/api/v1/members/{}/delegates", mum.id);
    let body = json!({"email": "twice@example.org", "name": "Sarah Okoye", "can": ["see"]});
    let (a, b) = tokio::join!(
        app.post(&path, Some(&mum.token), body.clone()),
        app.post(&path, Some(&mum.token), body.clone()),
    );
    let mut got = [a.status.as_u16(), b.status.as_u16()];
    got.sort();
    assert_eq!(got, [201, 409]);
    let listed = app.get(&path, Some(&mum.token)).await.expect(200);
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let t = invitation_token(&app, "twice@example.org").await;
    let accept = format!("/api/v1/delegate-invitations/{t}/accept");
    let (a, b) = tokio::join!(
        app.post(&accept, None, json!({"password": PASSWORD})),
        app.post(&accept, None, json!({"password": PASSWORD})),
    );
    let mut got = [a.status.as_u16(), b.status.as_u16()];
    got.sort();
    assert!(matches!(got, [200, 409] | [200, 410]), "{got:?}");
    let listed = app.get(&path, Some(&mum.token)).await.expect(200);
    assert_eq!(listed[0]["status"], "active");
}
