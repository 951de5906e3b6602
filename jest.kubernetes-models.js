// Jest settings for specs that validate objects with @kubernetes-models/* or kubernetes-models:
// those packages (and the two small ones they use) publish ESM only, so they resolve through
// their "import" export and swc compiles them to CommonJS like the specs. Nothing else changes.
const path = require('node:path');
const preset = require('./jest.preset.js');

const swc = preset.transform['^.+\\.ts$'];

/** A project's jest config with the Kubernetes model packages made loadable. */
module.exports = (projectDir, displayName) => ({
  ...preset,
  rootDir: projectDir,
  displayName,
  resolver: path.join(__dirname, 'jest.esm-models-resolver.js'),
  transform: { '^.+\\.(ts|js)$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@kubernetes-models|kubernetes-models|is-cidr|cidr-regex)/)'],
});
