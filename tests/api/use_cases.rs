//! The authorization matrix at the use-case level: every coordinators' use case refuses a member,
//! a helper and a family delegate itself, whatever its handler checked first; the command line may run the
//! reports. (The HTTP matrix is in `people.rs` and the resource modules.)

use neighbourly::domain::{
    Caller, ConcernId, HelperId, MemberId, MovementKind, Role, SeriesId, UserId, VettingDecision,
};
use neighbourly::service::{self, Error, Requester, Services};

use crate::harness::{Backend, TestApp};

fn forbidden<T: std::fmt::Debug>(what: &str, result: Result<T, Error>) {
    match result {
        Err(Error::Forbidden(_)) => {}
        other => panic!("{what}: expected Forbidden, got {other:?}"),
    }
}

/// Every coordinators-only use case, called as `caller` on someone else's things.
fn each_coordinator_use_case(
    svc: &Services,
    caller: &Caller,
    member: &MemberId,
    helper: &HelperId,
) {
    use service::pagination::{OffsetPaging, Paging};
    let page = || Paging {
        limit: 10,
        after: None,
    };
    let offset = || OffsetPaging {
        limit: 10,
        offset: 0,
    };
    let vetting = service::accounts::Vetting {
        decision: VettingDecision::Approved,
        expires_on: Some(chrono::Utc::now().date_naive() + chrono::Duration::days(300)),
        note: None,
    };
    forbidden(
        "vet_helper",
        service::accounts::vet_helper(svc, caller, helper, vetting),
    );
    let someone = UserId::from_string(helper.to_string());
    forbidden(
        "deactivate",
        service::access::deactivate(svc, caller, &someone, "why"),
    );
    forbidden(
        "reactivate",
        service::access::reactivate(svc, caller, &someone, None),
    );
    forbidden(
        "series::set_helper",
        service::series::set_helper(
            svc,
            caller,
            &SeriesId::from_string("s"),
            service::series::RegularChoice {
                helper: None,
                override_reason: None,
            },
        ),
    );
    let change = service::concerns::StatusChange {
        status: neighbourly::domain::ConcernStatus::Closed,
        note: "closing".into(),
        referred_to: None,
        reference: None,
        closure_reason: Some("done".into()),
        owner_id: None,
        review_on: None,
    };
    forbidden(
        "concerns::change_status",
        service::concerns::change_status(svc, caller, &ConcernId::from_string("c"), change),
    );
    forbidden(
        "run_batch",
        service::matching_runs::run_batch(svc, caller, true),
    );
    forbidden(
        "read_log",
        service::audit::read_log(svc, caller, None, None, page()),
    );
    forbidden(
        "search_members",
        service::people::search_members(svc, caller, "a", false, None, offset()),
    );
    forbidden(
        "list_helpers",
        service::people::list_helpers(
            svc,
            caller,
            neighbourly::service::people::HelperQuery::default(),
            offset(),
        ),
    );
    forbidden(
        "follow_ups",
        service::follow_ups::follow_ups(svc, caller, page()),
    );
    forbidden(
        "notes::mark_done",
        service::notes::mark_done(
            svc,
            caller,
            &neighbourly::domain::UserId::from_string("m"),
            &neighbourly::domain::NoteId::from_string("n"),
        ),
    );
    let week = service::reports::week_or_last(&svc.settings, None, svc.now());
    forbidden(
        "weekly_report",
        service::reports::weekly_report(svc, Requester::Person(caller), week),
    );
    forbidden(
        "send_weekly_report",
        service::reports::send_weekly_report(svc, Requester::Person(caller), week),
    );
    let credit = service::membership::NewMovement {
        kind: MovementKind::Credit,
        minutes: 600,
        amount_pence: Some(0),
        paid_by: None,
        note: None,
    };
    forbidden(
        "record_movement",
        service::membership::record_movement(svc, caller, member, credit, None),
    );
    let membership = service::membership::NewMembership {
        starts_on: Some(chrono::Utc::now().date_naive()),
        ends_on: Some(chrono::Utc::now().date_naive() + chrono::Duration::days(365)),
        fee_pence: 0,
        paid_by: None,
    };
    forbidden(
        "add_membership",
        service::membership::add_membership(svc, caller, member, membership, None),
    );
}

