//! Finding people and changing their details: `GET /members?q=`, `PATCH /members/{id}`,
//! `GET /helpers?…`, `PATCH /helpers/{id}`, `GET /helpers/{id}/availability`.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Duration;
use serde::{Deserialize, Deserializer};
use utoipa::{IntoParams, ToSchema};

use super::extract::ApiJson;
use super::helpers::travel_km;
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::directory::{fold_term, HelperFilter};
use crate::domain::Invalid;
use crate::domain::{
    fields, Availability, Category, Channel, HelperId, Location, MemberId, MembershipState, Place,
    Validator, VettingStatus,
};
use crate::error::AppResult;
use crate::service::pagination::{Page, PageParams};
use crate::service::people::{self as uc, HelperChange, HelperQuery, MemberChange};
use crate::service::views::{EmergencyContact, HelperView, MemberView};

/// A field that may be absent (`None`), `null` (`Some(None)`) or a value.
pub(super) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A field that may be left out but, when sent, must hold a value.
pub(super) fn required_if_sent<T>(
    v: &mut Validator,
    field: &str,
    value: Option<Option<T>>,
) -> Option<T> {
    match value {
        Some(None) => {
            v.add(field, "cannot be removed; leave it out to keep it");
            None
        }
        Some(Some(x)) => Some(x),
        None => None,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberSearch {
    /// Part of a name, phone number (with or without spaces), email, address or postcode;
    /// case does not matter. Left out, every member, by name.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// How many, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
    /// Also members whose accounts are closed (deactivated or erased), each with `active: false`.
    /// Left out, they are not found: nobody can be acted for once their account is closed.
    pub include_closed: Option<bool>,
    /// Only members whose membership is `current` (not ended), `ending` (within four weeks),
    /// `ended`, or `none` (never had one).
    #[param(value_type = Option<MembershipState>)]
    pub membership: Option<String>,
}

fn csv_file(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CONTENT_TYPE,
            "text/csv; charset=utf-8",
        ))
        .body(body)
}

/// Find members, best match first: a coordinator taking a call. With `Accept: text/csv`, every
/// member found (up to 5,000, paging left aside) as a CSV file in words.
#[utoipa::path(
    get, path = "/api/v1/members", operation_id = "search_members", tag = "people",
    params(MemberSearch),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<MemberView>, description = "JSON; with Accept: text/csv, every member found as CSV in words: `Name,Phone,Email,Address,Membership,Account`"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search_members(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: AuthUser,
    q: web::Query<MemberSearch>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let csv = super::reports::wants_csv(&req);
    let paging = match csv {
        true => Ok(super::people_csv::all()),
        false => PageParams {
            limit: q.limit,
            cursor: q.cursor,
        }
        .parse_offset(),
    };
    let term = q.q.unwrap_or_default();
    let closed = q.include_closed.unwrap_or(false);
    let membership = match q
        .membership
        .as_deref()
        .map(MembershipState::parse)
        .transpose()
    {
        Ok(m) => m,
        Err(why) => return Err(Invalid::field("membership", why).into()),
    };
    let page = state
        .run_as(caller, move |svc, caller| {
            uc::search_members(svc, caller, &term, closed, membership, paging)
        })
        .await?;
    if csv {
        let today = state.services.now().date();
        return Ok(csv_file(super::people_csv::members(&page.items, today)));
    }
    Ok(HttpResponse::Ok().json(page))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MemberPatch {
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = super::schemas::name)]
    pub name: Option<Option<String>>,
    /// A new email; it cannot be removed.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = super::schemas::email)]
    pub email: Option<Option<String>>,
    /// `null` removes the phone number (not for a member without email).
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = super::schemas::optional_phone)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = super::schemas::address)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Location)]
    pub location: Option<Option<Location>>,
    /// A new home by postcode (a `location` given wins).
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = super::schemas::optional_postcode)]
    pub postcode: Option<Option<String>>,
    /// What a helper at the door needs to know ("deaf in the left ear: knock loudly"), shown to
    /// the assigned helper while the visit is theirs; `null` removes it.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = super::schemas::comment)]
    pub access_needs: Option<Option<String>>,
    /// Who to ring in an emergency (the member and coordinators see it); `null` removes it.
    #[serde(default, deserialize_with = "present")]
    pub emergency_contact: Option<Option<EmergencyInput>>,
    /// How to reach them, in order: 1 to 4 of `app`, `email`, `sms`, `phone_call`, none twice,
    /// each one their details allow; `null` goes back to what their details give.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<Channel>>, min_items = 1, max_items = 4)]
    pub contact_by: Option<Option<Vec<String>>>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EmergencyInput {
    #[schema(schema_with = super::schemas::name)]
    pub name: String,
    #[schema(example = "07700 900123")]
    pub phone: String,
    /// How they are related ("daughter", "neighbour").
    #[schema(max_length = 100)]
    pub relation: Option<String>,
}

