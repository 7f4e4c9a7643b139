import http from 'node:http';
import https from 'node:https';
import { type AddressPolicy, guardedLookup } from './address-guard.ts';

/**
 * POSTs `body` and answers the response's status code, its body drained and dropped. Node's
 * http client follows no redirects (a 3xx is just a status), and every connection goes through
 * the address guard on the DNS answer it actually uses. Rejects on a network error or `signal`.
 */
export function post(url: string, body: string, headers: Record<string, string>, policy: AddressPolicy, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = new URL(url).protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: guardedLookup(policy), signal },
      (res) => {
        res.on('error', reject);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
