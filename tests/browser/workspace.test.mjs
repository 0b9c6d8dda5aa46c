// The agent workspace: a contact starts with one key and its timer runs, knowledge search sits
// beside the customer and what the agent opens becomes a "gebruikte bron", two contacts stay
// open side by side with their kladblok, and saving turns the kladblok into the note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withDemo, login, screenshots } from './loket.mjs';

const demo = withDemo();

async function openCustomer(page, query, name) {
  await page.goto(demo.server.address + '/klanten?q=' + encodeURIComponent(query));
  await page.getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

test('an agent keeps two contacts open, uses an article, and the kladblok becomes the note', async () => {
  const context = await demo.browser.newContext({ viewport: { width: 1280, height: 1200 } });
  const page = await context.newPage();
  await login(page, demo.server.address, 'anouk');
  await openCustomer(page, 'kramer', 'Henk Kramer');

  const timer = page.locator('#contact-timer');
  assert.equal(await timer.textContent(), 'niet gestart');
  await page.keyboard.press('Alt+N');
  await page.waitForFunction(() => /^\d\d:\d\d$/.test(document.getElementById('contact-timer').textContent));
  assert.equal(await page.getByLabel('Kladblok').evaluate((el) => el === document.activeElement), true,
    'Alt+N puts the cursor in the kladblok');
  await page.keyboard.type('Belt over paspoort dochter, vertrekt over 3 weken.');

  await page.keyboard.press('Alt+K');
  await page.keyboard.type('paspoort aanvragen');
  const hits = page.locator('#werkplek-resultaten');
  const article = hits.getByRole('link', { name: 'Paspoort of identiteitskaart aanvragen' });
  await article.waitFor();
  const [opened] = await Promise.all([context.waitForEvent('page'), article.click()]);
  await opened.close();
  const used = page.getByRole('group', { name: 'Gebruikte bronnen' });
  assert.equal(await used.getByLabel('Paspoort of identiteitskaart aanvragen').isChecked(), true);
  await page.screenshot({ path: join(screenshots, 'werkplek-contact-loopt.png'), fullPage: true });

  // A second customer calls in the chat meanwhile: a second open contact.
  await openCustomer(page, 'bouzid', 'Fatima Bouzid');
  await page.getByRole('button', { name: /Contact starten/ }).click();
  await page.getByLabel('Onderwerp', { exact: true }).fill('Vraag over kwijtschelding');
  const open = page.getByRole('navigation', { name: 'Open contacten' });
  await open.getByRole('link', { name: 'Henk Kramer' }).waitFor();
  assert.equal(await open.getByRole('link', { name: 'Fatima Bouzid' }).getAttribute('aria-current'), 'page');

  // Back to the first: its kladblok and source are still there, and it is saved.
  await open.getByRole('link', { name: 'Henk Kramer' }).click();
  await page.getByRole('heading', { level: 1, name: 'Henk Kramer' }).waitFor();
  assert.equal(await page.getByLabel('Kladblok').inputValue(), 'Belt over paspoort dochter, vertrekt over 3 weken.');
  assert.equal(await page.getByRole('group', { name: 'Gebruikte bronnen' })
    .getByLabel('Paspoort of identiteitskaart aanvragen').isChecked(), true);
  await page.getByLabel('Onderwerp', { exact: true }).fill('Paspoort voor kind');
  await page.getByLabel('Resultaat').selectOption('zelfstandig_afgehandeld');
  await page.getByRole('button', { name: 'Contact opslaan' }).click();
  await page.getByText('Het contact is geregistreerd.').waitFor();
  const entry = page.getByRole('region', { name: 'Tijdlijn' }).getByRole('listitem').filter({ hasText: 'Paspoort voor kind' });
  assert.ok(await entry.getByText('Belt over paspoort dochter, vertrekt over 3 weken.').isVisible(), 'the kladblok became the note');
  assert.ok(await entry.getByText(/Paspoort of identiteitskaart aanvragen/).isVisible(), 'the article is a source used');

  // Saved is no longer open; the other contact still is.
  const stillOpen = page.getByRole('navigation', { name: 'Open contacten' });
  await stillOpen.getByRole('link', { name: 'Fatima Bouzid' }).waitFor();
  assert.equal(await stillOpen.getByRole('link', { name: 'Henk Kramer' }).count(), 0);
  assert.equal(await page.locator('#contact-timer').textContent(), 'niet gestart');
  await page.screenshot({ path: join(screenshots, 'werkplek-opgeslagen.png'), fullPage: true });
  await context.close();
});
