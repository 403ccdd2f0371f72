/**
 * Resolves requests for the app's own content on the custom scheme (app://workstation/...) to
 * files of the built renderer, instead of file:// (which grants every local file the same origin).
 * Only files inside the renderer folder are served; anything else is 404.
 */
import path from 'node:path';
import { APP_HOST, APP_SCHEME, SECURITY_HEADERS } from './baseline';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wasm': 'application/wasm',
};

export type AppRequestResolution =
  | { status: 200; filePath: string; headers: Record<string, string> }
  | { status: 404 | 400; headers: Record<string, string> };

export function resolveAppRequest(url: string, rendererRoot: string): AppRequestResolution {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { status: 400, headers: { ...SECURITY_HEADERS } };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return { status: 404, headers: { ...SECURITY_HEADERS } };
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return { status: 400, headers: { ...SECURITY_HEADERS } };
  }
  return resolveRendererPath(pathname, rendererRoot);
}

/** Map a decoded URL path to a file inside the renderer folder, with its headers. */
export function resolveRendererPath(pathname: string, rendererRoot: string): AppRequestResolution {
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  if (pathname.includes('\0')) return { status: 400, headers: { ...SECURITY_HEADERS } };
  const root = path.resolve(rendererRoot);
  const filePath = path.resolve(root, '.' + pathname);
  // Only files under the folder: the folder itself (/a/..%2f) and anything outside it are 404.
  if (!filePath.startsWith(root + path.sep)) return { status: 404, headers: { ...SECURITY_HEADERS } };
  const type = MIME[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
  return { status: 200, filePath, headers: { ...SECURITY_HEADERS, 'Content-Type': type } };
}
