// The agent's desk: Alt+N from any screen starts a contact with the timer running and the
// cursor in Onderwerp; knowledge is searched and read beside the form and marked as used with
// one key; Enter in a one-line field does not save, Ctrl+Enter does; a draft survives a
// reload; two contacts stay open side by side, and saving turns the kladblok into the note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withDemo, login, openCustomer, screenshots } from './loket.mjs';

const demo = withDemo();

test('a general question is registered by keyboard alone, without a customer', async () => {
  const context = await demo.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await login(page, demo.server.address, 'anouk');
  let keys = 0;
  const press = async (key) => { keys += 1; await page.keyboard.press(key); };

  // The phone rings.
  await press('Alt+N');
  await page.waitForURL(/\/contacten\/nieuw/);
  await page.waitForFunction(() => /^\d\d:\d\d$/.test(document.getElementById('contact-timer').textContent));
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'c-subject');
  await page.keyboard.type('Wanneer wordt het grofvuil opgehaald');
  await press('Enter');
  assert.equal(await page.getByText('Het contact is geregistreerd.').count(), 0, 'Enter in Onderwerp does not save');

  // A reload (or a crashed tab) loses nothing: the draft is on the server.
  await page.waitForFunction(() => location.search.includes('concept='));
  await page.waitForTimeout(600);
  await page.reload();
  await page.waitForFunction(() => document.getElementById('c-subject').value === 'Wanneer wordt het grofvuil opgehaald');

  // Knowledge beside the form: search, read in the panel, mark as used.
  await press('Alt+K');
  await page.keyboard.type('grofvuil ophalen');
  const hits = page.locator('#werkplek-resultaten');
  await hits.getByRole('button', { name: /^Lezen/ }).first().waitFor();
  await hits.getByRole('button', { name: /^Lezen/ }).first().focus();
  await press('Enter');
  const reader = page.locator('#werkplek-artikel');
  await reader.waitFor();
  const title = await reader.locator('h3').textContent();
  assert.ok(title.length > 0, 'the article is read in the side panel');
  assert.equal(context.pages().length, 1, 'without a new tab');
  await press('Alt+G');
  const used = page.getByRole('group', { name: 'Gebruikte bronnen' });
  assert.equal(await used.getByLabel(title).isChecked(), true, 'marked as used');

  // The outcome must be chosen (Alt+R, then an arrow key); Ctrl+Enter saves from any field.
  await press('Alt+R');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'c-outcome');
  await press('ArrowDown');
  assert.notEqual(await page.getByLabel('Resultaat').inputValue(), '', 'an outcome is chosen');
  await page.screenshot({ path: join(screenshots, 'bureau-contact-zonder-klant.png') });
  await press('Control+Enter');
  await page.getByText('Het contact is geregistreerd.').waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Open contacten' }).getByRole('link').count(), 0,
    'the saved contact is no longer open');
  console.log(`keys from ringing to registered (without customer): ${keys} named keys plus typing`);
  await context.close();
});

test('a call with a customer is registered by keyboard alone, from the header search', async () => {
  const context = await demo.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await login(page, demo.server.address, 'anouk');
  let keys = 0;
  const press = async (key) => { keys += 1; await page.keyboard.press(key); };

  // The phone rings; the caller gives her name.
  await press('Alt+Z');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'kop-klant-q');
  await page.keyboard.type('Wim van der Linden');
  await press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Wim van der Linden' }).waitFor();
  await press('Alt+N');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'c-subject');
  await page.keyboard.type('Container niet geleegd');
  await press('Alt+R');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'c-outcome');
  await press('ArrowDown');
  await press('Control+Enter');
  await page.getByText('Het contact is geregistreerd.').waitFor();
  const entry = page.getByRole('region', { name: 'Tijdlijn' }).getByRole('listitem').filter({ hasText: 'Container niet geleegd' });
  await entry.first().waitFor();
  assert.equal(keys, 6, 'Alt+Z, Enter, Alt+N, Alt+R, ↓, Ctrl+Enter');
  console.log(`keys from ringing to registered (with customer): ${keys} named keys plus typing`);
  await context.close();
});

