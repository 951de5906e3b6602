import { runApp } from '@platform/stack-kit';
import { resolve } from 'node:path';
import { buildBootstrapApp } from './bootstrap-app';

runApp({ appDir: resolve(__dirname, '..'), env: process.env, defaultBackend: 'local', build: buildBootstrapApp });
