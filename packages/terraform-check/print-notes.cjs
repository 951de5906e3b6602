// Prints, once, the notes the synth of an environment recorded (dist/<env>/<app>/synth-environment.json):
// `node packages/terraform-check/print-notes.cjs <env> [<app>...]` (no app: every app). Plain JavaScript,
// so it costs only a Node start-up after `npm run synth` and before `nx run <app>:deploy|diff`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [environment = 'prod', ...apps] = process.argv.slice(2);
const dist = path.resolve(__dirname, '../../dist', environment);
const names = apps.length > 0 ? apps : fs.existsSync(dist) ? fs.readdirSync(dist) : [];
const notes = new Set();
for (const app of names) {
  const file = path.join(dist, app, 'synth-environment.json');
  if (!fs.existsSync(file)) continue;
  for (const note of JSON.parse(fs.readFileSync(file, 'utf8')).notes ?? []) notes.add(note);
}
for (const note of notes) console.warn(note);
