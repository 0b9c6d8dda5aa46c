//! Field-level validation failures, shared by every domain module so the API can answer with
//! one problem document listing each field and the rule it broke.

use serde::Serialize;
use utoipa::ToSchema;

/// One field that did not pass its rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The input field, as named in the request.
    pub field: String,
    /// A stable machine-readable code, e.g. `too_short`.
    pub code: &'static str,
    /// A human-readable explanation (Dutch).
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        FieldError { field: field.to_owned(), code, message: message.into() }
    }

    /// The same failure, reported under another field name (a newtype does not know its field).
    pub fn for_field(mut self, field: &str) -> Self {
        self.field = field.to_owned();
        self
    }
}

/// Collects failures so a form reports all of them at once instead of one per round trip.
#[derive(Debug, Default)]
pub struct Checks {
    errors: Vec<FieldError>,
}

impl Checks {
    /// Keeps the value when it parsed, remembers the failure (under `field`) when not.
    pub fn take<T>(&mut self, field: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(e.for_field(field));
                None
            }
        }
    }

    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() { Ok(()) } else { Err(self.errors) }
    }
}

/// Trims and checks a free-text field: length in characters, no control characters.
pub fn text(value: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    let len = value.chars().count();
    if len < min {
        return Err(if min == 1 {
            FieldError::new("", "required", "Dit veld is verplicht.")
        } else {
            FieldError::new("", "too_short", format!("Minimaal {min} tekens."))
        });
    }
    if len > max {
        return Err(FieldError::new("", "too_long", format!("Maximaal {max} tekens.")));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::new("", "control_characters", "Bevat niet-toegestane tekens."));
    }
    Ok(value.to_owned())
}
