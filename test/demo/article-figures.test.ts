// Every figure the seed file asks the demo to reproduce, through the API, as `npm run figures` prints
// it: each reproduce=true figure has a case (or waits on a named later issue), and every case holds.
import { ARTICLE_FIGURE_CASES, PENDING_FIGURES, runArticleFigures, seedFigureOf, seedGroupOf, type ArticleFigureResult } from '../../src/demo/article-figures';
import { SEED_GROUPS } from '../../src/demo/seed-figures';
import { DEMO_GROUP_CODES } from '../../src/modules/structure/structure.demo';
import { startTestGateway, type TestGateway } from '../support/gateway';

let t: TestGateway;
let results: ArticleFigureResult[];
beforeAll(async () => {
  t = await startTestGateway();
  results = await runArticleFigures(({ query, variables, audience, scope }) => t.execute(query, variables, t.token(audience === 'province' ? 'PROVINCE' : 'COUNTY', scope)));
}, 120_000);
afterAll(() => t?.stop());

test('every reproduce=true figure of the seed file has a case or waits on a named issue', () => {
  for (const code of DEMO_GROUP_CODES) {
    const group = seedGroupOf(code);
    for (const figure of group.figures.filter((f) => f.reproduce)) {
      const cases = ARTICLE_FIGURE_CASES.filter((c) => c.groupCode === code && seedFigureOf(c) === figure);
      const pending = PENDING_FIGURES.filter((p) => p.groupCode === code && figure.what.startsWith(p.figure));
      expect({ group: group.name, figure: figure.what, covered: cases.length + pending.length > 0 }).toMatchObject({ covered: true });
    }
  }
  expect(SEED_GROUPS).toHaveLength(DEMO_GROUP_CODES.length);
});

test('every case names a figure of its group or an issue item, and quotes its article', () => {
  for (const c of ARTICLE_FIGURE_CASES) {
    const isFigure = seedFigureOf(c) !== undefined;
    expect({ figure: c.figure, known: isFigure || /^#9\./.test(c.figure) }).toMatchObject({ known: true });
    expect(c.quote.length).toBeGreaterThan(4);
  }
});

test('the API holds every figure', () => {
  const failing = results.filter((r) => !r.holds).map((r) => ({ group: r.groupCode, figure: r.figure, value: r.value, expected: r.expected, error: r.error }));
  expect(failing).toEqual([]);
  expect(results).toHaveLength(ARTICLE_FIGURE_CASES.length);
});
