// The few InfluxDB v2 API calls token rotation needs, as the instance's admin user: sign in (a
// session cookie), find the org and bucket ids, create a write-only token for the bucket, delete an
// old one. Timestream for InfluxDB serves the InfluxDB 2 API on the instance's URL.
export type InfluxAdminOptions = {
  /** `https://<instance endpoint>:8086` */
  readonly url: string;
  readonly org: string;
  readonly bucket: string;
  readonly username: string;
  readonly password: string;
  readonly fetch?: typeof fetch;
};

export type WriteToken = { readonly id: string; readonly token: string };

export type InfluxAdmin = {
  createWriteToken(description: string): Promise<WriteToken>;
  /** Deleting a token that is already gone is not an error. */
  deleteToken(id: string): Promise<void>;
};

const failure = async (what: string, res: Response): Promise<Error> => {
  const text = await res.text();
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    /* not JSON: keep the text */
  }
  return new Error(`InfluxDB ${what}: HTTP ${res.status}: ${message}`);
};

export const influxAdminApi = async (options: InfluxAdminOptions): Promise<InfluxAdmin> => {
  const { url, org, bucket, fetch: doFetch = fetch } = options;
  const base = url.replace(/\/$/, '');
  const signin = await doFetch(`${base}/api/v2/signin`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}` },
  });
  if (signin.status !== 204 && signin.status !== 200) throw await failure(`sign-in as ${options.username}`, signin);
  const cookie = (signin.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (cookie === '') throw new Error('InfluxDB sign-in answered no session cookie');
  const call = (path: string, init: RequestInit = {}) =>
    doFetch(`${base}${path}`, {
      ...init,
      headers: {
        Cookie: cookie,
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...(init.headers ?? {}),
      },
    });

  const orgs = await call(`/api/v2/orgs?${new URLSearchParams({ org })}`);
  if (!orgs.ok) throw await failure(`org ${org}`, orgs);
  const orgID = ((await orgs.json()) as { orgs?: { id: string }[] }).orgs?.[0]?.id;
  if (orgID === undefined)
    throw new Error(`InfluxDB has no org ${org}; the instance is created with it (infra/timeSeries.ts)`);
  const buckets = await call(`/api/v2/buckets?${new URLSearchParams({ name: bucket, orgID })}`);
  if (!buckets.ok) throw await failure(`bucket ${bucket}`, buckets);
  const bucketID = ((await buckets.json()) as { buckets?: { id: string }[] }).buckets?.[0]?.id;
  if (bucketID === undefined)
    throw new Error(
      `InfluxDB org ${org} has no bucket ${bucket}; the instance is created with it (infra/timeSeries.ts)`,
    );

  return {
    createWriteToken: async (description) => {
      const res = await call('/api/v2/authorizations', {
        method: 'POST',
        body: JSON.stringify({
          orgID,
          description,
          permissions: [{ action: 'write', resource: { type: 'buckets', id: bucketID, orgID } }],
        }),
      });
      if (res.status !== 201 && res.status !== 200) throw await failure(`create a write token for ${bucket}`, res);
      const created = (await res.json()) as { id?: string; token?: string };
      if (created.id === undefined || created.token === undefined)
        throw new Error('InfluxDB answered a new authorization without id or token');
      return { id: created.id, token: created.token };
    },
    deleteToken: async (id) => {
      const res = await call(`/api/v2/authorizations/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (res.status !== 204 && res.status !== 404) throw await failure(`delete token ${id}`, res);
    },
  };
};
