//! A customer's record across everything Loket keeps about them: the timeline an agent reads,
//! and the person's rights under the AVG (inzage, erasure) over all of it.
//!
//! Rules: this module sits above contacts and work, which do not know each other's lists: a
//! contact does not know the tasks that came from it, and work reads contacts only to register
//! one. What reads across both lives here.

pub mod privacy;
pub mod timeline;
