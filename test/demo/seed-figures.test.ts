// The strict parsers of the seed file's text figures: each reads exactly its form and throws on any
// other, so that an edited seed file stops the demo seed instead of becoming a guess.
import { atLeast, moreThan, seedFigure, seedGroupOfArticle, underMinutes } from '../../src/demo/seed-figures';

test('atLeast reads "N or more" and "N or more, <how it is counted>" as N', () => {
  expect(atLeast('50 or more')).toBe(50);
  expect(atLeast('130 or more, counted (requested, not rejected or cancelled), in the half year before the article')).toBe(130);
  for (const bad of ['more than 10 (10余)', '130 or more,', '130 or more, ', '130 or more,counted', 'about 130', '130', 130, null, 'or more']) {
    expect(() => atLeast(bad)).toThrow(/Not an "N or more" figure/);
  }
});

test('moreThan reads "more than N" with an optional note in parentheses as N', () => {
  expect(moreThan('more than 10 (10余)')).toBe(10);
  expect(moreThan('more than 7')).toBe(7);
  for (const bad of ['10 or more', 'more than ten', 'more than 10 (10余', 'more than 10 10余', 'over 10', 10, undefined]) {
    expect(() => moreThan(bad)).toThrow(/Not a "more than N" figure/);
  }
});

test('underMinutes still reads its forms', () => {
  expect(underMinutes('under one hour')).toBe(60);
  expect(underMinutes('under 30 minutes')).toBe(30);
  expect(() => underMinutes('about one hour')).toThrow();
});

test('the seed file\'s figures in these forms parse', () => {
  // 郧西 "轮番培训了5批次10余人" and 恒口 "上转患者共计130余人次", as the seed file words them now.
  const trained = seedFigure(seedGroupOfArticle('003_02c43f90991c12c3.txt'), 'branch staff trained at the lead hospital');
  const referred = seedFigure(seedGroupOfArticle('004_993314f26d1d3f19.txt'), 'upward referrals');
  expect(moreThan(trained.value)).toBe(Number(/^more than (\d+)/.exec(String(trained.value))![1]));
  expect(atLeast(referred.value)).toBe(Number(/^(\d+) or more/.exec(String(referred.value))![1]));
});
