//! The addresses emails point at: one-tap action links (a random token, kept only as its hash,
//! for one action on one offer or visit by one helper) and the app's pages (routes in
//! docs/app.md).

use chrono::NaiveDateTime;

use crate::auth::refresh;
use crate::config::Settings;
use crate::db::action_links::ActionLinkRow;
use crate::domain::LinkAction;

/// `{server.public_url}/app/{route}`: a page of the app.
pub fn app(settings: &Settings, route: &str) -> String {
    format!(
        "{}/app/{route}",
        settings.server.public_url.trim_end_matches('/')
    )
}

/// What a new link does, for whom, until when.
pub struct NewLink<'a> {
    pub action: LinkAction,
    pub offer_id: Option<&'a str>,
    pub request_id: &'a str,
    pub helper_id: &'a str,
    pub expires_at: NaiveDateTime,
}

/// A new link: its address (with the token, for the email only) and the row to keep.
pub fn mint(settings: &Settings, link: NewLink<'_>, now: NaiveDateTime) -> (String, ActionLinkRow) {
    let token = refresh::new_token();
    let row = ActionLinkRow {
        token_hash: refresh::hash(&token),
        action: link.action,
        offer_id: link.offer_id.map(str::to_string),
        request_id: link.request_id.to_string(),
        helper_id: link.helper_id.to_string(),
        expires_at: link.expires_at,
        used_at: None,
        created_at: now,
    };
    (app(settings, &format!("a/{token}")), row)
}
