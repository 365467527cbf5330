import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--no-first-run'] });
for (const lang of ['ko', 'en']) {
  const p = await b.newPage({ viewport: { width: 1280, height: 900 }, locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
  await p.goto(`http://127.0.0.1:8791${process.argv[2]}?lang=${lang}`);
  const f = p.locator(process.argv[3]).nth(Number(process.argv[4] || 0));
  await f.waitFor({ timeout: 60000 });
  await p.waitForTimeout(1500);
  await f.screenshot({ path: `/tmp/fig-${lang}.png` });
}
await b.close();
