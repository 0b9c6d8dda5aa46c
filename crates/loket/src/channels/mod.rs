//! Channels: each turns outside traffic into Loket's own records. Telephony brings call-detail
//! records (from an export or live events) that the service-level reports count.

pub mod telephony;
