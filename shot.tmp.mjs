// src/node/web-server.ts
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { resolve, sep } from "node:path";

// src/shared/ipc.ts
var APP_SCHEME = "app";
var APP_HOST = "loupe";
var APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
var CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join("; ");

// src/node/content-type.ts
import { extname } from "node:path";
var TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8"
};
function contentTypeOf(path) {
  return TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

// src/node/web-server.ts
var SECURITY_HEADERS = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store"
};
function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return void 0;
  }
  if (decoded.includes("\0")) return void 0;
  const base = resolve(root);
  const target = resolve(base, `.${decoded.startsWith("/") ? decoded : `/${decoded}`}`);
  return target === base || target.startsWith(base + sep) ? target : void 0;
}
function startWebServer(options) {
  const mounts = Object.entries({ ...options.demoDir !== void 0 ? { demo: options.demoDir } : {}, ...options.mounts });
  const server2 = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      if (request.method !== "GET" && request.method !== "HEAD") {
        response.writeHead(405, SECURITY_HEADERS).end();
        return;
      }
      let root = options.rendererDir;
      let path = url.pathname === "/" ? "/index.html" : url.pathname;
      for (const [prefix, dir] of mounts) {
        if (path.startsWith(`/${prefix}/`)) {
          root = dir;
          path = path.slice(prefix.length + 1);
        }
      }
      const file = resolveInside(root, path);
      const info = file === void 0 ? void 0 : await stat(file).catch(() => void 0);
      if (file === void 0 || info === void 0 || !info.isFile()) {
        response.writeHead(404, { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8" }).end("not found");
        return;
      }
      response.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": contentTypeOf(file), "Content-Length": info.size });
      if (request.method === "HEAD") response.end();
      else createReadStream(file).pipe(response);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
      response.end();
    });
  });
  return new Promise((resolvePromise, reject) => {
    server2.once("error", reject);
    server2.listen(options.port ?? 0, "127.0.0.1", () => {
      const address = server2.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      resolvePromise({
        url: `http://127.0.0.1:${port}/`,
        server: server2,
        close: () => new Promise((done) => server2.close(() => done()))
      });
    });
  });
}

// ../../tmp/adhoc/shot.ts
import { chromium } from "@playwright/test";
var server = await startWebServer({ rendererDir: "/work/main/dist/renderer", demoDir: "/work/main/demo" });
var browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
var page = await browser.newPage({ viewport: { width: 1440, height: 860 }, colorScheme: process.env.SCHEME ?? "dark" });
await page.goto(`${server.url}?demo=1`);
await page.getByTestId("message").waitFor();
await page.waitForTimeout(800);
var scroller = page.getByTestId("timeline-scroll");
await scroller.evaluate((el) => {
  el.scrollTop = 24 * 60;
});
await page.waitForTimeout(400);
await page.getByTestId("timeline-row").nth(8).click();
await page.waitForTimeout(400);
await page.screenshot({ path: process.env.OUT ?? "/tmp/adhoc/shot2.png" });
await browser.close();
await server.close();
