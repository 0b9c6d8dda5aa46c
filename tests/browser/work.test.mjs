// The work queue (werkvoorraad) in a real browser: an agent sees every kind of work of her
// team's queue on one page, claims a callback from it and finds it marked as hers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withDemo, login, screenshots } from './loket.mjs';

const demo = withDemo();

test('an agent claims a callback from her team\'s work queue', async () => {
  const { server, browser } = demo;
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await login(page, server.address, 'anouk');
  await page.getByRole('navigation').getByRole('link', { name: 'Werkvoorraad' }).click();
  await page.waitForURL(/\/werkvoorraad/);
  const item = page.locator('li.callback', { hasText: 'Container niet geleegd' });
  assert.ok(await item.getByText('Terugbelverzoek', { exact: true }).isVisible(), 'each item says its kind');
  await page.screenshot({ path: join(screenshots, 'werkvoorraad.png'), fullPage: true });
  await item.getByRole('button', { name: /^Oppakken/ }).click();
  await page.waitForURL(/melding=opgepakt/);
  const claimed = page.locator('li.callback', { hasText: 'Container niet geleegd' });
  assert.ok(await claimed.getByText('Anouk Jansen (u)').isVisible(), 'hers now');
  await claimed.getByRole('link', { name: /Bellen en poging vastleggen/ }).click();
  await page.waitForURL(/\/terugbelverzoeken/);
  assert.ok(await page.locator('li.callback', { hasText: 'Container niet geleegd' }).isVisible(), 'the call is logged where callbacks are');
  await page.close();
});
