// Writes a deterministic team content folder of N Markdown pages for the start-up figure:
// `node generate-content.mjs DIR PAGES`. Same arguments, same bytes, every run.
//
// Words come from the built-in catalogue's running text, so page sizes and word frequencies
// resemble a real handbook's (the search benchmark in server/benches/search.rs does the same
// in-process). Pages link to one another, so link checking has real work to do.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const [target, pagesArgument] = process.argv.slice(2);
if (!target || !pagesArgument) {
  console.error('usage: node generate-content.mjs DIR PAGES');
  process.exit(2);
}
const pageCount = Number(pagesArgument);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// SplitMix64 on BigInt: the same small generator the Rust benchmark uses, fixed seed.
let state = 0xca1e5eedn;
const mask = (1n << 64n) - 1n;
function next() {
  state = (state + 0x9e3779b97f4a7c15n) & mask;
  let z = state;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
  return z ^ (z >> 31n);
}
const below = (bound) => Number(next() % BigInt(bound));
const between = (low, high) => low + below(high - low + 1);
const pick = (items) => items[below(items.length)];

function markdownFiles(folder) {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return markdownFiles(path);
      return name.endsWith('.md') ? [path] : [];
    });
}

// Running text, repeats kept: drawing uniformly reproduces the catalogue's word frequencies.
const words = markdownFiles(join(root, 'content'))
  .flatMap((file) => readFileSync(file, 'utf8').split(/[^A-Za-z]+/))
  .filter((word) => word.length >= 3)
  .map((word) => word.toLowerCase());

const categories = ['runbooks', 'services', 'decisions', 'onboarding', 'incidents', 'platform', 'data-stores', 'interfaces'];
const levels = ['intro', 'intermediate', 'advanced'];
const slugOf = (index) => `team-note-${String(index).padStart(5, '0')}`;

const sentence = () => {
  const text = Array.from({ length: between(8, 20) }, () => pick(words)).join(' ');
  return text[0].toUpperCase() + text.slice(1) + '.';
};
const paragraph = () => Array.from({ length: between(3, 6) }, sentence).join(' ');

rmSync(target, { recursive: true, force: true });
for (const category of categories) {
  mkdirSync(join(target, category), { recursive: true });
  writeFileSync(
    join(target, category, 'index.md'),
    `---\ntitle: ${category[0].toUpperCase()}${category.slice(1).replace('-', ' ')}\nsummary: ${sentence()}\n---\n\n${paragraph()}\n`,
  );
}
for (let index = 0; index < pageCount; index += 1) {
  const category = categories[index % categories.length];
  const title = `${pick(words)} ${pick(words)} ${pick(words)}`;
  const sections = Array.from({ length: between(3, 6) }, (_, section) => {
    // A link to an earlier page (always present, so the catalogue loads cleanly).
    const other = index > 0 ? slugOf(below(index)) : null;
    const link = other ? ` See [${other}](/patterns/${other}).` : '';
    return `## ${pick(words)} ${pick(words)} ${section + 1}\n\n${paragraph()}${link}\n\n${paragraph()}\n`;
  });
  const page =
    `---\ntitle: ${title[0].toUpperCase()}${title.slice(1)}\n` +
    `summary: ${sentence()}\n` +
    `tags: [${pick(words)}, ${pick(words)}]\n` +
    `level: ${pick(levels)}\n---\n\n${sections.join('\n')}`;
  writeFileSync(join(target, category, `${slugOf(index)}.md`), page);
}
console.log(`wrote ${pageCount} pages in ${categories.length} categories to ${target}`);