/// Change a member's details: the member, or a coordinator for them. Fields left out stay.
#[utoipa::path(
    patch, path = "/api/v1/members/{id}", operation_id = "update_member", tag = "people",
    params(("id" = String, Path)),
    request_body = MemberPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, body = MemberView),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email belongs to another account", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_member(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<MemberId>,
    body: ApiJson<MemberPatch>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let change = parse_member_patch(body.value)?;
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::change_member(svc, caller, &id, change)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

fn parse_member_patch(input: MemberPatch) -> AppResult<MemberChange> {
    let mut v = Validator::new();
    let name = required_if_sent(&mut v, "name", input.name);
    let email = required_if_sent(&mut v, "email", input.email);
    let address = required_if_sent(&mut v, "address", input.address);
    let location = required_if_sent(&mut v, "location", input.location);
    let postcode = required_if_sent(&mut v, "postcode", input.postcode);
    let change = MemberChange {
        name: name.and_then(|n| v.check("name", fields::name(&n))),
        email: email.and_then(|e| v.check("email", fields::email(&e))),
        phone: check_phone(&mut v, input.phone),
        address: address.and_then(|a| v.check("address", fields::address(&a))),
        location: new_place(&mut v, "location", location, postcode),
        access_needs: input
            .access_needs
            .map(|needs| needs.and_then(|n| v.check("access_needs", fields::comment(&n)))),
        emergency_contact: input
            .emergency_contact
            .map(|e| e.and_then(|e| emergency(&mut v, e))),
        contact_by: check_route(&mut v, input.contact_by),
    };
    v.finish()?;
    Ok(change)
}

/// Who to ring in an emergency, each part checked.
fn emergency(v: &mut Validator, e: EmergencyInput) -> Option<EmergencyContact> {
    let name = v.check("emergency_contact.name", fields::name(&e.name));
    let phone = v.check("emergency_contact.phone", fields::phone(&e.phone));
    let relation = match e.relation {
        Some(r) => v
            .check("emergency_contact.relation", fields::name(&r))
            .map(Some),
        None => Some(None),
    };
    Some(EmergencyContact {
        name: name?,
        phone: phone?,
        relation: relation?,
    })
}

/// A new place from a patch: the position if sent (it wins), else the postcode, else none.
fn new_place(
    v: &mut Validator,
    location_field: &str,
    location: Option<Location>,
    postcode: Option<String>,
) -> Option<Place> {
    if location.is_none() && postcode.is_none() {
        return None;
    }
    super::places::parse_place(v, location_field, location, postcode.as_deref())
}

/// `null` goes back to the default; a list must name each way once.
fn check_route(
    v: &mut Validator,
    route: Option<Option<Vec<String>>>,
) -> Option<Option<Vec<Channel>>> {
    match route {
        None => None,
        Some(None) => Some(None),
        Some(Some(words)) => v
            .check("contact_by", crate::domain::contact::parse_route(&words))
            .map(Some),
    }
}

