// The reports screen in a real browser: a teamleider opens the service level of the demo's
// generated calls, reads every figure with its definition, follows a figure to the calls behind
// it, and the beheerder changes a KPI parameter. Screenshots go to target/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withDemo, login, screenshots } from './loket.mjs';

const demo = withDemo();

test('a teamleider reads the service level with its definition and drills down to the calls', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(page, demo.server.address, 'esra');
  await page.getByRole('link', { name: 'Rapportages' }).click();
  await page.waitForURL(/\/rapportages/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Rapportages');
  // The demo holds four weeks of calls up to today; show all of them, per day.
  const from = new Date(Date.now() - 27 * 86400e3).toISOString().slice(0, 10);
  await page.getByLabel('Van', { exact: true }).fill(from);
  await page.getByRole('button', { name: 'Filteren' }).click();
  await page.waitForLoadState();
  assert.ok(await page.getByRole('link', { name: /^Servicelevel 30 s, vanaf de wachtrij/ }).isVisible(), 'the definition is named');
  assert.ok(await page.getByRole('img', { name: /Servicelevel per periode/ }).isVisible(), 'a server-rendered chart');
  const bars = await page.locator('svg rect.bar').count();
  assert.ok(bars >= 15, `a bar per working day (${bars})`);
  const weekend = page.locator('#per-periode').locator('tr', { hasText: 'n.v.t.' });
  assert.ok((await weekend.count()) >= 6, 'closed days have no figures');
  await page.screenshot({ path: join(screenshots, 'rapportages.png'), fullPage: true });

  await page.locator('#per-periode').locator('tbody tr').filter({ hasNotText: 'n.v.t.' }).first().getByRole('link').click();
  await page.waitForURL(/\/rapportages\/gesprekken/);
  assert.ok((await page.locator('tbody tr').count()) > 10, 'the calls behind the figure');
  await page.close();
});

test('a teamleider follows a contact volume and an FCR count to the contacts behind them', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(page, demo.server.address, 'esra');
  const from = new Date(Date.now() - 27 * 86400e3).toISOString().slice(0, 10);
  await page.goto(`${demo.server.address}/rapportages?from=${from}&per=subject`);
  const first = page.locator('#contactvolume tbody tr').first();
  const counted = Number(await first.locator('td').first().innerText());
  assert.ok(counted > 0, 'the demo has contacts on a subject');
  await first.getByRole('link').click();
  await page.waitForURL(/\/rapportages\/contacten/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Contacten achter het cijfer');
  assert.match(await page.locator('#behind-total').innerText(), new RegExp(`^Geteld als Contactvolume: ${counted}$`));
  assert.equal(await page.locator('#contacts-behind tbody tr').count(), Math.min(counted, 100), 'as many as the figure');
  await page.screenshot({ path: join(screenshots, 'rapportage-contacten.png'), fullPage: true });

  await page.goBack();
  await page.getByRole('link', { name: /^Door de medewerker afgehandeld: \d+/ }).click();
  await page.waitForURL(/figure=resolved_by_agent/);
  assert.match(await page.locator('#behind-total').innerText(), /^Geteld als Door de medewerker afgehandeld: \d+$/);
  await page.close();
});

test('a beheerder changes the phone threshold and the report counts by it', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(page, demo.server.address, 'frank');
  await page.goto(demo.server.address + '/kpi');
  assert.ok(await page.getByRole('term').filter({ hasText: 'Servicelevel' }).first().isVisible());
  await page.getByLabel('telefoon (s)').fill('20');
  await page.getByRole('button', { name: 'Parameters opslaan' }).click();
  await page.waitForURL(/opgeslagen=1/);
  assert.ok(await page.getByText('De parameters zijn opgeslagen.').isVisible());
  await page.screenshot({ path: join(screenshots, 'kpi-definities.png'), fullPage: true });
  await page.goto(demo.server.address + '/rapportages');
  assert.ok(await page.getByRole('link', { name: /^Servicelevel 20 s/ }).isVisible());
  await page.goto(demo.server.address + '/kpi');
  await page.getByLabel('telefoon (s)').fill('veertig');
  await page.getByRole('button', { name: 'Parameters opslaan' }).click();
  assert.ok(await page.getByRole('alert').isVisible(), 'a readable message, nothing saved');
  await page.close();
});

test('the wall board follows the figures by server-sent events', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await login(page, demo.server.address, 'esra');
  await page.goto(demo.server.address + '/wandbord');
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /^Wandbord/);
  await page.waitForFunction(() => document.getElementById('wallboard')?.dataset.updated, null, { timeout: 15000 });
  assert.match(await page.locator('#wb-sl').innerText(), /%$|n\.v\.t\./);
  assert.equal(await page.locator('#wb-terugbelverzoek-open').innerText(), '3', 'the demo\'s open callbacks');
  assert.ok(await page.getByRole('heading', { name: 'Bijna of al te laat' }).isVisible());
  assert.ok(await page.getByRole('heading', { name: 'Wachtend per wachtrij' }).isVisible(), 'calls waiting per queue');
  assert.ok(await page.getByRole('navigation').getByRole('link', { name: 'Wandbord' }).isVisible(), 'the wall board is in the menu');
  await page.screenshot({ path: join(screenshots, 'wandbord.png'), fullPage: true });
  await page.close();
});
