/**
 * Generated knowledge corpora shaped like the demo city's articles (platform/seed/data): titles,
 * bodies, keywords and hotlines recombined from its sentences with a seeded random source, so every
 * run and every engine sees the same text. Queries of 1–8 characters are cut from the demo titles
 * and keywords (what agents type).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SearchDoc } from '../../shared/knowledge/search/knowledge-index';
import { mulberry32 } from '../../shared/base/prng';

interface DemoArticle {
  id: string;
  title: string;
  body: string;
  keywords: string[];
  hotlines: string[];
  unitCode?: string;
  categoryCode?: string;
  validFrom: string;
  validTo?: string;
}

export function demoArticles(): DemoArticle[] {
  return JSON.parse(fs.readFileSync(fileURLToPath(new URL('../../platform/seed/data/knowledge-articles.json', import.meta.url)), 'utf8')) as DemoArticle[];
}

const PLACES = ['清城区', '清新区', '英德市', '连州市', '佛冈县', '阳山县', '连山县', '连南县', '石角镇', '太和镇', '横荷街道', '凤城街道'];

export function generateCorpus(n: number, seed = 12345): SearchDoc[] {
  const demo = demoArticles();
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const sentences = demo.flatMap((a) => a.body.split(/(?<=[。；！？\n])/).map((s) => s.trim()).filter((s) => s.length >= 6));
  const out: SearchDoc[] = [];
  for (let i = 0; i < n; i++) {
    const base = pick(demo);
    const parts: string[] = [];
    let length = 0;
    const target = base.body.length * (0.7 + rand() * 0.6);
    while (length < target) {
      const s = rand() < 0.5 ? pick(base.body.split(/(?<=[。；！？\n])/)) : pick(sentences);
      parts.push(s);
      length += s.length;
    }
    out.push({
      id: `gen-${String(i).padStart(6, '0')}`,
      title: rand() < 0.5 ? base.title : `${pick(PLACES)}${base.title}`,
      body: parts.join(''),
      keywords: [...base.keywords.filter(() => rand() < 0.7), ...(rand() < 0.3 ? pick(demo).keywords.slice(0, 1) : [])],
      hotlines: base.hotlines,
      ...(base.unitCode ? { unitCode: base.unitCode } : {}),
      ...(base.categoryCode ? { categoryCode: base.categoryCode } : {}),
      validFrom: base.validFrom,
      ...(base.validTo ? { validTo: base.validTo } : {}),
    });
  }
  return out;
}

/** `count` queries of 1–8 characters cut from the demo titles and keywords. */
export function generateQueries(count: number, seed = 54321): string[] {
  const demo = demoArticles();
  const rand = mulberry32(seed);
  const sources = demo.flatMap((a) => [a.title, ...a.keywords]).map((s) => s.replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, ''));
  const out: string[] = [];
  while (out.length < count) {
    const s = sources[Math.floor(rand() * sources.length)]!;
    const len = 1 + Math.floor(rand() * 8);
    if (s.length < len) continue;
    const at = Math.floor(rand() * (s.length - len + 1));
    out.push(s.slice(at, at + len));
  }
  return out;
}
