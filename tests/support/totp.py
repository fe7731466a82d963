"""RFC 6238 time-based one-time passwords, written here independently of allauth, so the tests
prove the two-factor flow with the code a phone's authenticator app would show."""

import base64
import hashlib
import hmac
import struct
import time


def totp(secret_base32: str, *, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    key = base64.b32decode(secret_base32.upper() + "=" * (-len(secret_base32) % 8))
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def fresh_totp(secret_base32: str, *, period: int = 30, margin: float = 8.0) -> str:
    """The current code, waiting for the next time step when fewer than `margin` seconds are
    left in this one, so a slow request cannot reach the server after the code has expired."""
    left = period - (time.time() % period)
    if left < margin:
        time.sleep(left + 0.1)
    return totp(secret_base32, period=period)
