//! Finding people: the filters a coordinator lists helpers by, and search terms folded the way
//! the database folds names, phones and emails (lower case, no spaces or hyphens).

use chrono::NaiveDate;

use super::{Category, Location, VettingStatus};

/// A search term folded as the database folds its columns, with LIKE's wildcards escaped.
pub fn fold_term(q: &str) -> String {
    q.to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
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
}
