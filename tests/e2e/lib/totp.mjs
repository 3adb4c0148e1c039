// RFC 6238 TOTP (HMAC-SHA1, 30-second step, 6 digits) over an RFC 4648
// base32 secret: what an authenticator app computes.
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text) {
  const clean = String(text).toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const idx = ALPHABET.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export function totp(secret, timeMs = Date.now(), step = 30) {
  return hotp(base32Decode(secret), Math.floor(timeMs / 1000 / step));
}

// Seconds left in the current step: callers wait out a step that is about to
// end, so the code is still valid when the server checks it.
export function secondsLeft(timeMs = Date.now(), step = 30) {
  return step - (Math.floor(timeMs / 1000) % step);
}
