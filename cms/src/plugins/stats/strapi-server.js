'use strict';

// Strapi resolves a local plugin from the app's source tree (cms/src/plugins/stats), but a TypeScript
// app only runs compiled code: the server half is compiled with the app into cms/dist.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS entry point, loaded by Strapi with require
module.exports = require('../../../dist/src/plugins/stats/server').default;
