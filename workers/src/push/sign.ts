import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The push gateway's signature: X-MCH-Timestamp = Unix seconds; X-MCH-Signature = hex
 * HMAC-SHA256(secret, `${timestamp}.${rawBody}`). The gateway recomputes it over the raw body,
 * compares in constant time, and rejects a timestamp more than `toleranceSeconds` (5 min) away from
 * its clock (replays). `notificationId` in the body is an idempotency key: the gateway drops a
 * repeat (a worker killed between the gateway's 2xx and its own commit sends once more).
 */
export const TIMESTAMP_HEADER = 'x-mch-timestamp';
export const SIGNATURE_HEADER = 'x-mch-signature';

export function sign({ secret, timestamp, body }: { secret: string; timestamp: number; body: string }): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function verify(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const { secret, timestamp, signature, body, nowSeconds, toleranceSeconds = 300 } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !/^[0-9a-f]{64}$/.test(signature)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(sign({ secret, timestamp: Number(timestamp), body }), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
