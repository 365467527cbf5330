import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const lang = process.argv[2] || 'ko';
const pages = (process.argv[3] || '/,/customers,/segments,/cohorts,/journeys,/settings').split(',');
for (const path of pages) {
  const p = await b.newPage({ viewport: { width: 1280, height: 900 }, locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
  await p.goto(`http://127.0.0.1:8791${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
  await p.waitForSelector('main h1', { timeout: 60000 });
  await p.waitForTimeout(4000);
  const name = path.replace(/[^a-z]/g, '') || 'dashboard';
  const h = await p.evaluate(() => document.documentElement.scrollHeight);
  for (let i = 0, y = 0; y < Math.min(h, 900 * 4); i++, y += 900) {
    await p.evaluate((y) => window.scrollTo(0, y), y);
    await p.waitForTimeout(300);
    await p.screenshot({ path: `/tmp/tour/${name}-${lang}-${i}.png` });
  }
  await p.close();
}
await b.close();
