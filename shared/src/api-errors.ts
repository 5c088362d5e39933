// One short reason for a failed Kubernetes API call, and whether it is an expected, passing condition (the
// API server busy or starting, a watch the server closed, a conflict that the next try resolves) or a real
// failure. Works on client-node's ApiException (code, body as text) and the controller's ApiError
// (statusCode, parsed body) alike, and on network errors; never includes headers or a stack.

export interface ErrorSummary {
  /** Expected and retried: log it as one line at info, not as a warning. */
  transient: boolean;
  /** One line, e.g. `429 TooManyRequests: storage is (re)initializing (retry after 1s)`. */
  reason: string;
  status?: number;
}

interface Status {
  message?: string;
  reason?: string;
  details?: { retryAfterSeconds?: number };
}

// 500 is left out: an admission webhook that failed answers 500, and that needs a person.
const TRANSIENT_STATUS = new Set([409, 410, 429, 502, 503, 504]);
const TRANSIENT_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

function statusBody(body: unknown): Status | undefined {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as Status;
    } catch {
      return { message: body };
    }
  }
  return body && typeof body === 'object' ? (body as Status) : undefined;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** The network error code of `err` or of its cause (undici wraps them in `fetch failed`). */
function networkCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function describeApiError(err: unknown): ErrorSummary {
  const e = (err ?? {}) as { code?: unknown; statusCode?: unknown; body?: unknown; message?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' ? e.code : undefined;
  if (status !== undefined) {
    const s = statusBody(e.body);
    const retry = s?.details?.retryAfterSeconds;
    const what = s?.message ?? (typeof e.message === 'string' ? firstLine(e.message) : 'no message');
    const reason = `${status}${s?.reason ? ` ${s.reason}` : ''}: ${firstLine(what)}${retry ? ` (retry after ${retry}s)` : ''}`;
    return { transient: TRANSIENT_STATUS.has(status), reason, status };
  }
  const code = networkCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code && TRANSIENT_NETWORK.has(code)) return { transient: true, reason: `${code}: ${firstLine(message)}` };
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError'))
    return { transient: true, reason: `${err.name}: ${firstLine(message)}` };
  return { transient: false, reason: firstLine(message) };
}
