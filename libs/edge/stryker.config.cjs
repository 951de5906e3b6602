module.exports = require('../../stryker.preset.cjs')(__dirname);
