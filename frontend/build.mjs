// Build the dashboard into src/tidings/web/ (the Python package serves it from there).
// `npm run build` bundles src/main.js with esbuild (d3 modules + topojson-client, minified)
// and copies the static files the server needs offline: the world map (world-atlas), and
// Swagger UI / ReDoc for the API docs. Nothing is fetched at run time from anywhere else.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "tidings", "web");
const nm = join(here, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "vendor", "swagger-ui"), { recursive: true });
mkdirSync(join(out, "vendor", "redoc"), { recursive: true });

const result = await build({
  entryPoints: [join(here, "src", "main.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "none",
  metafile: true,
  outfile: join(out, "app.js"),
  logLevel: "info",
});

// The licences of every package bundled into app.js (d3 is ISC: keep its notices).
const bundled = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) bundled.add(m[1]);
}
let notices = "Third-party packages bundled into app.js, with their licences.\n";
for (const pkg of [...bundled].sort()) {
  const dir = join(nm, pkg);
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const lic = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  notices += `\n==== ${pkg} ${meta.version} (${meta.license}) ====\n`;
  notices += lic ? readFileSync(join(dir, lic), "utf8") : `${meta.license}\n`;
}
writeFileSync(join(out, "app.js.LICENSES.txt"), notices);

const copy = (from, to) => copyFileSync(from, join(out, to));
copy(join(here, "src", "index.html"), "index.html");
copy(join(here, "src", "app.css"), "app.css");
copy(join(here, "src", "docs-init.js"), "docs-init.js");
copy(join(here, "src", "favicon.svg"), "favicon.svg");
copy(join(nm, "world-atlas", "countries-110m.json"), "countries-110m.json");
copy(join(nm, "world-atlas", "LICENSE"), "countries-110m.LICENSE.txt");
for (const f of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
  copy(join(nm, "swagger-ui-dist", f), join("vendor", "swagger-ui", f));
}
copy(join(nm, "redoc", "bundles", "redoc.standalone.js"), join("vendor", "redoc", "redoc.standalone.js"));
copy(join(nm, "redoc", "LICENSE"), join("vendor", "redoc", "LICENSE"));
// The bundles end with a sourceMappingURL comment; the maps are not shipped, so drop it
// (browsers would otherwise request a missing file when dev tools are open).
for (const f of [join("vendor", "swagger-ui", "swagger-ui-bundle.js"), join("vendor", "swagger-ui", "swagger-ui.css"),
                 join("vendor", "redoc", "redoc.standalone.js")]) {
  const p = join(out, f);
  writeFileSync(p, readFileSync(p, "utf8").replace(/\n?\/[/*]# sourceMappingURL=\S+(\s*\*\/)?\s*$/, "\n"));
}
// ReDoc's sidebar shows Redocly's logo from their CDN, which the docs page's CSP blocks (and
// which would tell a third party that someone opened the docs): point it at an empty data: URL
// instead, so the image fails to load without a request and ReDoc drops it (its onError hides
// the logo). tests/test_api.py checks that the shipped bundle names no CDN.
{
  const p = join(out, "vendor", "redoc", "redoc.standalone.js");
  writeFileSync(p, readFileSync(p, "utf8").split("https://cdn.redoc.ly/redoc/logo-mini.svg").join("data:,"));
}
const versions = {};
for (const p of ["d3-geo", "topojson-client", "world-atlas", "swagger-ui-dist", "redoc", "esbuild"]) {
  versions[p] = JSON.parse(readFileSync(join(nm, p, "package.json"), "utf8")).version;
}
writeFileSync(join(out, "BUILD.json"), JSON.stringify({ built_by: "frontend/build.mjs", versions }, null, 1) + "\n");
console.log("built", out);
