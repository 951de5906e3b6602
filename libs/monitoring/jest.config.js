module.exports = require('../../jest.kubernetes-models.js')(__dirname, 'monitoring');
