// Callback requests in a real browser: an agent works her team's queue (a failed attempt waits
// for the next, a successful one becomes a contact in the customer's timeline), creates one
// from the customer screen, and a beheerder sets opening hours and targets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withDemo, login, openCustomer, screenshots } from './loket.mjs';

const demo = withDemo();

test('an agent logs a failed attempt and a successful one that becomes a contact', async () => {
  const { server, browser } = demo;
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await login(page, server.address, 'anouk');
  await page.getByRole('link', { name: 'Terugbelverzoeken' }).click();
  await page.waitForURL(/\/terugbelverzoeken/);
  assert.equal(await page.getByLabel('Wachtrij').inputValue() !== 'mine', true, 'her team\'s queue by default');
  const container = page.locator('li.callback', { hasText: 'Container niet geleegd' });
  const woz = page.locator('li.callback', { hasText: 'Bezwaar WOZ-beschikking' });
  assert.ok(await woz.getByText('Anouk Jansen (u)').isVisible(), 'the demo claimed this one for her');
  await page.screenshot({ path: join(screenshots, 'terugbelverzoeken.png'), fullPage: true });

  await container.locator('summary', { hasText: 'Belpoging vastleggen' }).click();
  await container.getByLabel('Geen gehoor').check();
  await container.getByLabel('Aantekening bij de poging').fill('Niet opgenomen');
  await container.getByRole('button', { name: /^Poging vastleggen/ }).click();
  await page.waitForURL(/melding=poging/);
  assert.ok(await page.getByText('De belpoging is vastgelegd.').isVisible());
  const again = page.locator('li.callback', { hasText: 'Container niet geleegd' });
  assert.ok(await again.getByText('1 / 3').isVisible(), 'one of three attempts');
  assert.ok(await again.getByText('Volgende poging vanaf').isVisible(), 'the next attempt waits the spacing');
  // She holds it now (the attempt claimed it), so its form is open.
  await again.getByLabel('Geen gehoor').check();
  await again.getByRole('button', { name: /^Poging vastleggen/ }).click();
  assert.ok(await page.getByRole('alert').getByText(/volgende belpoging kan pas/).isVisible(), 'too soon, said plainly');

  const call = page.locator('li.callback', { hasText: 'Bezwaar WOZ-beschikking' });
  await call.getByLabel('Bereikt', { exact: true }).check();
  await call.getByLabel('Wat is er besproken (bij bereikt)').fill('Bezwaarprocedure uitgelegd; dient bezwaar in.');
  await call.getByRole('button', { name: /^Poging vastleggen/ }).click();
  await page.waitForURL(/melding=poging/);
  assert.equal(await page.locator('li.callback', { hasText: 'Bezwaar WOZ-beschikking' }).count(), 0, 'closed, off the queue');

  await openCustomer(page, server.address, 'Kramer', 'Henk Kramer');
  const timeline = page.locator('ol.timeline');
  const entry = timeline.locator('li.entry-callback', { hasText: 'Bezwaar WOZ-beschikking' });
  assert.match(await entry.innerText(), /Bereikt/, 'the callback with its outcome');
  assert.match(await entry.textContent(), /Bereikt \(Anouk Jansen\)/, 'and its attempts, in the history');
  assert.ok(await timeline.locator('li.entry-contact', { hasText: 'Bezwaarprocedure uitgelegd' }).isVisible(), 'and the contact it became');
  await page.close();
});

test('an agent creates a callback on the customer screen for her team', async () => {
  const { server, browser } = demo;
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await login(page, server.address, 'anouk');
  await openCustomer(page, server.address, 'Linden', 'Wim van der Linden');
  await page.getByText('Terugbelverzoek maken').click();
  await page.getByLabel('Reden en onderwerp').fill('Parkeervergunning tweede auto');
  await page.getByLabel('Toelichting voor wie terugbelt').fill('Wil weten of het kan voor een deelauto.');
  await page.getByLabel('Voor', { exact: true }).selectOption({ label: 'Team Telefonie' });
  await page.getByRole('button', { name: 'Terugbelverzoek opslaan' }).click();
  await page.waitForURL(/melding=terugbelverzoek/);
  assert.ok(await page.getByText('Het terugbelverzoek is aangemaakt.').isVisible());
  assert.ok(await page.locator('li.entry-callback', { hasText: 'Parkeervergunning tweede auto' }).isVisible());

  await page.getByLabel('Reden en onderwerp').fill('Zonder geldig nummer');
  await page.getByLabel('Terugbelnummer').fill('12');
  await page.getByRole('button', { name: 'Terugbelverzoek opslaan' }).click();
  assert.ok(await page.getByRole('alert').isVisible(), 'a readable message, nothing stored');
  await page.goto(server.address + '/terugbelverzoeken');
  assert.ok(await page.locator('li.callback', { hasText: 'Parkeervergunning tweede auto' }).isVisible(), 'in the team queue');
  assert.equal(await page.locator('li.callback', { hasText: 'Zonder geldig nummer' }).count(), 0);
  await page.close();
});

test('a beheerder sets opening hours and a target, and wrong hours are explained', async () => {
  const { server, browser } = demo;
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await login(page, server.address, 'frank');
  await page.getByRole('navigation').getByRole('link', { name: 'Beheer' }).click();
  await page.getByRole('link', { name: 'Openingstijden en normen' }).click();
  await page.waitForURL(/\/beheer\/sla/);
  assert.equal(await page.getByLabel('maandag').inputValue(), '08:30-17:00');
  assert.ok(await page.getByRole('cell', { name: 'Koningsdag' }).first().isVisible(), 'holidays computed per year');
  await page.getByLabel('Waarde Chat').fill('45');
  await page.getByLabel('Extra sluitingsdagen').fill('24-12-2026');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.waitForURL(/opgeslagen=1/);
  assert.ok(await page.getByText('De openingstijden en normen zijn opgeslagen.').isVisible());
  assert.equal(await page.getByLabel('Waarde Chat').inputValue(), '45');
  await page.screenshot({ path: join(screenshots, 'openingstijden.png'), fullPage: true });
  await page.getByLabel('maandag').fill('8 tot 5');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  assert.ok(await page.getByRole('alert').getByText(/08:30-17:00/).isVisible(), 'the rule, in words');
  await page.close();
});
