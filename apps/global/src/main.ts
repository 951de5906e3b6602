import { runApp } from '@platform/stack-kit';
import { resolve } from 'node:path';
import { buildGlobalApp } from './global-app';

runApp({ appDir: resolve(__dirname, '..'), env: process.env, argv: process.argv.slice(2), build: buildGlobalApp });
