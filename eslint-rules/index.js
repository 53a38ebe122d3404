// Loupe's local ESLint plugin, wired in eslint.config.js as `loupe`.
import layering from './layering.js';

export default {
  meta: { name: 'eslint-plugin-loupe', version: '0.1.0' },
  rules: { layering },
};
