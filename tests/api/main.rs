//! Integration tests: real HTTP on a free port against a real database, SQLite and PostgreSQL.

mod accounts;
mod auth;
mod browser;
mod cli;
mod concerns;
mod console;
mod crash;
mod email;
mod errors;
mod events;
mod helpers;
mod idempotency;
mod membership;
mod messages;
mod metrics;
mod offers;
mod openapi;
mod people;
mod reach;
mod reports;
mod requests;
mod safety;
mod schema;
mod series;
mod smtp;
mod visits;
