//! The municipality's own look (huisstijl): its name, its logo and its main colour, set by a
//! beheerder on `/beheer/huisstijl` or through `/api/v1/branding`.
//!
//! Rules:
//! - The name (1–60 characters) stands in the header and the window title of every screen, the
//!   login screen too. Until a beheerder sets one it is "Loket".
//! - The colour is the header's background and the colour of links and buttons, so white text on
//!   it and it on white must reach 4.5:1 (WCAG 2.1 AA for normal text); a lighter colour is
//!   refused with its measured contrast. The shade for hover is derived from it.
//! - The logo is a PNG, JPEG, WebP or SVG of at most [`LOGO_MAX_BYTES`], recognised by its first
//!   bytes, never by a name or a claimed type. It is only ever served as an image with a policy
//!   that forbids scripts, so an SVG's scripts never run.
//! - Stored with the beheerder's parameters as one document; every change is in the audit log.
//! - Screens read it through a [`Cache`] that looks again after a few seconds, so several
//!   server processes show a change within seconds of each other.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::auth::audit::{self, AuditAction, AuditEvent};
use crate::clock;
use crate::store::{self, Store, StoreError};
use crate::validation::{self, Checks, FieldError};

/// The settings key the huisstijl is stored under.
const KEY: &str = "huisstijl";
/// The largest logo accepted.
pub const LOGO_MAX_BYTES: usize = 256 * 1024;
/// Loket's own blue: 8.4:1 against white.
const DEFAULT_COLOUR: Colour = Colour([0x0b, 0x4f, 0x8a]);
/// WCAG 2.1 AA for normal text.
const MIN_CONTRAST: f64 = 4.5;

#[derive(Debug, thiserror::Error)]
pub enum BrandingError {
    #[error("invalid huisstijl")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A colour as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour([u8; 3]);

impl Colour {
    /// Reads `#rrggbb` or `#rgb` (case-insensitive).
    pub fn parse(input: &str) -> Result<Colour, FieldError> {
        let invalid = || FieldError::new("colour", "invalid_colour", "Geef een kleur als #rrggbb, zoals #0b4f8a.");
        let hex = input.trim().strip_prefix('#').ok_or_else(invalid)?;
        let hex: String = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect(),
            6 => hex.to_owned(),
            _ => return Err(invalid()),
        };
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16).map_err(|_| invalid());
        Ok(Colour([byte(0)?, byte(2)?, byte(4)?]))
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0[0], self.0[1], self.0[2])
    }

    /// WCAG relative luminance.
    fn luminance(self) -> f64 {
        let channel = |v: u8| {
            let c = f64::from(v) / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(self.0[0]) + 0.7152 * channel(self.0[1]) + 0.0722 * channel(self.0[2])
    }

    /// The contrast ratio of this colour with white (1 to 21).
    pub fn contrast_with_white(self) -> f64 {
        1.05 / (self.luminance() + 0.05)
    }

    /// A darker shade of the same colour (for hover): still at least as much contrast.
    pub fn darker(self) -> Colour {
        Colour(self.0.map(|v| (f64::from(v) * 0.68).round() as u8))
    }
}

/// What kind of image a logo is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogoKind {
    Png,
    Jpeg,
    Webp,
    Svg,
}

impl LogoKind {
    pub fn content_type(self) -> &'static str {
        match self {
            LogoKind::Png => "image/png",
            LogoKind::Jpeg => "image/jpeg",
            LogoKind::Webp => "image/webp",
            LogoKind::Svg => "image/svg+xml",
        }
    }

    /// Recognises an image by its bytes; `None` when it is none of the four.
    pub fn sniff(bytes: &[u8]) -> Option<LogoKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(LogoKind::Png);
        }
        if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            return Some(LogoKind::Jpeg);
        }
        if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            return Some(LogoKind::Webp);
        }
        // SVG is text: an <svg element near the start, after an XML declaration or comments.
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]);
        let head = head.trim_start_matches('\u{feff}').trim_start();
        (head.starts_with('<') && head.contains("<svg")).then_some(LogoKind::Svg)
    }
}

/// A logo as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub kind: LogoKind,
    pub bytes: Vec<u8>,
}

/// The huisstijl in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Branding {
    pub name: String,
    pub colour: Colour,
    pub logo: Option<Logo>,
    /// Changes with every change: pages ask for the stylesheet and logo by it, so that browsers
    /// may keep them and still see a change at once.
    pub version: String,
}

impl Default for Branding {
    fn default() -> Branding {
        Branding { name: "Loket".to_owned(), colour: DEFAULT_COLOUR, logo: None, version: "standaard".to_owned() }
    }
}

/// What a beheerder sets (the logo separately, as an image).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandingInput {
    /// The organisation's name, e.g. "Gemeente Dijkstad" (1–60 characters).
    pub name: String,
    /// The main colour as `#rrggbb`; white on it must reach 4.5:1.
    pub colour: String,
}

