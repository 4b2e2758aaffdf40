/**
 * Writes the screenshots of the pages into docs/ (README "Pages"): the real service against the fake Gerrit
 * and the fake GitHub, a few real reviews (findings, a skipped change, a dead-lettered job, a pull request), each page
 * in headless Chromium.
 *
 *   npx tsc -p tsconfig.json --outDir .build-pages && node .build-pages/test/pages/take-screenshots.js
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser.js';
import { startPagesService, THREADS_PP } from './pages-service.js';

/** .build-pages/test/pages/ or dist/test/pages/ -> the repository's docs/. */
const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));

const svc = await startPagesService({ refreshMs: 60_000, github: true });
const browser = await launchChromium();
try {
  await svc.review(8801, {
    subject: 'Raise nova-api WSGI threads for the new controllers',
    files: [
      { path: 'hieradata/common.yaml', oldContent: 'nova::wsgi::apache_api::threads: 1\n', newContent: 'nova::wsgi::apache_api::threads: 4\nnova::rabbit_heartbeat_timeout_threshold: 0\n' },
      { path: 'manifests/api.pp', newContent: THREADS_PP },
    ],
  });
  await svc.review(8802, { subject: 'Update the README', files: [{ path: 'README.md', oldContent: '# x\n', newContent: '# x\n\nMore.\n' }] });
  svc.fake.failNext({ method: 'GET', path: /~8803/, status: 403, times: 10, body: 'read not permitted' });
  await svc.review(8803, { subject: 'A change the bot may not read' });
  await svc.review(8804, { subject: 'Keep one thread per nova-api process', files: [{ path: 'manifests/api.pp', oldContent: THREADS_PP, newContent: THREADS_PP.replace('4', '1') }] });
  await svc.pullRequest(12, {
    title: 'uWSGI for the metadata API',
    files: [{ path: 'etc/uwsgi/nova-metadata.ini', newContent: '[uwsgi]\nmodule = nova.wsgi.metadata:application\nprocesses = 4\nthreads = 2\n' }],
  });
  await svc.recorded(5);
  const first = (await svc.server.history.recent(10)).find((r) => r.change === 8801);
  mkdirSync(DOCS, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const shots: [string, string, boolean][] = [
    ['/', 'page-recent-reviews.png', true],
    [`/reviews/${first?.id ?? '1'}`, 'page-review.png', true],
    ['/rules', 'page-rules.png', true],
    ['/rules/nova-wsgi-threads-not-1', 'page-rule.png', true],
  ];
  for (const [path, file, full] of shots) {
    await page.goto(svc.url + path);
    await page.screenshot({ path: `${DOCS}${file}`, fullPage: full });
    process.stdout.write(`${DOCS}${file}\n`);
  }
} finally {
  await browser.close();
  await svc.close();
}
