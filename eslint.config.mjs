// ESLint with typescript-eslint; the provider package is imported by deep paths only, since its
// root import loads every resource class (about 2 s and 550 MB on every synth and test file).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', '.offline-plan/', '.rehearsal/', 'coverage/', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@cdktf/provider-aws', message: 'Import the resource by its deep path: @cdktf/provider-aws/lib/<resource>.' }],
          patterns: [{ regex: '^@cdktf/provider-aws/lib/?$', message: 'Import the resource by its deep path: @cdktf/provider-aws/lib/<resource>.' }],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