test('an agent keeps two contacts open, uses an article, and the kladblok becomes the note', async () => {
  const context = await demo.browser.newContext({ viewport: { width: 1280, height: 1200 } });
  const page = await context.newPage();
  await login(page, demo.server.address, 'anouk');
  await openCustomer(page, demo.server.address, 'kramer', 'Henk Kramer');

  const timer = page.locator('#contact-timer');
  assert.equal(await timer.textContent(), 'niet gestart');
  await page.keyboard.press('Alt+N');
  await page.waitForFunction(() => /^\d\d:\d\d$/.test(document.getElementById('contact-timer').textContent));
  assert.equal(await page.getByLabel('Onderwerp', { exact: true }).evaluate((el) => el === document.activeElement), true,
    'Alt+N puts the cursor in Onderwerp');
  await page.getByLabel('Kladblok').fill('Belt over paspoort dochter, vertrekt over 3 weken.');

  await page.keyboard.press('Alt+K');
  await page.keyboard.type('paspoort aanvragen');
  const hits = page.locator('#werkplek-resultaten');
  const article = hits.getByRole('link', { name: 'Paspoort of identiteitskaart aanvragen' });
  await article.waitFor();
  const [opened] = await Promise.all([context.waitForEvent('page'), article.click()]);
  await opened.close();
  const used = page.getByRole('group', { name: 'Gebruikte bronnen' });
  assert.equal(await used.getByLabel('Paspoort of identiteitskaart aanvragen').isChecked(), true);
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(screenshots, 'werkplek-contact-loopt.png'), fullPage: true });

  // A second customer calls in the chat meanwhile: a second open contact.
  await openCustomer(page, demo.server.address, 'bouzid', 'Fatima Bouzid');
  await page.getByRole('button', { name: /Contact starten/ }).click();
  await page.getByLabel('Onderwerp', { exact: true }).fill('Vraag over kwijtschelding');
  const open = page.getByRole('navigation', { name: 'Open contacten' });
  await open.getByRole('link', { name: /Henk Kramer/ }).waitFor();
  await open.getByRole('link', { name: /Fatima Bouzid/ }).waitFor();
  assert.equal(await open.getByRole('link', { name: /Fatima Bouzid/ }).getAttribute('aria-current'), 'page');
  await page.waitForTimeout(600);

  // Back to the first: its kladblok and source are still there, and it is saved.
  await open.getByRole('link', { name: /Henk Kramer/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Henk Kramer' }).waitFor();
  await page.waitForFunction(() => document.getElementById('c-scratchpad').value.length > 0);
  assert.equal(await page.getByLabel('Kladblok').inputValue(), 'Belt over paspoort dochter, vertrekt over 3 weken.');
  assert.equal(await page.getByRole('group', { name: 'Gebruikte bronnen' })
    .getByLabel('Paspoort of identiteitskaart aanvragen').isChecked(), true);
  await page.getByLabel('Onderwerp', { exact: true }).fill('Paspoort voor kind');
  await page.getByLabel('Resultaat').selectOption('zelfstandig_afgehandeld');
  await page.getByRole('button', { name: /Contact opslaan/ }).click();
  await page.getByText('Het contact is geregistreerd.').waitFor();
  const entry = page.getByRole('region', { name: 'Tijdlijn' }).getByRole('listitem').filter({ hasText: 'Paspoort voor kind' });
  assert.ok(await entry.getByText('Belt over paspoort dochter, vertrekt over 3 weken.').isVisible(), 'the kladblok became the note');
  assert.ok(await entry.getByText(/Paspoort of identiteitskaart aanvragen/).isVisible(), 'the article is a source used');

  // Saved is no longer open; the other contact still is.
  const stillOpen = page.getByRole('navigation', { name: 'Open contacten' });
  await stillOpen.getByRole('link', { name: /Fatima Bouzid/ }).waitFor();
  assert.equal(await stillOpen.getByRole('link', { name: /Henk Kramer/ }).count(), 0);
  assert.equal(await page.locator('#contact-timer').textContent(), 'niet gestart');
  await page.screenshot({ path: join(screenshots, 'werkplek-opgeslagen.png'), fullPage: true });
  await context.close();
});

// The telephony platform's events, sent as a beheerder's session would (the API takes the
// session with its CSRF token).
async function callEvent(page, body) {
  return page.evaluate(async (b) => {
    const csrf = document.querySelector('input[name="csrf_token"]').value;
    const r = await fetch('/api/v1/telephony/events', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ source: 'pbx', at: new Date().toISOString(), ...b }),
    });
    return r.status;
  }, body);
}

test('an answered call opens the desk with the caller, and an agent who is typing gets a link instead', async () => {
  const agentContext = await demo.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await agentContext.newPage();
  await login(page, demo.server.address, 'anouk');
  await page.goto(demo.server.address + '/kennisbank');
  const platformContext = await demo.browser.newContext();
  const platform = await platformContext.newPage();
  await login(platform, demo.server.address, 'frank');

  // Henk Kramer calls from his mobile; anouk answers.
  assert.equal(await callEvent(platform, { call_id: 'pop-1', event: 'offered', caller: '06 21436587' }), 201);
  assert.equal(await callEvent(platform, { call_id: 'pop-1', event: 'answered', agent: 'anouk' }), 200);
  await page.waitForURL(/\/contacten\/nieuw\?.*gesprek=/, { timeout: 15000 });
  assert.ok(await page.getByText('Gesprek aangenomen').isVisible());
  assert.equal(await page.locator('#gekoppelde-klant a').innerText(), 'Henk Kramer', 'the caller is attached');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'c-subject');
  await page.waitForFunction(() => /^\d\d:\d\d$/.test(document.getElementById('contact-timer').textContent));
  await page.screenshot({ path: join(screenshots, 'bureau-screen-pop.png') });
  let keys = 0;
  const press = async (key) => { keys += 1; await page.keyboard.press(key); };
  await page.keyboard.type('Vraag over de afvalpas');

  // A second call answered while this contact is being typed: a link, not a jump.
  assert.equal(await callEvent(platform, { call_id: 'pop-2', event: 'offered', caller: '010 999 8877' }), 201);
  assert.equal(await callEvent(platform, { call_id: 'pop-2', event: 'answered', agent: 'anouk' }), 200);
  const offer = page.getByRole('alert').getByRole('link', { name: /gesprek aangenomen/ });
  await offer.waitFor({ timeout: 15000 });
  assert.match(page.url(), /gesprek=/);
  assert.equal(await page.getByLabel('Onderwerp').inputValue(), 'Vraag over de afvalpas', 'nothing typed is lost');

  await press('Alt+R');
  await press('ArrowDown');
  await press('Control+Enter');
  // Saved; the desk then opens for the call that was waiting on the link.
  await page.getByText('Geen klant met dit nummer.').waitFor({ timeout: 15000 });
  console.log(`keys from answering to registered (screen pop, with customer): ${keys} named keys plus typing`);
  assert.ok(await page.getByRole('link', { name: 'Nieuwe klant met dit nummer' }).isVisible());
  await openCustomer(page, demo.server.address, 'Henk Kramer', 'Henk Kramer');
  assert.ok(await page.getByText('Vraag over de afvalpas').first().isVisible(), 'the first call was registered with him');
  await agentContext.close();
  await platformContext.close();
});
