//! Finding people: the filters a coordinator lists helpers by, and search terms folded the way
//! the database folds names, phones and emails: accented Latin letters as their plain letter,
//! lower case, no spaces or hyphens ("Ünal" and "UNAL" find each other, "ÉDITH" finds "Édith").
//! SQLite folds with [`fold_text`] itself (a function each connection registers); PostgreSQL with
//! the `fold` function of migration 000018, which translates [`FOLD_FROM`] to [`FOLD_TO`].

use chrono::NaiveDate;

use super::{Category, Location, VettingStatus};

/// Accented Latin letters (Latin-1 and Latin Extended-A and -B) …
pub const FOLD_FROM: &str = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳØøĐđŁłĦħıŦŧÐðÞþ";
/// … and the plain letter each stands for, in the same order.
pub const FOLD_TO: &str = "aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzsoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyooddllhhittddtt";

/// Text as the database compares it: accents off, lower case, no spaces or hyphens.
pub fn fold_text(text: &str) -> String {
    text.chars()
        .map(|c| match FOLD_FROM.chars().position(|f| f == c) {
            Some(i) => FOLD_TO.chars().nth(i).unwrap_or(c),
            None => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| *c != ' ' && *c != '-')
        .collect()
}

/// A search term folded as the database folds its columns, with LIKE's wildcards escaped.
pub fn fold_term(q: &str) -> String {
    fold_text(q.trim())
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// Which helpers to list; every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct HelperFilter {
    pub vetting: Option<VettingStatus>,
    pub skill: Option<Category>,
    /// Approved helpers whose vetting runs out on or before this day.
    pub expiring_by: Option<NaiveDate>,
    /// Homes inside this box (the caller then keeps those truly within the distance).
    pub near: Option<(Location, f64)>,
    /// A folded term ([`fold_term`]) found in the name, phone or email.
    pub term: Option<String>,
    /// Also those whose accounts are closed (deactivated or erased).
    pub include_closed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_fold_like_the_columns_and_escape_wildcards() {
        assert_eq!(fold_term(" 020 7946-0001 "), "02079460001");
        assert_eq!(fold_term("Ada Smith"), "adasmith");
        assert_eq!(fold_term("50%_\\"), "50\\%\\_\\\\");
    }

    #[test]
    fn accents_fold_to_their_plain_letter() {
        assert_eq!(FOLD_FROM.chars().count(), FOLD_TO.chars().count());
        assert_eq!(fold_term("ÉDITH"), "edith");
        assert_eq!(fold_text("Édith Ünal-Søren"), "edithunalsoren");
        assert_eq!(fold_term("Zoë Łukasz"), "zoelukasz");
    }

    #[test]
    fn postgresql_folds_with_the_same_letters() {
        let migration =
            include_str!("../../migrations/postgres/2026-12-05-000018_unicode_search/up.sql");
        assert!(migration.contains(FOLD_FROM) && migration.contains(FOLD_TO));
    }
}
