//! Loket: an open-source contact-center platform (klantcontactcentrum) for public service
//! organisations. See ARCHITECTURE.md for the map; each module opens with its rules.

/// The OpenAPI schema of an enum that the API writes as one of `ids` (lower-case codes).
/// utoipa's derive does not read serde renames that come out of another macro, and would
/// document the variant names instead; enums declared through a macro use this.
#[macro_export]
macro_rules! string_enum_schema {
    ($name:ident, [$($id:expr),* $(,)?]) => {
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($id),*]))
                    .into()
            }
        }
        impl utoipa::ToSchema for $name {}
    };
}

pub mod app;
pub mod auth;
pub mod bench;
pub mod branding;
pub mod channels;
pub mod cli;
pub mod clock;
pub mod config;
pub mod contacts;
pub mod content;
pub mod customer;
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
pub mod validation;
pub mod work;