async fn use_cases_check_their_own_caller(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let member_id = MemberId::from_string(member.id.clone());
    let helper_id = HelperId::from_string(helper.id.clone());
    let svc = app.state.services.clone();
    tokio::task::spawn_blocking(move || {
        for caller in [
            Caller {
                id: UserId::from_string(member_id.to_string()),
                role: Role::Member,
                on_behalf: None,
            },
            Caller {
                id: UserId::from_string(helper_id.to_string()),
                role: Role::Helper,
                on_behalf: None,
            },
            // A family delegate, and one acting for the member with every right.
            Caller::new(UserId::from_string("a-delegate"), Role::Delegate),
            Caller::new(UserId::from_string("a-delegate"), Role::Delegate).for_member(
                member_id.as_str(),
                neighbourly::domain::delegation::Rights::new(
                    neighbourly::domain::Right::ALL.iter().copied(),
                ),
            ),
        ] {
            each_coordinator_use_case(&svc, &caller, &member_id, &helper_id);
        }
        // The outbox is the coordinators'; offers are the helpers' alone.
        let as_helper = Caller {
            id: UserId::from_string(helper_id.to_string()),
            role: Role::Helper,
            on_behalf: None,
        };
        forbidden(
            "outbox",
            service::reports::outbox(
                &svc,
                &as_helper,
                neighbourly::domain::OutboxStatus::Failed,
                10,
            ),
        );
        let as_member = Caller {
            id: UserId::from_string(member_id.to_string()),
            role: Role::Member,
            on_behalf: None,
        };
        let offer = neighbourly::domain::OfferId::from_string(String::from("someone's offer"));
        let page = service::pagination::Paging {
            limit: 10,
            after: None,
        };
        forbidden(
            "inbox",
            service::offers::inbox(&svc, &as_member, None, page),
        );
        forbidden(
            "accept_offer",
            service::offers::accept_offer(&svc, &as_member, &offer, false),
        );
        forbidden(
            "decline_offer",
            service::offers::decline_offer(&svc, &as_member, &offer),
        );
        // Standing requests: a member only for themselves, a helper never.
        let other = MemberId::from_string(uuid::Uuid::new_v4().to_string());
        for (caller, whose) in [
            (
                Caller {
                    id: UserId::from_string(member_id.to_string()),
                    role: Role::Member,
                    on_behalf: None,
                },
                &other,
            ),
            (
                Caller {
                    id: UserId::from_string(helper_id.to_string()),
                    role: Role::Helper,
                    on_behalf: None,
                },
                &member_id,
            ),
        ] {
            let new = service::series::NewSeries {
                member: whose.clone(),
                category: neighbourly::domain::Category::Shopping,
                description: "The weekly shop".into(),
                rhythm: neighbourly::domain::rhythm::Rhythm {
                    every_weeks: 1,
                    weekday: chrono::Weekday::Tue,
                    start_minute: 600,
                    end_minute: 720,
                    tz: chrono_tz::Europe::London,
                    starts_on: chrono::Utc::now().date_naive(),
                    ends_on: None,
                },
                duration_minutes: 60,
                location: None,
            };
            forbidden(
                "series::create",
                service::series::create(&svc, &caller, new, None),
            );
        }
        // The command line may read and send the report.
        let week = service::reports::week_or_last(&svc.settings, None, svc.now());
        service::reports::weekly_report(&svc, Requester::CommandLine, week).unwrap();
        service::reports::send_weekly_report(&svc, Requester::CommandLine, week).unwrap();
    })
    .await
    .unwrap();
}

mod use_cases_check_their_own_caller {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
        super::use_cases_check_their_own_caller(app).await;
    }

    #[tokio::test]
    async fn postgres() {
        if let Some(app) = TestApp::spawn(Backend::Postgres).await {
            super::use_cases_check_their_own_caller(app).await;
        }
    }
}
