const preset = require('../../jest.preset.js');

// @kubernetes-models/* are ESM-only: resolve them through their "import" export and let swc turn
// them into CommonJS like the specs. Nothing else changes.
const swc = preset.transform['^.+\\.ts$'];
module.exports = {
  ...preset,
  rootDir: __dirname,
  displayName: 'platform',
  resolver: '<rootDir>/esm-models-resolver.js',
  transform: { '^.+\\.(ts|js)$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@kubernetes-models|kubernetes-models|is-cidr|cidr-regex)/)'],
};
