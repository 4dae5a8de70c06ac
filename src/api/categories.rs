//! `GET /categories`: the kinds of help, each with the words a screen shows for it, so that a
//! client need not keep its own copy.

use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::Category;

/// One kind of help, as it is sent and as people read it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryWords {
    /// What the API takes and answers: `it_help`.
    pub category: Category,
    /// A heading or a label: "Phones and computers".
    #[schema(example = "Phones and computers")]
    pub label: &'static str,
    /// After "help with": "a computer or phone".
    #[schema(example = "a computer or phone")]
    pub in_words: &'static str,
}

/// Every kind of help, in the order screens list them. No sign-in needed.
#[utoipa::path(
    get, path = "/api/v1/categories", operation_id = "list_categories", tag = "requests",
    responses((status = 200, body = Vec<CategoryWords>))
)]
pub async fn list() -> HttpResponse {
    let all: Vec<CategoryWords> = Category::ALL
        .iter()
        .map(|&category| CategoryWords {
            category,
            label: category.label(),
            in_words: category.in_words(),
        })
        .collect();
    HttpResponse::Ok().json(all)
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/categories", actix_web::web::get().to(list));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(list))]
pub struct Operations;
