// node:test reporter of scripts/test.js: writes one JSON line per skipped or todo test (nothing
// else) to its destination, for scripts/lib/node-tests.js to judge against the skip policy.
// Used beside the `spec` reporter: `--test-reporter=./scripts/lib/skip-reporter.mjs --test-reporter-destination=<file>`.

export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const { skip, todo, name, file, line } = event.data
    if (skip === undefined && todo === undefined) continue
    const kind = skip !== undefined ? 'skip' : 'todo'
    const why = kind === 'skip' ? skip : todo
    yield `${JSON.stringify({ kind, reason: typeof why === 'string' ? why : '', name, file: file ?? null, line: line ?? null })}\n`
  }
}
