//! Channels: the ways a citizen reaches the municipality. Each turns outside traffic into
//! Loket's own records; telephony brings call-detail records (from an export or live events)
//! that the service-level reports count.
//!
//! Rules:
//! - A channel's behaviour (which opening hours and response-time target apply, what a callback
//!   becomes, what the service-level report counts by default) hangs on its [`Channel`] kind,
//!   never on a string typed in the code.
//! - The beheerder's list (`contacts::lists`) gives each channel its name and place and may add
//!   channels of its own; a code in that list that is not one of the kinds below is a channel
//!   without behaviour of its own ([`Channel::of`] answers `None`).

pub mod email;
pub mod telephony;

macro_rules! channels {
    ($($variant:ident => $code:literal),* $(,)?) => {
        /// A kind of channel Loket has behaviour for. The codes are the permanent codes of the
        /// beheerder's channel list, shared by contacts, reports, SLA targets and imports.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Channel { $($variant),* }

        impl Channel {
            pub const ALL: &'static [Channel] = &[$(Channel::$variant),*];

            /// The code in the channel list.
            pub fn code(self) -> &'static str {
                match self { $(Channel::$variant => $code),* }
            }
        }
    };
}

channels! {
    Telefoon => "telefoon",
    Email => "e-mail",
    Chat => "chat",
    WhatsApp => "whatsapp",
    SocialMedia => "social_media",
    WebsiteApp => "website_app",
    Balie => "balie",
    Video => "video",
    Brief => "brief",
}

impl Channel {
    /// The kind behind a code of the channel list, when Loket has behaviour for it.
    pub fn of(code: &str) -> Option<Channel> {
        Channel::ALL.iter().copied().find(|c| c.code() == code.trim())
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_its_channel_and_an_added_code_has_no_behaviour() {
        for c in Channel::ALL {
            assert_eq!(Channel::of(c.code()), Some(*c));
        }
        assert_eq!(Channel::of(" telefoon "), Some(Channel::Telefoon));
        assert_eq!(Channel::of("sms"), None);
    }
}
