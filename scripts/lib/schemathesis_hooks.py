"""Hooks for the schemathesis runs (loaded through SCHEMATHESIS_HOOKS by scripts/api-conformance).

schemathesis has no serializer for message/rfc822, the body of the inbound mail endpoint: the
generated value (bytes or text) is sent as the raw message, so that the fuzzing also throws
arbitrary bytes at the mail parser.
"""
import schemathesis


@schemathesis.serializer("message/rfc822")
def rfc822(ctx, value):
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return str(value).encode("utf-8", "surrogateescape")
