// The web client's ES modules must form no import cycle (a cycle makes
// evaluation order depend on which module the browser reaches first, and
// bindings read before they are set are undefined). Reads every .js file in
// the given folder, follows its static relative imports and fails on the
// first cycle, printing it.
//   node check_web_imports.mjs services/gateway/web
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) { console.log('usage: check_web_imports.mjs <web folder>'); process.exit(2); }
const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
const edges = new Map();
for (const f of files) {
  const text = readFileSync(join(dir, f), 'utf8');
  const deps = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]\.\/([^'"]+)['"]/gms)].map((m) => m[1]);
  for (const m of text.matchAll(/^\s*import\s+['"]\.\/([^'"]+)['"]/gm)) deps.push(m[1]);
  edges.set(f, deps);
}
const state = new Map(); // undefined: new, 1: on the path, 2: done
const path = [];
function visit(f) {
  if (state.get(f) === 2) return;
  if (state.get(f) === 1) {
    console.log(`not ok - import cycle: ${[...path.slice(path.indexOf(f)), f].join(' -> ')}`);
    process.exit(1);
  }
  state.set(f, 1);
  path.push(f);
  for (const d of edges.get(f) || []) {
    if (!edges.has(d)) { console.log(`not ok - ${f} imports ./${d}, which does not exist`); process.exit(1); }
    visit(d);
  }
  path.pop();
  state.set(f, 2);
}
files.forEach(visit);
console.log(`ok - ${files.length} modules, no import cycle`);
