// Jest resolver: @kubernetes-models/*, kubernetes-models and the two small packages they use
// (is-cidr, cidr-regex) publish ESM only, so those, and only those, resolve through their
// "import" export; jest.config.js lets swc compile them to CommonJS.
const ESM_ONLY = /^(@kubernetes-models\/[^/]+|kubernetes-models|is-cidr|cidr-regex)(\/|$)/;

module.exports = (request, options) =>
  options.defaultResolver(request, ESM_ONLY.test(request) ? { ...options, conditions: ['import', 'default'] } : options);
