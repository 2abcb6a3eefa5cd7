// Renews the README's screenshots (docs/img) from pages kbs-dashboard wrote: the top of a municipality
// overview and a team report's summary and wheel, 1200 x 1000 pixels each. Run by scripts/screenshots.sh.
// Usage: node scripts/screenshots.mjs MUNICIPALITY.html TEAM.html OUTDIR
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const { chromium } = require('playwright-core');
const [municipality, team, out] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
});
for (const [file, png, scrollTo] of [[municipality, 'gemeente.png', null], [team, 'teamrapport.png', '#karrenwiel']]) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, locale: 'nl-NL' });
  await page.goto('file://' + resolve(file));
  await page.waitForSelector('html[data-rendered="true"]', { timeout: 30000 });
  if (scrollTo) await page.$eval(scrollTo, (e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 260));
  await page.screenshot({ path: join(out, png) });
  console.log(join(out, png));
  await page.close();
}
await browser.close();
