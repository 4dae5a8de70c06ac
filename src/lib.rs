//! Neighbourly: a neighbourhood helper matching service.

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod csv;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod matching;
pub mod metrics;
pub mod notify;
pub mod reports;
pub mod service;
pub mod startup;
pub mod telemetry;
