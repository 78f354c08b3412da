// Signing per Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`
// under the endpoint's `whsec_…` secret. The secret is never stored: it is derived from the
// server's WEBHOOK_SECRET_KEY and the endpoint's random nonce, so a copy of the database alone
// cannot sign; rotating gives the endpoint a new nonce. The partner sees the secret once.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import type { Config } from '../config.js';

/**
 * The key secrets are derived from: WEBHOOK_SECRET_KEY, or outside production a development key
 * file in DATA_DIR (created on first start). Production without it: webhooks are off (undefined).
 */
export async function resolveWebhookKey(config: Pick<Config, 'webhooks' | 'production' | 'dataDir'>, onCreated?: (file: string) => void) {
  if (config.webhooks.secretKey) return config.webhooks.secretKey;
  if (config.production) return undefined;
  const file = path.join(config.dataDir, 'dev-webhook-key');
  if (!existsSync(file)) {
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' }).catch((error) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
    onCreated?.(file);
  }
  return (await readFile(file, 'utf8')).trim();
}

export const newSecretNonce = () => randomBytes(16).toString('base64url');

/** The endpoint's signing secret, `whsec_` and 32 bytes in base64. */
export const endpointSecret = (key: string, endpoint: { id: string; secretNonce: string }) =>
  `whsec_${createHmac('sha256', key).update(`webhook-endpoint:${endpoint.id}:${endpoint.secretNonce}`).digest('base64')}`;

/** The three Standard Webhooks headers of one attempt (the timestamp is the attempt's). */
export function signedHeaders(secret: string, messageId: string, body: string, at = new Date()) {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, body),
  };
}
