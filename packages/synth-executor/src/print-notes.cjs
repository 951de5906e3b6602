// Prints, once, the notes the synth of an environment recorded (dist/<env>/<app>/synth-environment.json):
// `node packages/synth-executor/src/print-notes.cjs <env> [<app>...]` (no app: every app). Plain JavaScript,
// so it costs only a Node start-up before `nx run <app>:deploy|diff`; `npm run synth` (synth-all.ts)
// requires it and calls it in its own process.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Prints each note the apps of `environment` recorded, once (no app: every app of the environment). */
function printNotes(environment, apps = [], distRoot = path.resolve(__dirname, '../../../dist')) {
  const dist = path.join(distRoot, environment);
  const names = apps.length > 0 ? apps : fs.existsSync(dist) ? fs.readdirSync(dist) : [];
  const notes = new Set();
  for (const app of names) {
    const file = path.join(dist, app, 'synth-environment.json');
    if (!fs.existsSync(file)) continue;
    for (const note of JSON.parse(fs.readFileSync(file, 'utf8')).notes ?? []) notes.add(note);
  }
  for (const note of notes) console.warn(note);
}

module.exports = printNotes;
if (require.main === module) {
  const [environment = 'prod', ...apps] = process.argv.slice(2);
  printNotes(environment, apps);
}
