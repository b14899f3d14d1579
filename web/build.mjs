// Builds web/static from web/src: the chat widget and the advisor view bundled with socket.io-client, the
// stylesheets minified, the pages copied; and axe-core for the browser tests. Run: cd web && npm ci && npm run build
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

const common = { bundle: true, minify: true, target: ["es2020"], legalComments: "none", logLevel: "info" };
mkdirSync("static", { recursive: true });
await build({ ...common, entryPoints: { chat: "src/widget.js", advisor: "src/advisor.js" }, outdir: "static", format: "iife" });
await build({ ...common, entryPoints: ["src/chat.css", "src/site.css", "src/advisor.css"], outdir: "static" });
for (const page of ["index.html", "advisor.html"]) copyFileSync(`src/${page}`, `static/${page}`);
mkdirSync("../tests/e2e/assets", { recursive: true });
copyFileSync("node_modules/axe-core/axe.min.js", "../tests/e2e/assets/axe.min.js");
