//! Integration tests: the real app on port 0, each test with a fresh database, the whole suite on
//! SQLite and on PostgreSQL.

mod helpers;

mod access;
mod accounts;
mod audit_log;
mod bad_input;
mod branding;
mod callbacks;
mod contacts;
mod desk;
mod email;
mod klantinteracties;
mod knowledge;
mod mail_servers;
mod notices;
mod operations;
mod process;
mod reports;
mod search;
mod trees;
mod work;
