import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a signed webhook carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = 'x-tradecore-signature';

/** An automation's signing secret: derived from the server key and the secret's id, so it is never stored. */
export function signingSecretOf(serverKey: string, automationId: string, secretId: string): string {
  return createHmac('sha256', serverKey).update(`${automationId}:${secretId}`).digest('base64url');
}

export function signatureOf(secret: string, timestamp: number, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export type SignatureProblem = { readonly code: string; readonly message: string } | undefined;

/** Why a signed webhook is refused, or undefined when its signature and timestamp hold. */
export function signatureProblem(
  header: string | undefined,
  secret: string,
  body: Buffer,
  nowSeconds: number,
  toleranceSeconds: number,
): SignatureProblem {
  const parts = new Map(
    (header ?? '').split(',').map((part) => part.trim().split('=', 2) as [string, string]),
  );
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!header || !Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(given))
    return {
      code: 'SIGNATURE_REQUIRED',
      message: `this automation takes signed webhooks only: send ${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with its signing secret>`,
    };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds)
    return {
      code: 'SIGNATURE_EXPIRED',
      message: `the signature's timestamp is more than ${toleranceSeconds} s from now; sign each request as it is sent (and check the sender's clock)`,
    };
  const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex')))
    return {
      code: 'SIGNATURE_INVALID',
      message:
        'the signature does not match the body; sign the exact bytes sent with the current signing secret',
    };
  return undefined;
}
