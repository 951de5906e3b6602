import { buildRegionApp } from '@platform/region-stacks';
import { runApp } from '@platform/stack-kit';
import { resolve } from 'node:path';

runApp({
  appDir: resolve(__dirname, '..'),
  env: process.env,
  argv: process.argv.slice(2),
  build: (app, context) => buildRegionApp(app, context, 'eu-west'),
});
