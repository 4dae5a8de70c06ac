//! The OpenAPI 3 document, served at `/api/v1/openapi.json`.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{auth, health, helpers, matching, members, offers, reports, requests};
use crate::domain::availability::{TimeOff, TimeOffInput, WeeklySlot};
use crate::error::{FieldError, Problem};
use crate::service::{offers::OfferView, pagination, views};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Neighbourly API",
        version = "1",
        description = "Members ask for practical help; vetted local helpers take the job."
    ),
    paths(
        health::health,
        auth::login,
        auth::refresh_tokens,
        auth::logout,
        auth::me,
        members::create_member,
        members::get_member,
        members::block_helper,
        members::unblock_helper,
        helpers::create_helper,
        helpers::get_helper,
        helpers::put_availability,
        helpers::vet_helper,
        requests::create_request,
        requests::list_requests,
        requests::get_request,
        requests::cancel_request,
        requests::complete_request,
        requests::give_feedback,
        requests::assign_request,
        requests::candidates,
        offers::inbox,
        offers::accept,
        offers::decline,
        matching::run,
        reports::weekly,
        reports::send_weekly,
        reports::outbox,
    ),
    components(schemas(
        Problem,
        FieldError,
        WeeklySlot,
        TimeOff,
        TimeOffInput,
        views::MemberView,
        views::HelperView,
        views::RequestView,
        pagination::Page<views::RequestView>,
        pagination::Page<OfferView>,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Members, helpers and vetting"),
        (name = "auth", description = "Sign-in and tokens"),
        (name = "requests", description = "Help requests"),
        (name = "offers", description = "A helper's job inbox"),
        (name = "matching", description = "Batch matching runs"),
        (name = "reports", description = "The weekly report and the email outbox"),
        (name = "operations", description = "Health and the API document"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document for this service.
pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
