/** Boundaries from STYLE.md habit 8, checked by `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'Deciders are plain functions: no Nest, no infrastructure, no I/O libraries.',
      severity: 'error',
      from: { path: '/domain/' },
      to: {
        path: [
          '^node_modules/(@nestjs|typeorm|pg|ioredis|kafkajs)',
          '/(infrastructure|features|projections)/',
        ],
      },
    },
    {
      name: 'domain-is-pure-transitively',
      comment:
        'Nothing a decider imports may load an I/O library, however indirectly: deciders take what is pure from @tradecore/eventing/domain, never the barrel.',
      severity: 'error',
      // Its tests may use the testing kit, which stands up real storage.
      from: { path: '^apps/[^/]+/src/domain/', pathNot: '(\\.spec\\.ts$|/domain/test/)' },
      to: { path: '^node_modules/(@nestjs|typeorm|pg|ioredis|kafkajs|express)/', reachable: true },
    },
    {
      name: 'saga-engine-knows-no-feature',
      comment:
        'The engine runs whatever sagas it is given; features and the saga definitions build on it, never the reverse. Its specs may use real sagas as fixtures.',
      severity: 'error',
      from: { path: '^apps/saga-orchestrator/src/engine/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^apps/saga-orchestrator/src/(features|sagas)/' },
    },
    {
      name: 'apps-do-not-import-each-other',
      comment: 'Services talk only through Kafka topics.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