/// `null` removes the phone; a value must be a phone number.
fn check_phone(v: &mut Validator, phone: Option<Option<String>>) -> Option<Option<String>> {
    match phone {
        None => None,
        Some(None) => Some(None),
        Some(Some(p)) => v.check("phone", fields::phone(&p)).map(Some),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HelperSearch {
    /// Only helpers with this vetting status; `pending` is the queue of applications, oldest
    /// first.
    #[param(value_type = Option<VettingStatus>)]
    pub vetting: Option<String>,
    /// Only helpers who offer this kind of help.
    #[param(value_type = Option<Category>)]
    pub skill: Option<String>,
    /// Only approved helpers whose vetting runs out within this many days (or has run out),
    /// soonest first.
    #[param(minimum = 0, maximum = 366)]
    pub expiring_within_days: Option<i64>,
    /// `LAT,LON`: only helpers living within `within_km` of this place, nearest first.
    #[param(
        pattern = r"^-?[0-9]+(\.[0-9]+)?,-?[0-9]+(\.[0-9]+)?$",
        example = "51.5035,-0.09"
    )]
    pub near: Option<String>,
    /// With `near`: how far, more than 0 and at most 50 km (default 5).
    #[param(exclusive_minimum = 0.0, maximum = 50.0)]
    pub within_km: Option<f64>,
    /// Part of a name, phone number or email.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// How many, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
    /// Also helpers whose accounts are closed (deactivated or erased), each with
    /// `active: false`. Left out, they are not listed: none can be chosen or sent.
    pub include_closed: Option<bool>,
}

/// Default distance for `near` without `within_km`.
const DEFAULT_NEAR_KM: f64 = 5.0;

/// List helpers for coordinators: the vetting queue, by skill, expiring vetting, nearness, name.
#[utoipa::path(
    get, path = "/api/v1/helpers", operation_id = "list_helpers", tag = "people",
    params(HelperSearch),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<HelperView>, description = "JSON; with Accept: text/csv, every helper listed (up to 5,000, paging left aside) as CSV in words: `Name,Phone,Email,Vetting,Helps with,Travels up to (km),Account`"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_helpers(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: AuthUser,
    q: web::Query<HelperSearch>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let csv = super::reports::wants_csv(&req);
    let paging = match csv {
        true => Ok(super::people_csv::all()),
        false => PageParams {
            limit: q.limit,
            cursor: q.cursor.clone(),
        }
        .parse_offset(),
    };
    let query = parse_helper_search(q, state.services.now().date());
    let page = state
        .run_as(caller, move |svc, caller| {
            uc::list_helpers(svc, caller, query, paging)
        })
        .await?;
    if csv {
        return Ok(csv_file(super::people_csv::helpers(&page.items)));
    }
    Ok(HttpResponse::Ok().json(page))
}

fn parse_helper_search(q: HelperSearch, today: chrono::NaiveDate) -> Result<HelperQuery, Invalid> {
    let mut v = Validator::new();
    let vetting = v.check_opt("vetting", q.vetting.as_deref(), VettingStatus::parse);
    let skill = v.check_opt("skill", q.skill.as_deref(), Category::parse);
    let expiring_by = v.check_opt("expiring_within_days", q.expiring_within_days, |d| {
        if (0..=366).contains(&d) {
            Ok(today + Duration::days(d))
        } else {
            Err("must be between 0 and 366".into())
        }
    });
    let near = v.check_opt("near", q.near.as_deref(), parse_near);
    let within_km = v.check_opt("within_km", q.within_km, travel_km);
    if q.within_km.is_some() && q.near.is_none() {
        v.add("within_km", "needs `near`, the place to measure from");
    }
    let term = v.check_opt("q", q.q.as_deref(), |t| {
        if t.chars().count() <= 200 {
            Ok(fold_term(t))
        } else {
            Err("must be at most 200 characters".into())
        }
    });
    v.finish()?;
    crate::validated!(vetting, skill, expiring_by, near, within_km, term);
    let km = near.map(|_| within_km.unwrap_or(DEFAULT_NEAR_KM));
    Ok(HelperQuery {
        filter: HelperFilter {
            vetting,
            skill,
            expiring_by,
            near: near.zip(km),
            term,
            include_closed: q.include_closed.unwrap_or(false),
        },
        within_km: km,
    })
}

