// ink + react take ~0.5 s to load (several seconds on a busy machine): start loading them while the person is
// still answering the first questions, so the step list appears at once when the run starts. No-op cost for
// the plain path, which never calls this.

let loading: Promise<unknown> | undefined;

/** Starts importing the Ink UI in the background (once). Errors surface later, where the UI is really used. */
export function preloadInkUi(): Promise<unknown> {
  loading ??= import('./ink/session.js').catch(() => undefined);
  return loading;
}
