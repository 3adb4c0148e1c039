// The one way the app talks to the server: fetch with the session cookie, the
// CSRF header on writes, and the API's error shape turned into an ApiError.
//
// What to do about errors (show a message, go to the login page) is decided by
// handlers the app installs with configureHttp, so this module knows nothing
// about the router, the store or the translations.

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

let csrfToken = '';
const handlers = {
  notify: () => {},
  unauthorized: () => {},
  restricted: () => {},
};

export function configureHttp(h) {
  Object.assign(handlers, h);
}

export function setCsrfToken(token) {
  csrfToken = token || '';
}

export function buildUrl(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

// Reads `{"error":{"code","message","field"}}`; anything else (a proxy's HTML
// page, an empty body) still becomes an ApiError with the HTTP status.
export function errorFromResponse(status, body) {
  const e = body && typeof body === 'object' ? body.error : null;
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    return new ApiError(status, e.code, e.message || e.code, e.field);
  }
  return new ApiError(status, `http_${status}`, `HTTP ${status}`, null);
}

function isQuiet(silent, err) {
  if (typeof silent === 'function') return silent(err);
  if (Array.isArray(silent)) return silent.includes(err.code);
  return Boolean(silent);
}

/**
 * opts.query   object of query parameters (empty values are left out)
 * opts.body    JSON body
 * opts.silent  true, a list of error codes, or a predicate: no message for those
 * opts.auth    true for the sign-in calls: a 401 is their answer, not an expiry
 * opts.signal  an AbortSignal that cancels the request (long polls)
 */
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (opts.signal) init.signal = opts.signal;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (WRITE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res;
  try {
    res = await fetch(buildUrl(path, opts.query), init);
  } catch (cause) {
    const err = new ApiError(0, 'network', String(cause && cause.message ? cause.message : cause));
    if (!isQuiet(opts.silent, err)) handlers.notify(err);
    throw err;
  }

  let body = null;
  const type = res.headers.get('Content-Type') || '';
  if (res.status !== 204 && type.includes('json')) {
    try {
      body = await res.json();
    } catch {
      body = null;
    }
  }
  if (res.ok) return body;

  const err = errorFromResponse(res.status, body);
  if (res.status === 401 && !opts.auth) {
    handlers.unauthorized(err);
    throw err;
  }
  if (res.status === 403 && (err.code === 'password_change_required' || err.code === 'totp_enrollment_required')) {
    handlers.restricted(err);
    throw err;
  }
  if (!isQuiet(opts.silent, err)) handlers.notify(err);
  throw err;
}

export const http = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body: body ?? {} }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body: body ?? {} }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body: body ?? {} }),
  del: (path, opts) => request('DELETE', path, opts),
};

/**
 * Sends a file as the request body (POST, the bytes as they are: the
 * attachments API) with XMLHttpRequest, which, unlike fetch, reports upload
 * progress. opts.onProgress(fraction 0..1); opts.silent as for request.
 * Resolves to the JSON answer; rejects with an ApiError as request does.
 */
export function upload(path, query, file, opts = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(path, query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    if (opts.onProgress) {
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total) opts.onProgress(e.loaded / e.total);
      };
    }
    const fail = (err) => {
      if (err.status === 401) handlers.unauthorized(err);
      else if (!isQuiet(opts.silent, err)) handlers.notify(err);
      reject(err);
    };
    xhr.onerror = () => fail(new ApiError(0, 'network', 'network error'));
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else fail(errorFromResponse(xhr.status, body));
    };
    xhr.send(file);
  });
}