/// The stored document.
#[derive(Serialize, Deserialize)]
struct Stored {
    name: String,
    colour: String,
    #[serde(default)]
    logo_kind: Option<LogoKind>,
    /// Base64.
    #[serde(default)]
    logo: Option<String>,
}

fn version_of(json: &str) -> String {
    let digest = Sha256::digest(json.as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

fn from_stored(json: &str) -> Option<Branding> {
    let stored: Stored = serde_json::from_str(json).ok()?;
    let logo = match (stored.logo_kind, stored.logo) {
        (Some(kind), Some(data)) => Some(Logo { kind, bytes: STANDARD.decode(data).ok()? }),
        _ => None,
    };
    Some(Branding { name: stored.name, colour: Colour::parse(&stored.colour).ok()?, logo, version: version_of(json) })
}

fn to_stored(branding: &Branding) -> String {
    let stored = Stored {
        name: branding.name.clone(),
        colour: branding.colour.hex(),
        logo_kind: branding.logo.as_ref().map(|l| l.kind),
        logo: branding.logo.as_ref().map(|l| STANDARD.encode(&l.bytes)),
    };
    // Strings only: serialising cannot fail.
    serde_json::to_string(&stored).expect("a huisstijl serialises")
}

/// The huisstijl in force (the default until a beheerder sets one).
pub async fn current(store: &Store) -> Result<Branding, StoreError> {
    load(&mut store.acquire().await?).await
}

/// The huisstijl as stored, read inside the caller's transaction (a mail that signs with the
/// organisation's name).
pub async fn load(ex: &mut impl store::Executor) -> Result<Branding, StoreError> {
    let Some(json) = store::kpi_settings::get(ex, KEY).await? else { return Ok(Branding::default()) };
    Ok(from_stored(&json).unwrap_or_else(|| {
        tracing::warn!("the stored huisstijl does not parse; using the default");
        Branding::default()
    }))
}

fn check(input: &BrandingInput) -> Result<(String, Colour), Vec<FieldError>> {
    let mut checks = Checks::default();
    let name = checks.take("name", validation::text(&input.name, 1, 60));
    let colour = checks.take("colour", Colour::parse(&input.colour));
    if let Some(c) = colour
        && c.contrast_with_white() < MIN_CONTRAST
    {
        let ratio = format!("{:.1}", c.contrast_with_white()).replace('.', ",");
        checks.push(FieldError::new(
            "colour",
            "low_contrast",
            format!("Te weinig contrast met wit ({ratio}:1); kies een donkerdere kleur (minimaal 4,5:1)."),
        ));
    }
    checks.finish()?;
    match (name, colour) {
        (Some(name), Some(colour)) => Ok((name, colour)),
        _ => unreachable!("every field passed its check"),
    }
}

/// Writes a changed huisstijl and its audit entry in one transaction.
async fn write(store: &Store, actor: &Actor, branding: &Branding, what: &str) -> Result<Branding, BrandingError> {
    let json = to_stored(branding);
    let mut tx = store.begin().await?;
    store::kpi_settings::put(&mut tx, KEY, &json, clock::now(), &actor.name).await?;
    let detail = serde_json::json!({
        "name": branding.name, "colour": branding.colour.hex(), "changed": what,
        "logo": branding.logo.as_ref().map(|l| l.kind.content_type()),
    });
    audit::record(&mut tx, actor, AuditEvent::new(AuditAction::BrandingChanged, "huisstijl", None).detail(detail))
        .await?;
    tx.commit().await?;
    Ok(Branding { version: version_of(&json), ..branding.clone() })
}

/// Sets the name and colour; the logo stays. Nothing changes when either is refused.
pub async fn set(store: &Store, actor: &Actor, input: &BrandingInput) -> Result<Branding, BrandingError> {
    let (name, colour) = check(input).map_err(BrandingError::Invalid)?;
    let before = current(store).await?;
    write(store, actor, &Branding { name, colour, ..before }, "naam en kleur").await
}

/// Sets the logo from an uploaded image.
pub async fn set_logo(store: &Store, actor: &Actor, bytes: Vec<u8>) -> Result<Branding, BrandingError> {
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(BrandingError::Invalid(vec![FieldError::new(
            "logo",
            "too_large",
            format!("Het logo is te groot: maximaal {} kB.", LOGO_MAX_BYTES / 1024),
        )]));
    }
    let kind = LogoKind::sniff(&bytes).ok_or_else(|| {
        BrandingError::Invalid(vec![FieldError::new("logo", "not_an_image", "Kies een PNG, JPEG, WebP of SVG.")])
    })?;
    let before = current(store).await?;
    write(store, actor, &Branding { logo: Some(Logo { kind, bytes }), ..before }, "logo").await
}

/// Removes the logo.
pub async fn remove_logo(store: &Store, actor: &Actor) -> Result<Branding, BrandingError> {
    let before = current(store).await?;
    write(store, actor, &Branding { logo: None, ..before }, "logo verwijderd").await
}

/// How long a screen may show the huisstijl it read before it looks again.
const FRESH_FOR: Duration = Duration::from_secs(5);

/// The huisstijl as screens see it: read from the store at most every few seconds.
#[derive(Default)]
pub struct Cache {
    held: RwLock<Option<(Instant, Arc<Branding>)>>,
}

impl Cache {
    /// The huisstijl, read again when the held one is older than a few seconds. When the store
    /// cannot be read the last one read (or the default) is shown.
    pub async fn get(&self, store: &Store) -> Arc<Branding> {
        let held = self.held.read().ok().and_then(|h| h.clone());
        if let Some((at, branding)) = &held
            && at.elapsed() < FRESH_FOR
        {
            return branding.clone();
        }
        match current(store).await {
            Ok(b) => {
                let b = Arc::new(b);
                if let Ok(mut h) = self.held.write() {
                    *h = Some((Instant::now(), b.clone()));
                }
                b
            }
            Err(e) => {
                tracing::warn!(error = %e, "huisstijl unreadable; showing the last one read");
                // Held as if fresh: while the database is away, not every request waits for it.
                let b = held.map(|(_, b)| b).unwrap_or_default();
                if let Ok(mut h) = self.held.write() {
                    *h = Some((Instant::now(), b.clone()));
                }
                b
            }
        }
    }

    /// Forgets what is held (after a change in this process: its next screen shows the change).
    pub fn forget(&self) {
        if let Ok(mut h) = self.held.write() {
            *h = None;
        }
    }
}

/// The stylesheet that puts the colour in force: Loket's stylesheet reads these variables.
pub fn stylesheet(branding: &Branding) -> String {
    format!(":root {{ --accent: {}; --accent-dark: {}; }}\n", branding.colour.hex(), branding.colour.darker().hex())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_colour_is_read_as_hex_and_its_contrast_with_white_is_measured() {
        assert_eq!(Colour::parse("#0B4F8A").unwrap().hex(), "#0b4f8a");
        assert_eq!(Colour::parse("#fff").unwrap().hex(), "#ffffff");
        assert!(Colour::parse("0b4f8a").is_err() && Colour::parse("#0b4f8g").is_err() && Colour::parse("#é1").is_err());
        assert!((Colour::parse("#000000").unwrap().contrast_with_white() - 21.0).abs() < 0.01);
        assert!((Colour::parse("#ffffff").unwrap().contrast_with_white() - 1.0).abs() < 0.01);
        // #767676 is the lightest grey that passes AA on white.
        assert!(Colour::parse("#767676").unwrap().contrast_with_white() >= 4.5);
        assert!(Colour::parse("#777777").unwrap().contrast_with_white() < 4.5);
        assert!(DEFAULT_COLOUR.darker().contrast_with_white() > DEFAULT_COLOUR.contrast_with_white());
    }

    #[test]
    fn a_light_colour_is_refused_with_its_contrast_and_a_long_name_with_its_limit() {
        let input = BrandingInput { name: "Gemeente Dijkstad".into(), colour: "#ffbf47".into() };
        let errors = check(&input).unwrap_err();
        assert_eq!(errors[0].code, "low_contrast");
        assert!(errors[0].message.contains(":1"), "{}", errors[0].message);
        let input = BrandingInput { name: "x".repeat(61), colour: "#154273".into() };
        assert_eq!(check(&input).unwrap_err()[0].field, "name");
        let input = BrandingInput { name: " Gemeente Dijkstad ".into(), colour: "#154273".into() };
        assert_eq!(check(&input).unwrap().0, "Gemeente Dijkstad");
    }

    #[test]
    fn a_logo_is_known_by_its_bytes_not_its_name() {
        assert_eq!(LogoKind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(LogoKind::Png));
        assert_eq!(LogoKind::sniff(&[0xff, 0xd8, 0xff, 0xe0]), Some(LogoKind::Jpeg));
        assert_eq!(LogoKind::sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 "), Some(LogoKind::Webp));
        let svg = "<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(LogoKind::sniff(svg.as_bytes()), Some(LogoKind::Svg));
        assert_eq!(LogoKind::sniff(b"<html><body>hallo</body></html>"), None);
        assert_eq!(LogoKind::sniff(b"GIF89a"), None);
        assert_eq!(LogoKind::sniff(b""), None);
    }

    #[test]
    fn what_is_stored_reads_back_the_same() {
        let branding = Branding {
            name: "Gemeente Dijkstad".into(),
            colour: Colour::parse("#154273").unwrap(),
            logo: Some(Logo { kind: LogoKind::Png, bytes: b"\x89PNG\r\n\x1a\nxyz".to_vec() }),
            version: String::new(),
        };
        let json = to_stored(&branding);
        let back = from_stored(&json).unwrap();
        assert_eq!(back, Branding { version: version_of(&json), ..branding });
        assert_ne!(back.version, Branding::default().version);
    }
}
