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

/// Trims and checks a free-text field: length in characters, no control characters. Line ends
/// are normalised to `\n` (browsers send a textarea's lines with `\r\n`).
pub fn text(value: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let normalised = value.replace("\r\n", "\n");
    let value = normalised.trim();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_a_browser_textarea_keeps_its_lines() {
        assert_eq!(text("eerste regel\r\ntweede regel\r\n", 1, 100).unwrap(), "eerste regel\ntweede regel");
    }

    #[test]
    fn control_characters_and_lengths_are_refused() {
        assert_eq!(text("bel\u{7}", 1, 100).unwrap_err().code, "control_characters");
        assert_eq!(text("  ", 1, 100).unwrap_err().code, "required");
        assert_eq!(text("abc", 1, 2).unwrap_err().code, "too_long");
    }
}
