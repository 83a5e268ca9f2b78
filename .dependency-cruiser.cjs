// Enforces the layering of DESIGN.md: a folder of src/ may import only folders listed before it.
// Also: no server/* imports another server/*, only cli/ imports app/, and no import cycles.
const layers = [
  'util',
  'config',
  'telemetry',
  'mail',
  'protocol',
  'store',
  'directory',
  'mailbox',
  'filter',
  'governance',
  'queue',
  'server',
  'http',
  'jobs',
  'app',
  'cli',
];

const forbidden = layers.map((layer, i) => ({
  name: `layer-${layer}`,
  comment: `src/${layer} may import only: ${layers.slice(0, i + 1).join(', ')}`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${layers.slice(i + 1).join('|') || '$^'})/` },
}));

forbidden.push(
  {
    name: 'server-siblings',
    comment: 'a protocol server never imports another one',
    severity: 'error',
    from: { path: '^src/server/([^/]+)/' },
    to: { path: '^src/server/([^/]+)/', pathNot: '^src/server/$1/' },
  },
  {
    name: 'app-only-from-cli',
    severity: 'error',
    from: { path: '^src/', pathNot: '^src/(cli|app)/' },
    to: { path: '^src/app/' },
  },
  { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
  {
    name: 'no-tests-in-prod',
    severity: 'error',
    from: { path: '^src/', pathNot: '\\.test\\.ts$' },
    to: { path: '(\\.test\\.ts$|^test/)' },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
