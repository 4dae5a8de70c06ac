//! The addresses emails point at: one-tap action links (a random token, kept only as its hash,
//! for one action on one offer or visit by one helper) and the app's pages (routes in
//! docs/app.md). A four-digit code in a text is a link too: kept as the hash of the code with its
//! helper and action, so that a code is only ever looked up among one helper's own.

use chrono::NaiveDateTime;

use diesel::QueryResult;

use crate::auth::refresh;
use crate::config::Settings;
use crate::db::{self, action_links::ActionLinkRow, DbConnection};
use crate::domain::sms::TextCode;
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

/// What a text's code stands for: the code is short, so it only means something with its helper.
pub fn text_token(helper_id: &str, action: LinkAction, code: &TextCode) -> String {
    format!("text:{helper_id}:{}:{code}", action.as_str())
}

/// A code for a text to this helper, none of their codes kept now, and its links for `actions`
/// (`link.action` is not read).
pub fn mint_text(
    conn: &mut DbConnection,
    link: NewLink<'_>,
    actions: &[LinkAction],
    now: NaiveDateTime,
) -> QueryResult<(TextCode, Vec<ActionLinkRow>)> {
    let mut taken = Vec::new();
    let code = loop {
        let code = TextCode::draw(&taken);
        let mut kept = false;
        for action in LinkAction::ALL {
            let hash = refresh::hash(&text_token(link.helper_id, *action, &code));
            kept |= db::action_links::find(conn, &hash)?.is_some();
        }
        match kept {
            true => taken.push(code),
            false => break code,
        }
    };
    let rows = actions
        .iter()
        .map(|action| ActionLinkRow {
            token_hash: refresh::hash(&text_token(link.helper_id, *action, &code)),
            action: *action,
            offer_id: link.offer_id.map(str::to_string),
            request_id: link.request_id.to_string(),
            helper_id: link.helper_id.to_string(),
            expires_at: link.expires_at,
            used_at: None,
            created_at: now,
        })
        .collect();
    Ok((code, rows))
}