/// `LAT,LON` in degrees.
fn parse_near(s: &str) -> Result<Location, String> {
    let bad = || "must be LAT,LON in degrees, such as 51.5035,-0.09".to_string();
    let (lat, lon) = s.split_once(',').ok_or_else(bad)?;
    let lat: f64 = lat.trim().parse().map_err(|_| bad())?;
    let lon: f64 = lon.trim().parse().map_err(|_| bad())?;
    Location::parse(lat, lon).map_err(|_| bad())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct HelperPatch {
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = super::schemas::name)]
    pub name: Option<Option<String>>,
    /// `null` removes the phone number.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = super::schemas::optional_phone)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Location)]
    pub home: Option<Option<Location>>,
    /// A new home by postcode (a `home` given wins).
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = super::schemas::optional_postcode)]
    pub postcode: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Vec<Category>, min_items = 1)]
    pub skills: Option<Option<Vec<String>>>,
    /// More than 0, at most 50.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = f64, exclusive_minimum = 0.0, maximum = 50.0)]
    pub max_distance_km: Option<Option<f64>>,
    /// How to reach them, in order: 1 to 4 of `app`, `email`, `sms`, `phone_call`, none twice,
    /// each one their details allow; `null` goes back to what their details give.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<Channel>>, min_items = 1, max_items = 4)]
    pub contact_by: Option<Option<Vec<String>>>,
}

/// Change a helper's details: the helper, or a coordinator for them. The next match uses them.
#[utoipa::path(
    patch, path = "/api/v1/helpers/{id}", operation_id = "update_helper", tag = "people",
    params(("id" = String, Path)),
    request_body = HelperPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, body = HelperView),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_helper(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<HelperId>,
    body: ApiJson<HelperPatch>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let change = parse_helper_patch(body.value)?;
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::change_helper(svc, caller, &id, change)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

fn parse_helper_patch(input: HelperPatch) -> AppResult<HelperChange> {
    let mut v = Validator::new();
    let name = required_if_sent(&mut v, "name", input.name);
    let home = required_if_sent(&mut v, "home", input.home);
    let postcode = required_if_sent(&mut v, "postcode", input.postcode);
    let skills = required_if_sent(&mut v, "skills", input.skills);
    let km = required_if_sent(&mut v, "max_distance_km", input.max_distance_km);
    let change = HelperChange {
        name: name.and_then(|n| v.check("name", fields::name(&n))),
        phone: check_phone(&mut v, input.phone),
        home: new_place(&mut v, "home", home, postcode),
        skills: skills.and_then(|s| v.check("skills", Category::parse_skills(&s))),
        max_distance_km: km.and_then(|km| v.check("max_distance_km", travel_km(km))),
        contact_by: check_route(&mut v, input.contact_by),
    };
    v.finish()?;
    Ok(change)
}

/// A helper's weekly availability and time off (the shape the PUT takes).
#[utoipa::path(
    get, path = "/api/v1/helpers/{id}/availability", operation_id = "get_availability", tag = "people",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Availability),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_availability(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<HelperId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let availability = state
        .run_as(caller, move |svc, caller| {
            uc::availability(svc, caller, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(availability))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/members", actix_web::web::get().to(search_members));
    api.at("/members/{id}", actix_web::web::patch().to(update_member));
    api.at("/helpers", actix_web::web::get().to(list_helpers));
    api.at("/helpers/{id}", actix_web::web::patch().to(update_helper));
    api.at(
        "/helpers/{id}/availability",
        actix_web::web::get().to(get_availability),
    );
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    search_members,
    update_member,
    list_helpers,
    update_helper,
    get_availability
))]
pub struct Operations;
