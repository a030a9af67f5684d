// Remote mode's GET, in the browser's fetch: smaller than the same in wasm through web-sys.
// Resolves to the body of a 2xx answer; otherwise rejects with {kind, status, body, message}:
// kind is "aborted", "status" (an HTTP error: its status and body), "cors" (the server answered
// but no CORS header allowed this page to read it), "unreachable" (nothing answered) or "other"
// (a URL or header the browser refuses). A browser reports CORS and "connection refused" with the
// same TypeError; a second request in `no-cors` mode, which gets an opaque answer from any server
// that answers at all, tells them apart. With a tenant header, a request without it that succeeds
// shows the header alone was refused ("cors_tenant").
export async function remote_get(url, authorization, tenant, signal) {
  const headers = {};
  if (authorization) headers.Authorization = authorization;
  if (tenant) headers['X-Scope-OrgID'] = tenant;
  let resp;
  try {
    resp = await fetch(url, { headers, signal });
  } catch (e) {
    if (signal && signal.aborted) throw { kind: 'aborted' };
    // Chromium says "Failed to fetch", Firefox "NetworkError when attempting to fetch resource.",
    // Safari "Load failed"; anything else is a request the browser would not make.
    const m = String(e && e.message);
    if (!(m === 'Failed to fetch' || m === 'Load failed' || m.startsWith('NetworkError'))) throw { kind: 'other', message: m };
    try {
      await fetch(url, { mode: 'no-cors', signal });
    } catch {
      throw { kind: signal && signal.aborted ? 'aborted' : 'unreachable' };
    }
    if (tenant) {
      delete headers['X-Scope-OrgID'];
      const ok = await fetch(url, { headers, signal }).then(() => true, () => false);
      if (ok) throw { kind: 'cors_tenant' };
    }
    throw { kind: 'cors' };
  }
  let body;
  try {
    body = await resp.text();
  } catch (e) {
    throw { kind: signal && signal.aborted ? 'aborted' : 'other', message: String(e && e.message) };
  }
  if (!resp.ok) throw { kind: 'status', status: resp.status, body };
  return body;
}
