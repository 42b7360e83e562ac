// Build Heard's front-end assets from npm packages into heard/static/build/ (gitignored).
//
//   heard/static/src/heard.scss  --sass-->  heard/static/build/heard.css (compressed)
//   govuk-frontend/dist/govuk/govuk-frontend.min.js(.map)  -->  heard/static/build/
//   govuk-frontend/dist/govuk/assets/ (images, manifest.json)  -->  heard/static/build/assets/
//
// GDS Transport fonts are deliberately not copied: they are licensed for GOV.UK only, and a council
// service uses a system font stack (see heard.scss).
//
// Run by `make assets` (after `npm ci`), or directly: `node scripts/build-assets.mjs`.
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const govukDist = path.join(path.dirname(require.resolve("govuk-frontend/package.json")), "dist", "govuk");
const src = path.join(root, "heard", "static", "src");
const out = path.join(root, "heard", "static", "build");

async function buildCss() {
  const result = await sass.compileAsync(path.join(src, "heard.scss"), {
    style: "compressed",
    // Resolves `@use "pkg:govuk-frontend"` through node_modules and the package's "sass" export.
    importers: [new sass.NodePackageImporter(root)],
    // GOV.UK Frontend 6 still uses @import internally: don't drown our own warnings in its deprecations.
    quietDeps: true,
    silenceDeprecations: ["import", "global-builtin", "if-function"],
    sourceMap: false,
  });
  await writeFile(path.join(out, "heard.css"), result.css + "\n");
  return result.css.length;
}

async function copyGovukFrontend() {
  for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
    await cp(path.join(govukDist, name), path.join(out, name));
  }
  await cp(path.join(govukDist, "assets"), path.join(out, "assets"), {
    recursive: true,
    filter: (source) => !source.split(path.sep).includes("fonts"),
  });
}

async function main() {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const cssBytes = await buildCss();
  await copyGovukFrontend();
  console.log(`Built ${path.relative(root, out)}/: heard.css (${cssBytes} bytes), govuk-frontend.min.js, assets/`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
