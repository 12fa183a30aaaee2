// Reads one Lighthouse JSON report and prints one line for run.sh:
//   performance accessibility best-practices seo LCP-ms TBT-ms CLS
// and writes every audit that kept a category below 100 to the file given second, so a
// score under 100 comes with its reasons.
import { readFileSync, writeFileSync } from 'node:fs';

const [reportPath, failuresPath] = process.argv.slice(2);
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const score = (id) => {
  const category = report.categories[id];
  return category && category.score !== null ? Math.round(category.score * 100) : 'n/a';
};
const numeric = (id) => report.audits[id]?.numericValue;
const lcp = numeric('largest-contentful-paint');
const tbt = numeric('total-blocking-time');
const cls = numeric('cumulative-layout-shift');

const lines = [`# ${report.finalDisplayedUrl ?? report.requestedUrl} (Lighthouse ${report.lighthouseVersion}, ${report.configSettings.formFactor})`];
for (const [id, category] of Object.entries(report.categories)) {
  for (const reference of category.auditRefs) {
    const audit = report.audits[reference.id];
    if (reference.weight === 0 && id !== 'performance') continue;
    if (!audit || audit.score === null || audit.score >= 1) continue;
    if (audit.scoreDisplayMode === 'informative' || audit.scoreDisplayMode === 'notApplicable') continue;
    const value = audit.displayValue ? ` (${audit.displayValue})` : '';
    lines.push(`${id}: ${audit.id} score ${audit.score}${value}: ${audit.title}`);
  }
}
writeFileSync(failuresPath, lines.join('\n') + '\n');
console.log(
  [score('performance'), score('accessibility'), score('best-practices'), score('seo'),
    lcp === undefined ? 'n/a' : Math.round(lcp), tbt === undefined ? 'n/a' : Math.round(tbt),
    cls === undefined ? 'n/a' : cls.toFixed(3)].join(' '),
);
