// Downloads a file of the API (an Excel or CSV export) with its progress: the
// body is read as a stream, and onProgress(bytesSoFar, total) is called for
// each piece (total from Content-Length; 0 when the server did not say). An
// error answer becomes the same ApiError as any other call.
import { buildUrl, errorFromResponse, ApiError } from './http.js';

// The file name of a Content-Disposition header: filename*=UTF-8''… (RFC 5987,
// the Chinese name) first, then filename="…".
export function filenameOf(disposition, fallback = 'download') {
  const text = String(disposition || '');
  const star = /filename\*=UTF-8''([^;]+)/i.exec(text);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // a broken encoding: fall through to the plain name
    }
  }
  const plain = /filename="([^"]*)"/i.exec(text);
  return plain && plain[1] ? plain[1] : fallback;
}

export async function download(path, query, onProgress = () => {}) {
  let res;
  try {
    res = await fetch(buildUrl(path, query), { credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError(0, 'network', String(cause && cause.message ? cause.message : cause));
  }
  if (!res.ok) {
    let body = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    throw errorFromResponse(res.status, body);
  }
  const total = Number(res.headers.get('Content-Length')) || 0;
  const chunks = [];
  let got = 0;
  onProgress(0, total);
  if (res.body && res.body.getReader) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      got += value.length;
      onProgress(got, total);
    }
  } else {
    const buf = new Uint8Array(await res.arrayBuffer());
    chunks.push(buf);
    onProgress(buf.length, total);
  }
  const blob = new Blob(chunks, { type: res.headers.get('Content-Type') || 'application/octet-stream' });
  return { blob, filename: filenameOf(res.headers.get('Content-Disposition')) };
}

// Hands a downloaded file to the browser to save.
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
