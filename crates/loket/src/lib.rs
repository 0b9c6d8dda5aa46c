//! Loket: an open-source contact-center platform (klantcontactcentrum) for public service
//! organisations. See ARCHITECTURE.md for the map; each module opens with its rules.

pub mod app;
pub mod auth;
pub mod bench;
pub mod channels;
pub mod cli;
pub mod clock;
pub mod config;
pub mod contacts;
pub mod demo;
pub mod http;
pub mod jobs;
pub mod klantinteracties;
pub mod knowledge;
pub mod mail;
pub mod organisation;
pub mod reports;
pub mod search;
pub mod sla;
pub mod store;
pub mod tasks;
pub mod validation;
