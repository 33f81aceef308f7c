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
      // YAML from people and pods goes through shared/yamlSafe.ts (size, depth and alias budget,
      // self-referencing aliases refused), or a 12 KB alias bomb blocks the event loop for minutes.
      // stringify, the node type guards and types stay importable from 'yaml'.
      'no-restricted-imports': ['error', {
        paths: [{
          name: 'yaml',
          importNames: ['default', 'parse', 'parseDocument', 'parseAllDocuments', 'Parser', 'Composer', 'Lexer'],
          message: "Parse YAML with shared/yamlSafe.ts (parseYaml, tryParseYaml, parseYamlDocument, parseAllYamlDocuments); import only stringify, guards and types from 'yaml'.",
        }],
      }],
    },
  },
  {
    // The one place that calls the library's parser, behind the budget.
    files: ['shared/yamlSafe.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Tests and build scripts parse the project's own fixtures, outputs and upstream manifests, and tests build bombs to feed the guarded paths.
    files: ['**/*.test.ts', 'test/**/*.ts', 'scripts/**/*.mjs'],
    rules: { 'no-restricted-imports': 'off' },
  },
];
