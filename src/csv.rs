//! One text cell of a CSV file the service writes: always quoted, quotes doubled, and a cell that
//! a spreadsheet would read as a formula (one beginning with `=`, `+`, `-`, `@`, a tab or a
//! carriage return) written with a leading `'`, so that opening a statement or a report never
//! runs what someone typed as their name or note.

/// `text` as one quoted, neutralised CSV cell.
pub fn text_cell(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = if risky { "'" } else { "" };
    format!("\"{quote}{}\"", text.replace('"', "\"\""))
}

/// An optional text cell: empty when there is nothing.
pub fn optional_cell(text: Option<&str>) -> String {
    text.map(text_cell).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quotes_doubled() {
        assert_eq!(
            text_cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        for risky in ["+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(text_cell(risky).starts_with("\"'"), "{risky}");
        }
        assert_eq!(text_cell("Edith O'Brien"), "\"Edith O'Brien\"");
        assert_eq!(optional_cell(None), "");
    }
}
