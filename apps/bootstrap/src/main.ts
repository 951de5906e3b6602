import { runApp } from '@platform/stack-kit';
import { resolve } from 'node:path';
import { buildBootstrapApp } from './bootstrap-app';

runApp({ appDir: resolve(__dirname, '..'), env: process.env, argv: process.argv.slice(2), defaultBackend: 'local', build: buildBootstrapApp });
