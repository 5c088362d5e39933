// A small JSON REST client over the kubeconfig's transport. Objects stay plain JSON (no client-node model
// classes), so informer caches, rendered objects and API responses compare field by field.
import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import { FIELD_MANAGER } from '@openvox/shared/runtime';
import { connect, type KubeConnection } from '@openvox/shared/informer';
import type { WriteFence } from './fence.js';
import { fenceInterceptor } from './fence-interceptor.js';
import { collectionPath, objectPath, type ResourceType } from './resources.js';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    deletionTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeList<T> {
  items: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.statusCode === 404;
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.statusCode === 409;

/** Called once per mutating request; the metrics registry counts these. */
export type WriteObserver = (verb: string, kind: string) => void;

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface KubeClient {
  list<T extends KubeObject>(r: ResourceType, opts?: ListOptions): Promise<KubeList<T>>;
  get<T extends KubeObject>(r: ResourceType, namespace: string | undefined, name: string): Promise<T | undefined>;
  /** Server-side apply with force, as our field manager unless another is given. */
  apply<T extends KubeObject>(r: ResourceType, obj: T, fieldManager?: string): Promise<T>;
  create<T extends KubeObject>(r: ResourceType, obj: T): Promise<T>;
  replace<T extends KubeObject>(r: ResourceType, obj: T): Promise<T>;
  /** JSON merge patch of the status subresource. */
  patchStatus<T extends KubeObject>(r: ResourceType, namespace: string, name: string, status: unknown): Promise<T>;
  /** Delete with a uid precondition when given, so we never delete a same-named replacement. */
  delete(r: ResourceType, namespace: string | undefined, name: string, uid?: string): Promise<void>;
}

export interface ClientOptions {
  onWrite?: WriteObserver;
  /** Per-request timeout; watches do not go through this client. */
  timeoutMs?: number;
  /** Checked right before each write is sent; its signal cancels every request in flight. */
  fence?: WriteFence;
  /** Names this process in the API server's audit log (e.g. the leader-election identity). */
  userAgent?: string;
}

/** The kubeconfig file at `path`, or the in-cluster service account (else $KUBECONFIG) when none is given. */
export function loadKubeConfig(path?: string): Promise<KubeConnection> {
  return connect(path);
}

export class RestClient implements KubeClient {
  private readonly dispatcher: Dispatcher;
  private readonly server: string;

  constructor(
    private readonly connection: KubeConnection,
    private readonly opts: ClientOptions = {},
  ) {
    this.server = connection.server;
    // One connection pool per API server; the fence only wraps this client's view of it.
    this.dispatcher = opts.fence ? connection.dispatcher.compose(fenceInterceptor(opts.fence)) : connection.dispatcher;
  }

  private async request<T>(
    method: string,
    path: string,
    query: Record<string, string | undefined> = {},
    body?: unknown,
    contentType = 'application/json',
    write?: { verb: string; r: ResourceType },
  ): Promise<T> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    // Credentials are asked for per request (tokens rotate); the connection pool is reused.
    const headers: Record<string, string> = { ...(await this.connection.headers()), Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = contentType;
    if (this.opts.userAgent) headers['User-Agent'] = this.opts.userAgent;
    const { fence } = this.opts;
    const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 30_000);
    // No await between the fence check and the send: a frozen process resumes into the check.
    if (write) {
      fence?.check();
      this.opts.onWrite?.(write.verb, write.r.kind);
    }
    // undici's request, not its fetch: no WHATWG Request, Response and stream objects per call, which the
    // Lease renewal of an idle controller paid for every 2 s.
    const response = await this.dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: method as Dispatcher.HttpMethod,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: fence ? AbortSignal.any([timeout, fence.signal]) : timeout,
    });
    const text = await response.body.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    const status = response.statusCode;
    if (status < 200 || status >= 300) {
      const message = (parsed as { message?: string } | undefined)?.message ?? STATUS_CODES[status] ?? 'error';
      throw new ApiError(status, `${method} ${path}: ${status} ${message}`, parsed);
    }
    return parsed as T;
  }

  async list<T extends KubeObject>(r: ResourceType, opts: ListOptions = {}) {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = await this.request<KubeList<T>>('GET', collectionPath(r, opts.namespace), {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: '500',
        continue: cont,
      });
      for (const item of page.items) items.push({ apiVersion: r.apiVersion, kind: r.kind, ...item });
      cont = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion;
    } while (cont);
    return { items, metadata: { resourceVersion } };
  }

  async get<T extends KubeObject>(r: ResourceType, namespace: string | undefined, name: string) {
    try {
      return await this.request<T>('GET', objectPath(r, namespace, name));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async apply<T extends KubeObject>(r: ResourceType, obj: T, fieldManager = FIELD_MANAGER) {
    // JSON is valid YAML, so the apply-patch+yaml body can be plain JSON.
    return this.request<T>(
      'PATCH',
      objectPath(r, obj.metadata?.namespace, obj.metadata?.name ?? ''),
      { fieldManager, force: 'true' },
      obj,
      'application/apply-patch+yaml',
      { verb: 'apply', r },
    );
  }

  async create<T extends KubeObject>(r: ResourceType, obj: T) {
    return this.request<T>(
      'POST',
      collectionPath(r, obj.metadata?.namespace),
      { fieldManager: FIELD_MANAGER },
      obj,
      undefined,
      { verb: 'create', r },
    );
  }

  async replace<T extends KubeObject>(r: ResourceType, obj: T) {
    return this.request<T>(
      'PUT',
      objectPath(r, obj.metadata?.namespace, obj.metadata?.name ?? ''),
      { fieldManager: FIELD_MANAGER },
      obj,
      undefined,
      { verb: 'update', r },
    );
  }

  async patchStatus<T extends KubeObject>(r: ResourceType, namespace: string, name: string, status: unknown) {
    return this.request<T>(
      'PATCH',
      `${objectPath(r, namespace, name)}/status`,
      { fieldManager: FIELD_MANAGER },
      { status },
      'application/merge-patch+json',
      { verb: 'patch_status', r },
    );
  }

  async delete(r: ResourceType, namespace: string | undefined, name: string, uid?: string) {
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Background',
      ...(uid ? { preconditions: { uid } } : {}),
    };
    try {
      await this.request('DELETE', objectPath(r, namespace, name), {}, body, undefined, { verb: 'delete', r });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
