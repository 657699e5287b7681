'use strict';

// The app's TypeScript build (cms/tsconfig.json) compiles server/ into cms/dist; Strapi loads a local
// plugin's server from its source folder, so this entry forwards to the compiled code.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS entry point, loaded by Strapi with require
module.exports = require('../../../dist/src/plugins/simulator/server').default;
