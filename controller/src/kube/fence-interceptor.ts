// The last check of the write fence, in the HTTP client itself: undici calls onRequestStart in the same
// synchronous step that writes the request to the socket, so a process frozen after its first check (in
// RestClient) but before the bytes left finds out here and aborts instead of sending a stale write.
import type { Dispatcher } from 'undici';
import type { WriteFence } from './fence.js';

const HANDLER_METHODS = [
  'onRequestStart',
  'onRequestUpgrade',
  'onResponseStart',
  'onResponseData',
  'onResponseEnd',
  'onResponseError',
  'onResponseStarted',
  'onRequestSent',
] as const;

type Handler = Dispatcher.DispatchHandler;

export function fenceInterceptor(fence: WriteFence): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    if (opts.method === 'GET') return dispatch(opts, handler);
    // Bound, not a prototype copy: the handler's methods may rely on their own `this`.
    const wrapped: Record<string, unknown> = {};
    for (const m of HANDLER_METHODS) {
      const fn = (handler as Record<string, unknown>)[m];
      if (typeof fn === 'function') wrapped[m] = fn.bind(handler);
    }
    wrapped.onRequestStart = (controller: Dispatcher.DispatchController, context: unknown) => {
      try {
        fence.check();
      } catch (err) {
        controller.abort(err as Error);
        return;
      }
      handler.onRequestStart?.(controller, context);
    };
    return dispatch(opts, wrapped as Handler);
  };
}
