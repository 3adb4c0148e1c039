// Runs the real fengqiao binary for the end-to-end test: its CLI commands on
// a temporary SQLite store, and `serve` on a free loopback port.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, resolve, basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

// FQ_BIN if set (relative to the current folder), else build/fengqiao of the repo.
export function binaryPath() {
  const bin = process.env.FQ_BIN ? resolve(process.env.FQ_BIN) : resolve(REPO_ROOT, 'build/fengqiao');
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new Error(`no fengqiao binary at ${bin}: build it (make) or set FQ_BIN`);
  }
  return bin;
}

export function webRoot() {
  const root = process.env.FQ_WEB_ROOT ? resolve(process.env.FQ_WEB_ROOT) : resolve(REPO_ROOT, 'web/dist');
  try {
    accessSync(resolve(root, 'index.html'), constants.R_OK);
  } catch {
    throw new Error(`the browser app is not built (${root}/index.html): cd web && npm ci && npm run build`);
  }
  return root;
}

/** Runs `bin args…` to completion; resolves with stdout, rejects with stderr. */
export function runCli(bin, args, { input = '', timeoutMs = 60_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(out);
      else reject(new Error(`fengqiao ${args.join(' ')} failed (${signal || code}):\n${err || out}`));
    });
    child.stdin.end(input);
  });
}

export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePromise(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `fengqiao serve` and waits until GET /healthz answers 200.
 * Returns { baseUrl, log(), stop() }; stop() is safe to call more than once.
 */
export async function startServer(bin, { store, web, timeoutMs = 20_000 }) {
  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  const extra = (process.env.FQ_SERVE_ARGS || '').split(/\s+/).filter(Boolean);
  const child = spawn(bin, ['serve', '--store', store, '--listen', listen, '--web_root', web, ...extra], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logText = '';
  const keep = (d) => {
    logText = (logText + d).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const done = new Promise((r) =>
    child.on('exit', (code, signal) => {
      exited = signal || code;
      r();
    }),
  );

  const stop = async () => {
    if (exited !== null) return;
    child.kill('SIGTERM');
    await Promise.race([done, sleep(5000)]);
    if (exited === null) {
      child.kill('SIGKILL');
      await done;
    }
  };
  // If the test process dies without its after hook, do not leave a server behind.
  process.once('exit', () => exited === null && child.kill('SIGKILL'));

  const baseUrl = `http://${listen}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`fengqiao serve exited (${exited}) before answering:\n${logText}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`fengqiao serve did not answer /healthz within ${timeoutMs} ms:\n${logText}`);
    }
    await sleep(100);
  }
  return { baseUrl, log: () => logText, stop };
}

/**
 * A fresh store for one test run in folder tmp: a SQLite file, or, when
 * FQ_TEST_PG_URL names a PostgreSQL server (tools/pg-throwaway.sh), a new
 * database there, with the key file in tmp (FENGQIAO_KEY_FILE, which every
 * command run afterwards inherits). Returns { store, drop() }.
 */
export async function freshStore(tmp) {
  const pg = process.env.FQ_TEST_PG_URL;
  if (!pg) return { store: `sqlite:${join(tmp, 'fq.db')}`, drop: async () => {} };
  const name = `fqe2e_${basename(tmp).replace(/[^A-Za-z0-9]/g, '').toLowerCase()}`;
  await runCommand('psql', [pg, '-qc', `CREATE DATABASE ${name}`]);
  process.env.FENGQIAO_KEY_FILE = join(tmp, 'fq.key');
  return {
    store: pg.replace(/:\/\/\/[^?]*/, `:///${name}`),
    drop: () => runCommand('psql', [pg, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
  };
}

/**
 * The demo station (`fengqiao init` and `demo`) on a fresh store, with users
 * [[name, role], …] added with password in the org unit of code org, served
 * by the binary with the browser app. Returns { server, store, ids (user id
 * by name), close() }; close() stops the server and drops the store.
 */
export async function demoStation({ users = [], password, org }) {
  const bin = binaryPath();
  const tmp = mkdtempSync(join(tmpdir(), 'fq-e2e-'));
  const fresh = await freshStore(tmp);
  const ids = {};
  let server;
  const close = async () => {
    await server?.stop();
    await fresh.drop().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await runCli(bin, ['init', '--store', fresh.store]);
    await runCli(bin, ['demo', '--store', fresh.store]);
    for (const [name, role] of users) {
      const out = await runCli(bin, ['user', 'add', name, '--role', role, '--org', org, '--store', fresh.store], { input: `${password}\n` });
      const m = /created with id (\d+)/.exec(out);
      if (!m) throw new Error(`no user id for ${name} in: ${out}`);
      ids[name] = Number(m[1]);
    }
    server = await startServer(bin, { store: fresh.store, web: webRoot() });
  } catch (e) {
    await close();
    throw e;
  }
  return { server, store: fresh.store, ids, close };
}

function runCommand(cmd, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${cmd} failed: ${err}`))));
  });
}

/**
 * Signs username in through the API; returns a function (method, path, body)
 * → { status, body } that calls the API in that session (JSON in and out,
 * with the CSRF token), with the session's answer as its `session` and the
 * signed-in user as its `user`.
 */
export async function apiSession(baseUrl, username, password) {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status}`);
  const session = await res.json();
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const call = async (method, path, body) => {
    const r = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': session.csrf_token, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  };
  call.session = session;
  call.user = session.user;
  return call;
}
