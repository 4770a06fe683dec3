// Lints the scripts the site ships (static/*.js): `npx eslint static/`,
// run by .ci/run. search.js also runs under node for the tests, so
// `module` is known too.
'use strict';

const js = require('@eslint/js');
const globals = require('globals');

module.exports = [
  js.configs.recommended,
  {
    files: ['static/**/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'script',
      globals: { ...globals.browser, module: 'readonly' },
    },
  },
];
