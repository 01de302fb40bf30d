// ESLint with typescript-eslint. Two kinds of import rule:
// - the provider package is imported by deep paths only, since its root import loads every resource
//   class (about 2 s and 550 MB on every synth and test file);
// - dependencies point one way: config -> facts <- modules <- stacks (docs/architecture.md).
import tseslint from 'typescript-eslint';

const providerRoot = {
  paths: [{ name: '@cdktf/provider-aws', message: 'Import the resource by its deep path: @cdktf/provider-aws/lib/<resource>.' }],
  patterns: [{ regex: '^@cdktf/provider-aws/lib/?$', message: 'Import the resource by its deep path: @cdktf/provider-aws/lib/<resource>.' }],
};

/** The import rule of one layer: the provider root, and the layers (folders) it must not import. */
function layer(files, forbidden, why, packages = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: providerRoot.paths,
          patterns: [
            ...providerRoot.patterns,
            { regex: `(^|/)(${forbidden.join('|')})(/|$)`, message: why },
            ...(packages.length > 0 ? [{ regex: `^(${packages.join('|')})(/|$)`, message: why }] : []),
          ],
        },
      ],
    },
  };
}

const constructPackages = ['cdktf', 'constructs', '@cdktf/provider-aws'];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', '.offline-plan/', '.rehearsal/', '.venv*/', 'coverage/', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-imports': ['error', providerRoot],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  layer(['facts/**/*.ts'], ['config', 'modules', 'stacks', 'scripts', 'lambda'], 'facts/ holds pure AWS facts: it imports nothing of the project and no construct library', constructPackages),
  layer(['config/**/*.ts'], ['modules', 'stacks', 'scripts', 'lambda'], 'config/ may import only facts/: move the shared fact into facts/', constructPackages),
  layer(['modules/**/*.ts'], ['config', 'stacks', 'scripts'], 'a construct takes typed props, never the config; move a shared fact into facts/'),
  layer(['stacks/**/*.ts', 'main.ts'], ['scripts'], 'stacks do not depend on the command-line tools'),
  layer(['lambda/*/!(bundle).ts'], ['config', 'modules', 'stacks', 'scripts'], 'function code is bundled on its own: it imports only its own folder and facts/'),
  {
    files: ['__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
