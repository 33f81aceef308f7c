import tseslint from 'typescript-eslint';
import layering from './scripts/eslint/layering.js';

export default [
  { ignores: ['node_modules/**', 'dist/**', 'test-results/**', 'release/**'] },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { local: { rules: { layering } } },
    rules: {
      'local/layering': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
];
