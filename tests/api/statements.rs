//! The reads the console and the app load most cost the same number of SQL statements however
//! long the page: the people of each event, a member's own sign-up to each, each series'
//! occurrences, why nobody fits each open request, the audit of each concern read, and the names
//! on list views. Diesel's instrumentation counts the statements each read runs (on its own
//! thread), once with a short page and once with a longer one.

use std::cell::Cell;

use chrono::Duration;
use diesel::connection::{set_default_instrumentation, Instrumentation, InstrumentationEvent};
use neighbourly::domain::{Caller, Role, UserId};
use neighbourly::service::{self, pagination::Paging, Services};
use serde_json::json;

use crate::harness::{Backend, TestApp, User};

thread_local! {
    static STATEMENTS: Cell<usize> = const { Cell::new(0) };
}

fn count_statements() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { .. } = event {
            STATEMENTS.with(|n| n.set(n.get() + 1));
        }
    }))
}

/// An app whose connections count their statements (every connection made from now on does).
async fn counting_app(backend: Backend) -> Option<TestApp> {
    set_default_instrumentation(count_statements).expect("instrumentation set");
    TestApp::spawn(backend).await
}

fn caller(user: &User, role: Role) -> Caller {
    Caller {
        id: UserId::from_string(user.id.clone()),
        role,
        on_behalf: None,
    }
}

fn page() -> Paging {
    Paging {
        limit: 50,
        after: None,
    }
}

/// The statements `read` ran, and how many items it answered.
async fn statements<F>(app: &TestApp, read: F) -> (usize, usize)
where
    F: FnOnce(&Services) -> service::Result<usize> + Send + 'static,
{
    app.state
        .run(move |svc| {
            let before = STATEMENTS.with(Cell::get);
            let items = read(svc)?;
            Ok((STATEMENTS.with(Cell::get) - before, items))
        })
        .await
        .unwrap()
}

/// Runs `read` with the page as it is, then after `grow`; the second page is longer and costs
/// the same statements.
async fn same_cost<F, G, Fut>(app: &TestApp, what: &str, read: F, grow: G)
where
    F: Fn(&Services) -> service::Result<usize> + Clone + Send + 'static,
    G: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (short_cost, short) = statements(app, read.clone()).await;
    grow().await;
    let (long_cost, long) = statements(app, read).await;
    assert!(
        long > short,
        "{what}: the page grew ({short} then {long} items)"
    );
    assert!(short_cost > 0, "{what}: statements are counted");
    assert_eq!(
        short_cost, long_cost,
        "{what}: {short} items took {short_cost} statements, {long} took {long_cost}"
    );
}

#[tokio::test]
async fn list_reads_do_not_grow_with_the_page_on_sqlite() {
    let app = counting_app(Backend::Sqlite).await.unwrap();
    list_reads_do_not_grow_with_the_page(app).await;
}

#[tokio::test]
async fn list_reads_do_not_grow_with_the_page_on_postgres() {
    if let Some(app) = counting_app(Backend::Postgres).await {
        list_reads_do_not_grow_with_the_page(app).await;
    }
}

async fn list_reads_do_not_grow_with_the_page(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let as_coord = caller(&coord, Role::Coordinator);
    let as_member = caller(&member, Role::Member);
    // Helpers near who cannot take anything (not yet vetted), so that nobody fits and each open
    // request says why.
    for _ in 0..2 {
        app.applicant().await;
    }

    // Events: two, then five, each with someone going and someone waiting.
    let others = [app.member().await, app.member().await];
    let add_events = |n: usize| {
        let (app, coord, member, others) = (&app, &coord, &member, &others);
        async move {
            for _ in 0..n {
                let id = crate::events::event(app, coord, Duration::days(3), 1).await;
                crate::events::sign_up(app, &others[0], &id, json!({"member_id": others[0].id}))
                    .await
                    .expect(201);
                crate::events::sign_up(app, member, &id, json!({"member_id": member.id}))
                    .await
                    .expect(201);
            }
        }
    };
    add_events(2).await;
    for (who, as_who) in [("coordinator", &as_coord), ("member", &as_member)] {
        let c = as_who.clone();
        let read = move |svc: &Services| {
            Ok(service::events::list(svc, &c, None, None, None, page())?
                .items
                .len())
        };
        same_cost(&app, &format!("events for a {who}"), read, || add_events(3)).await;
    }

    // Standing requests, each with its occurrences.
    let add_series = |n: usize| {
        let (app, member) = (&app, &member);
        async move {
            for _ in 0..n {
                app.post(
                    "/api/v1/series",
                    Some(&member.token),
                    crate::series::weekly_from_tomorrow(),
                )
                .await
                .expect(201);
            }
        }
    };
    add_series(1).await;
    for (who, as_who) in [("coordinator", &as_coord), ("member", &as_member)] {
        let c = as_who.clone();
        let read = move |svc: &Services| {
            Ok(
                service::series::list(svc, &c, service::series::SeriesOf::Everyone, page())?
                    .items
                    .len(),
            )
        };
        same_cost(&app, &format!("series for a {who}"), read, || add_series(2)).await;
    }

    // Open requests nobody fits, each with why (and the occurrences above among them).
    let add_requests = |n: usize| {
        let (app, member) = (&app, &member);
        async move {
            for _ in 0..n {
                let r = app.request(member).await;
                assert_eq!(r["status"], "open", "nobody fits: {r}");
            }
        }
    };
    add_requests(1).await;
    let c = as_coord.clone();
    let read = move |svc: &Services| {
        let items = service::requests::list_requests(
            svc,
            &c,
            &service::requests::RequestFilter {
                status: Some(neighbourly::domain::RequestStatus::Open),
                ..Default::default()
            },
            page(),
        )?
        .items;
        assert!(items
            .iter()
            .all(|r| r.excluded.as_ref().is_some_and(|e| !e.is_empty())));
        assert!(items.iter().all(|r| r.member_name.is_some()));
        Ok(items.len())
    };
    same_cost(&app, "open requests with why", read, || add_requests(3)).await;
    let c = as_member.clone();
    let read = move |svc: &Services| {
        Ok(
            service::requests::list_requests(svc, &c, &Default::default(), page())?
                .items
                .len(),
        )
    };
    same_cost(&app, "a member's requests", read, || add_requests(2)).await;

    // Concerns, each read audited.
    let add_concerns = |n: usize| {
        let (app, member) = (&app, &member);
        async move {
            for _ in 0..n {
                app.post(
                    "/api/v1/concerns",
                    Some(&member.token),
                    crate::concerns::concern_body(None, "routine"),
                )
                .await
                .expect(201);
            }
        }
    };
    add_concerns(1).await;
    let c = as_coord.clone();
    let read = move |svc: &Services| {
        Ok(service::concerns::list(svc, &c, None, None, page())?
            .items
            .len())
    };
    same_cost(&app, "concerns", read, || add_concerns(3)).await;
}
