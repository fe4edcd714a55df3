// Which requests may change the store through the dashboard: only the dashboard's own page. The
// server listens on 127.0.0.1 only, and a write must (1) name this server as its Host, so a page of
// another site that rebinds its DNS name to 127.0.0.1 is refused; (2) come from this origin — a
// browser says so in Sec-Fetch-Site and Origin, and a form another site posts here says
// "cross-site"; (3) carry the token this server put in its page, which no other origin can read.
// A request without a browser's headers (a script on the machine) still needs the token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-factory-token';

export type SameOriginGuard = {
  readonly token: string;
  /** Why the request may not write, or undefined when it may. */
  readonly refusal: (req: IncomingMessage, port: number) => string | undefined;
};

const sameToken = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const sameOriginGuard = (): SameOriginGuard => {
  const token = randomBytes(24).toString('hex');
  return {
    token,
    refusal: (req, port) => {
      const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
      if (!hosts.includes(req.headers.host ?? '')) return `Host ${req.headers.host ?? '(none)'} is not this dashboard`;
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin') return `a ${site} request may not classify stops`;
      const origin = req.headers.origin;
      if (origin !== undefined && !hosts.map((h) => `http://${h}`).includes(origin))
        return `origin ${origin} may not classify stops`;
      const given = req.headers[TOKEN_HEADER];
      if (typeof given !== 'string' || !sameToken(given, token))
        return `the ${TOKEN_HEADER} header is missing or wrong: classify from the dashboard's page`;
      return undefined;
    },
  };
};
