// Authenticated reads of a controller's /metrics: a bearer token the controller reviews with the API
// server (TokenReview, then SubjectAccessReview for get /metrics).

export interface MetricsResponse {
  status: number;
  body: string;
}

/** GET /metrics with the token when one is given, whatever the answer. */
export async function getMetrics(url: string, token?: string): Promise<MetricsResponse> {
  const res = await fetch(`${url}/metrics`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  return { status: res.status, body: await res.text() };
}

/** The metrics text; throws unless the controller answers 200 (a refused token fails loudly). */
export async function readMetrics(url: string, token: string): Promise<string> {
  const { status, body } = await getMetrics(url, token);
  if (status !== 200) throw new Error(`GET ${url}/metrics: ${status} ${body}`);
  return body;
}
