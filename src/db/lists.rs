//! `column IN (a list of values)` as one statement whatever the list's length, so that the
//! statement is prepared once and kept in the connection's cache.
//!
//! diesel's `eq_any` writes one bind parameter per value (`IN (?, ?, ?)`), and so marks the
//! statement as not to be kept: SQLite parsed and planned each such statement anew on every
//! call (a fifth of asking for help, whose ranking reads facts for a batch of helpers at a time).
//! [`any_of`] binds the whole list as one value instead: on SQLite a JSON array read back by
//! `json_each` (`column IN (SELECT value FROM json_each(?))`), on PostgreSQL an array
//! (`column = ANY(?)`). The text of the statement no longer depends on the list, so its query id
//! is the type's, and diesel keeps it.

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{self, Array, Bool, HasSqlType, SingleValue};
use diesel::sqlite::Sqlite;
use diesel::QueryResult;

use super::MultiBackend;

/// `column` is one of `values`: see the module's comment. An empty list matches nothing.
pub fn any_of<C, T>(column: C, values: impl IntoIterator<Item = T>) -> AnyOf<C, T>
where
    C: Expression,
    T: serde::Serialize,
{
    let values: Vec<T> = values.into_iter().collect();
    // A list of strings or integers always serialises.
    let json = serde_json::to_string(&values).unwrap_or_else(|_| "[]".into());
    AnyOf {
        column,
        values,
        json,
    }
}

/// The expression [`any_of`] builds.
#[derive(Debug, Clone)]
pub struct AnyOf<C, T> {
    column: C,
    values: Vec<T>,
    /// The values as a JSON array, bound on SQLite.
    json: String,
}

impl<C: Expression, T> Expression for AnyOf<C, T> {
    type SqlType = Bool;
}

impl<C, T, GB> ValidGrouping<GB> for AnyOf<C, T>
where
    C: ValidGrouping<GB>,
{
    type IsAggregate = <C as ValidGrouping<GB>>::IsAggregate;
}

impl<C, T, QS> AppearsOnTable<QS> for AnyOf<C, T>
where
    C: AppearsOnTable<QS>,
    Self: Expression,
{
}

impl<C, T, QS> SelectableExpression<QS> for AnyOf<C, T>
where
    C: SelectableExpression<QS>,
    Self: AppearsOnTable<QS>,
{
}

/// The statement's shape depends on the column alone: the same type, the same text.
impl<C: QueryId, T> QueryId for AnyOf<C, T> {
    type QueryId = AnyOf<C::QueryId, ()>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C, T> QueryFragment<Sqlite> for AnyOf<C, T>
where
    C: QueryFragment<Sqlite>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<sql_types::Text, String>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C, T> QueryFragment<Pg> for AnyOf<C, T>
where
    C: QueryFragment<Pg> + Expression,
    C::SqlType: SingleValue,
    Pg: HasSqlType<C::SqlType>,
    Vec<T>: ToSql<Array<C::SqlType>, Pg>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<C::SqlType>, Vec<T>>(&self.values)?;
        out.push_sql(")");
        Ok(())
    }
}

impl<C, T> QueryFragment<MultiBackend> for AnyOf<C, T>
where
    Self: QueryFragment<Sqlite> + QueryFragment<Pg>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, pass)
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sqlite::{Sqlite, SqliteConnection};

    use super::*;
    use crate::db::schema::helper_reach_keys as k;

    macro_rules! query {
        ($ids:expr) => {
            k::table
                .filter(any_of(k::user_id, $ids.iter().copied()))
                .select(k::id)
        };
    }

    #[test]
    fn the_statement_is_the_same_whatever_the_list_and_may_be_kept() {
        let sql = |ids: &[&str]| diesel::debug_query::<Sqlite, _>(&query!(ids)).to_string();
        let one = sql(&["a"]);
        let three = sql(&["a", "b", "c"]);
        let text = |s: &str| s.split(" -- binds").next().unwrap().to_string();
        assert_eq!(text(&one), text(&three));
        assert!(one.contains("IN (SELECT value FROM json_each(?))"), "{one}");
        assert!(three.contains(r#"[\"a\",\"b\",\"c\"]"#), "{three}");
        assert!(
            QueryFragment::<Sqlite>::is_safe_to_cache_prepared(&query!(["a", "b"]), &Sqlite)
                .unwrap()
        );
        const { assert!(<AnyOf<k::user_id, &str> as QueryId>::HAS_STATIC_QUERY_ID) };
        let eq_any = k::table.filter(k::user_id.eq_any(["a", "b"])).select(k::id);
        assert!(!QueryFragment::<Sqlite>::is_safe_to_cache_prepared(&eq_any, &Sqlite).unwrap());
    }

    #[test]
    fn matches_exactly_the_values_listed() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        diesel::sql_query("CREATE TABLE helper_reach_keys (id INTEGER PRIMARY KEY, user_id TEXT)")
            .execute(&mut conn)
            .unwrap();
        for (id, user) in [(1, "ann"), (2, "bo"), (3, "cy"), (4, "O'Neil \"Jr\"")] {
            diesel::insert_into(k::table)
                .values((k::id.eq(id), k::user_id.eq(user)))
                .execute(&mut conn)
                .unwrap();
        }
        let mut found = |ids: &[&str]| -> Vec<i64> {
            let mut got: Vec<i64> = query!(ids).load(&mut conn).unwrap();
            got.sort();
            got
        };
        assert_eq!(found(&[]), Vec::<i64>::new());
        assert_eq!(found(&["bo"]), [2]);
        assert_eq!(found(&["cy", "ann", "nobody"]), [1, 3]);
        assert_eq!(found(&["O'Neil \"Jr\""]), [4]);
        let keys: Vec<String> = k::table
            .filter(any_of(k::id, [4_i64, 2]))
            .select(k::user_id)
            .order(k::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(keys, ["bo", "O'Neil \"Jr\""]);
    }
}
