//! The served OpenAPI document: every contract route is in it, and any change shows in a snapshot.

use crate::harness::{Backend, TestApp};

#[tokio::test]
async fn openapi_document_is_served_and_unchanged() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let doc = app.get("/api/v1/openapi.json", None).await.expect(200);
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.")),
        Some(true)
    );
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/health", "get"),
        ("/api/v1/members", "post"),
        ("/api/v1/members/{id}", "get"),
        ("/api/v1/helpers", "post"),
        ("/api/v1/helpers/{id}", "get"),
        ("/api/v1/helpers/{id}/availability", "put"),
        ("/api/v1/helpers/{id}/vetting", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/requests", "post"),
        ("/api/v1/requests", "get"),
        ("/api/v1/requests/{id}", "get"),
        ("/api/v1/requests/{id}/cancel", "post"),
        ("/api/v1/requests/{id}/complete", "post"),
        ("/api/v1/requests/{id}/feedback", "post"),
        ("/api/v1/requests/{id}/assign", "post"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
    insta::assert_json_snapshot!("openapi", doc);
}

/// Each parameter stands where the server reads it: a path parameter is in its path's template,
/// and the list filters are in the query; every signed-in operation documents 401, every
/// operation with a body 400, 413, 415 and 422, and a 405 names the methods a path takes.
#[tokio::test]
async fn parameters_and_statuses_are_where_the_server_has_them() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let doc = app.get("/api/v1/openapi.json", None).await.expect(200);
    let mut query = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                match p["in"].as_str().unwrap() {
                    "path" => assert!(path.contains(&format!("{{{name}}}")), "{path} {name}"),
                    "query" => query.push(format!("{method} {path} {name}")),
                    _ => {}
                }
            }
            let responses = op["responses"].as_object().unwrap();
            if op.get("security").is_some() {
                assert!(responses.contains_key("401"), "{method} {path}");
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(responses.contains_key(status), "{method} {path} {status}");
                }
            }
        }
    }
    for expected in [
        "get /api/v1/requests status",
        "get /api/v1/requests cursor",
        "get /api/v1/offers limit",
        "get /api/v1/outbox status",
        "get /api/v1/reports/weekly week",
        "post /api/v1/reports/weekly/send week",
        "get /api/v1/requests/{id}/candidates limit",
    ] {
        assert!(
            query.contains(&expected.to_string()),
            "{expected}: {query:?}"
        );
    }
    let resp = app
        .client
        .delete(format!("{}/api/v1/requests", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    assert_eq!(resp.headers()["allow"], "GET, POST");
    // A path two modules serve (finding members, registering one), and one with an id.
    for (path, allow) in [
        ("/api/v1/members", "GET, POST"),
        ("/api/v1/helpers/someone/availability", "GET, PUT"),
    ] {
        let resp = app
            .client
            .delete(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 405, "{path}");
        assert_eq!(resp.headers()["allow"], allow, "{path}");
    }
}

/// Every `$ref` in the served document names a schema the document holds: a type used only as a
/// parameter's `value_type` is not collected by itself, and a client generator refuses the
/// document when one is missing.
#[tokio::test]
async fn every_reference_resolves() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let doc = app.get("/api/v1/openapi.json", None).await.expect(200);
    fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    match (k.as_str(), x.as_str()) {
                        ("$ref", Some(r)) => out.push(r.to_string()),
                        _ => refs(x, out),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 100, "{}", all.len());
    for r in all {
        let path: Vec<&str> = r.trim_start_matches("#/").split('/').collect();
        let mut at = &doc;
        for part in &path {
            at = &at[part.replace("~1", "/").replace("~0", "~")];
        }
        assert!(!at.is_null(), "{r} does not resolve");
    }
}

/// utoipa names each schema after its type and keeps one per name: two types with one name would
/// silently describe one of them wrongly. Every type that derives `ToSchema` has a name of its own.
#[test]
fn every_schema_has_a_name_of_its_own() {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut derives_schema = false;
            for line in text.lines() {
                let line = line.trim();
                if line.starts_with("#[derive(") && line.contains("ToSchema") {
                    derives_schema = true;
                } else if derives_schema
                    && (line.starts_with("pub struct ") || line.starts_with("pub enum "))
                {
                    let name = line
                        .split_whitespace()
                        .nth(2)
                        .unwrap()
                        .trim_end_matches('{')
                        .split('<')
                        .next()
                        .unwrap()
                        .to_string();
                    out.push((name, path.display().to_string()));
                    derives_schema = false;
                } else if !line.starts_with("#[") && !line.starts_with("///") && !line.is_empty() {
                    derives_schema = false;
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(
        found.len() > 40,
        "the scan finds the schemas: {}",
        found.len()
    );
    found.sort();
    let twice: Vec<_> = found.windows(2).filter(|w| w[0].0 == w[1].0).collect();
    assert!(twice.is_empty(), "schemas sharing a name: {twice:?}");
}

/// The word tables the app and the console read (`shared/words.js`) name exactly the values of the
/// document's enums: a new status, kind of help, rule, concern or story line cannot reach a
/// screen as a code, and a word cannot outlive its value.
#[tokio::test]
async fn every_word_table_covers_its_enum() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let doc = app.get("/api/v1/openapi.json", None).await.expect(200);
    let words =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/shared/words.js")).unwrap();
    let enums = [
        ("CATEGORIES", "Category"),
        ("HELP_WITH", "Category"),
        ("STATUSES", "RequestStatus"),
        ("RULES", "Rule"),
        ("EVENTS", "TimelineEvent"),
        ("CONCERN_KINDS", "ConcernCategory"),
        ("CONCERN_STATES", "ConcernStatus"),
        ("CHANNELS", "Channel"),
    ];
    let tables = word_tables(&words);
    let named: Vec<&str> = enums.iter().map(|(t, _)| *t).collect();
    let mut found: Vec<&str> = tables.keys().map(String::as_str).collect();
    found.sort();
    let mut expected = named.clone();
    expected.sort();
    assert_eq!(
        found, expected,
        "every table in words.js is tied to an enum here"
    );
    for (table, schema) in enums {
        let mut values: Vec<String> = doc["components"]["schemas"][schema]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{schema} is an enum in the document"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        values.sort();
        let mut keys = tables[table].clone();
        keys.sort();
        assert_eq!(keys, values, "{table} in words.js against {schema}");
    }
}

/// Each `export const NAME = { key: ..., }` table of a script, with its keys.
fn word_tables(script: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut tables = std::collections::BTreeMap::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in script.lines() {
        if let Some(name) = line
            .strip_prefix("export const ")
            .and_then(|rest| rest.strip_suffix(" = {"))
        {
            current = Some((name.to_string(), Vec::new()));
        } else if line == "};" {
            if let Some((name, keys)) = current.take() {
                tables.insert(name, keys);
            }
        } else if let Some((_, keys)) = current.as_mut() {
            let key = line.trim_start().split(':').next().unwrap_or("");
            if line.starts_with("  ") && !line.starts_with("   ") && !key.is_empty() {
                keys.push(key.trim_matches('"').to_string());
            }
        }
    }
    tables
}
