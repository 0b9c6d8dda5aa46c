// The UI shell in a real browser: login, the start page per role, language switch, logout,
// keyboard access, and the beheerder's screens. Screenshots go to target/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withDemo, login, screenshots } from './loket.mjs';

const demo = withDemo();

test('a demo agent logs in, sees the start page, switches to English and logs out', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(demo.server.address + '/');
  assert.match(page.url(), /\/login\?terug=/, 'not logged in: sent to the login page');
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  await page.screenshot({ path: join(screenshots, 'login.png'), fullPage: true });

  await login(page, demo.server.address, 'anouk');
  const heading = page.getByRole('heading', { level: 1 });
  assert.match(await heading.innerText(), /^Goede(morgen|middag|navond), Anouk Jansen$/);
  assert.ok(await page.getByRole('heading', { name: 'Klantcontactmedewerker' }).isVisible());
  assert.ok(await page.getByText('Uw team: Team Telefonie').isVisible());
  assert.equal(await page.getByRole('link', { name: 'Gebruikers' }).count(), 0, 'an agent is not offered user administration');
  await page.screenshot({ path: join(screenshots, 'start-klantcontactmedewerker.png'), fullPage: true });

  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForLoadState();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /^Good (morning|afternoon|evening), Anouk Jansen$/);
  assert.ok(await page.getByRole('heading', { name: 'Contact center agent' }).isVisible());
  await page.screenshot({ path: join(screenshots, 'start-english.png'), fullPage: true });

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(/\/login\?uitgelogd=1/);
  assert.ok(await page.getByText('You have been logged out.').isVisible());
  await page.goto(demo.server.address + '/');
  assert.match(page.url(), /\/login/, 'the session has ended');
  await page.close();
});

test('the keyboard reaches the skip link first and it jumps to the content', async () => {
  const page = await demo.browser.newPage();
  await login(page, demo.server.address, 'bas');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.equal(focused, 'Naar de inhoud');
  await page.keyboard.press('Enter');
  const target = await page.evaluate(() => document.activeElement?.id);
  assert.equal(target, 'inhoud');
  await page.close();
});

test('a beheerder sees the accounts, creates a user with the form, and finds it in the verwerkingslog', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(page, demo.server.address, 'frank');
  assert.ok(await page.getByRole('heading', { name: 'Beheer', exact: true }).isVisible());
  await page.screenshot({ path: join(screenshots, 'start-beheerder.png'), fullPage: true });

  // The admin screens are one entry in the menu, so that it stays on one line.
  const items = await page.getByRole('navigation').getByRole('listitem').evaluateAll((li) => li.map((e) => e.getBoundingClientRect().top));
  assert.equal(new Set(items).size, 1, 'the beheerder\'s menu is one line at 1280 pixels');
  await page.getByRole('navigation').getByRole('link', { name: 'Beheer' }).click();
  await page.getByRole('main').getByRole('link', { name: 'Gebruikers' }).click();
  await page.getByLabel('Gebruikersnaam').fill('noor');
  await page.getByLabel('Naam', { exact: true }).fill('Noor Hendriks');
  await page.getByLabel('Afdeling of team').selectOption({ label: 'Team Digitale Kanalen' });
  await page.getByLabel('Klantcontactmedewerker').check();
  await page.getByLabel('Wachtwoord').fill('kort');
  await page.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
  assert.ok(await page.getByText('Een wachtwoord heeft minimaal 10 tekens.').first().isVisible(), 'a readable message names the rule');
  await page.screenshot({ path: join(screenshots, 'gebruiker-fout.png'), fullPage: true });
  await page.getByLabel('Wachtwoord').fill('welkom-noor-2026');
  await page.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
  assert.ok(await page.getByText('Gebruiker aangemaakt: noor').isVisible());
  assert.ok(await page.getByRole('cell', { name: 'Noor Hendriks' }).isVisible());

  await page.getByRole('navigation').getByRole('link', { name: 'Beheer' }).click();
  await page.getByRole('main').getByRole('link', { name: 'Verwerkingslog' }).click();
  await page.getByLabel('Actie').selectOption('user_created');
  await page.getByRole('button', { name: 'Filteren' }).click();
  assert.ok(await page.getByRole('cell', { name: 'Gebruiker aangemaakt' }).first().isVisible());
  assert.ok(await page.getByRole('cell', { name: /username: noor/ }).first().isVisible(), 'details read as words');
  assert.ok(await page.getByRole('cell', { name: 'gebruiker: Noor Hendriks' }).first().isVisible(), 'the account is named');
  await page.screenshot({ path: join(screenshots, 'verwerkingslog.png'), fullPage: true });
  await page.close();
});

test('an agent who opens a beheer page is refused with a readable page', async () => {
  const page = await demo.browser.newPage();
  await login(page, demo.server.address, 'anouk');
  const response = await page.goto(demo.server.address + '/beheer/verwerkingslog');
  assert.equal(response.status(), 403);
  assert.ok(await page.getByRole('heading', { name: 'Geen toegang' }).isVisible());
  await page.close();
});

test('a beheerder sets the municipality\'s colour; a colour white text cannot be read on is refused', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1366, height: 768 } });
  await login(page, demo.server.address, 'frank');
  assert.equal(await page.locator('.brand a').innerText(), 'Gemeente Dijkstad', 'the demo municipality\'s name');
  assert.match(await page.title(), / · Gemeente Dijkstad$/);
  assert.ok(await page.locator('.brand-logo').isVisible(), 'and its logo');
  await page.getByRole('navigation').getByRole('link', { name: 'Beheer' }).click();
  await page.getByRole('main').getByRole('link', { name: 'Huisstijl' }).click();
  await page.getByLabel('Hoofdkleur').fill('#f5c400');
  await page.getByRole('button', { name: 'Naam en kleur opslaan' }).click();
  assert.ok(await page.getByRole('alert').getByText(/Te weinig contrast met wit/).isVisible());
  await page.getByLabel('Hoofdkleur').fill('#6b2c91');
  await page.getByRole('button', { name: 'Naam en kleur opslaan' }).click();
  await page.getByText('De huisstijl is opgeslagen.').waitFor();
  const header = await page.locator('.site-header').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(header, 'rgb(107, 44, 145)', 'the header takes the colour at once');
  await page.screenshot({ path: join(screenshots, 'huisstijl.png') });
  await page.getByLabel('Hoofdkleur').fill('#154273');
  await page.getByRole('button', { name: 'Naam en kleur opslaan' }).click();
  await page.getByText('De huisstijl is opgeslagen.').waitFor();
  await page.close();
});
