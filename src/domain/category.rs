//! The kinds of help a member can ask for.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Shopping,
    Gardening,
    Diy,
    Cleaning,
    ItHelp,
    Companionship,
    Transport,
    Paperwork,
    Other,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Shopping,
        Category::Gardening,
        Category::Diy,
        Category::Cleaning,
        Category::ItHelp,
        Category::Companionship,
        Category::Transport,
        Category::Paperwork,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Shopping => "shopping",
            Category::Gardening => "gardening",
            Category::Diy => "diy",
            Category::Cleaning => "cleaning",
            Category::ItHelp => "it_help",
            Category::Companionship => "companionship",
            Category::Transport => "transport",
            Category::Paperwork => "paperwork",
            Category::Other => "other",
        }
    }

    /// The kind of help as a heading or a row's label, as the console shows it: "Phones and
    /// computers".
    pub fn label(self) -> &'static str {
        match self {
            Category::Shopping => "Shopping",
            Category::Gardening => "Gardening",
            Category::Diy => "Odd jobs and DIY",
            Category::Cleaning => "Cleaning",
            Category::ItHelp => "Phones and computers",
            Category::Companionship => "Company and a chat",
            Category::Transport => "A lift",
            Category::Paperwork => "Letters and forms",
            Category::Other => "Something else",
        }
    }

    /// The kind of help in words a person reads, to follow "help with": "help with a
    /// computer or phone", never the code `it_help`.
    pub fn in_words(self) -> &'static str {
        match self {
            Category::Shopping => "the shopping",
            Category::Gardening => "the garden",
            Category::Diy => "odd jobs around the home",
            Category::Cleaning => "cleaning",
            Category::ItHelp => "a computer or phone",
            Category::Companionship => "some company and a chat",
            Category::Transport => "a lift",
            Category::Paperwork => "letters and forms",
            Category::Other => "something else",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
                format!(
                    "unknown category {s:?}; expected one of {}",
                    known.join(", ")
                )
            })
    }

    /// Skills are stored as `,a,b,` so that one skill can be matched with `LIKE '%,a,%'`.
    pub fn encode_set(skills: &[Category]) -> String {
        let mut s = String::from(",");
        for c in skills {
            s.push_str(c.as_str());
            s.push(',');
        }
        s
    }

    pub fn decode_set(s: &str) -> Vec<Category> {
        s.split(',')
            .filter_map(|p| Category::parse(p).ok())
            .collect()
    }

    /// Parse a list of skills: at least one, each known, no repeats.
    pub fn parse_skills(list: &[String]) -> Result<Vec<Category>, String> {
        if list.is_empty() {
            return Err("must list at least one skill".into());
        }
        let mut out = Vec::with_capacity(list.len());
        for s in list {
            let c = Category::parse(s)?;
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()).unwrap(), c);
        }
        let set = Category::encode_set(&[Category::Diy, Category::ItHelp]);
        assert_eq!(set, ",diy,it_help,");
        assert_eq!(
            Category::decode_set(&set),
            vec![Category::Diy, Category::ItHelp]
        );
    }

    #[test]
    fn every_label_is_words_not_the_code() {
        for c in Category::ALL {
            assert!(!c.label().contains('_'), "{}", c.label());
            assert!(c.label().starts_with(char::is_uppercase), "{}", c.label());
        }
    }

    #[test]
    fn every_category_reads_as_words_after_help_with() {
        for c in Category::ALL {
            let words = c.in_words();
            assert!(!words.contains('_') && !words.is_empty(), "{words}");
        }
        assert_eq!(Category::ItHelp.in_words(), "a computer or phone");
        assert_eq!(Category::Diy.in_words(), "odd jobs around the home");
    }

    #[test]
    fn refuses_unknown_and_empty() {
        assert!(Category::parse("juggling").is_err());
        assert!(Category::parse_skills(&[]).is_err());
    }
}
