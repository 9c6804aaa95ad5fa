/**
 * @module
 * `securityHeaders(options)`: the response headers helmet sets (a strict CSP with no inline
 * script, HSTS behind https, no-referrer, frame-ancestors none, nosniff, …), computed once at
 * start-up. @fastify/helmet builds helmet's middleware — parsing every CSP directive — again
 * on each request; these headers never vary by request, so the server sets the same frozen set
 * on every answer instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet's middleware sets for `options`, by lower-case name. */
export function securityHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure !== undefined) throw failure;
  return Object.freeze(headers);
}
