// One customer, every agent: a contact registered for a new citizen by one agent is in the
// timeline another agent finds by the citizen's phone number, in a session of their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withDemo, login, openCustomer, screenshots } from './loket.mjs';

const demo = withDemo();

test('a phone contact for a new citizen is seen by a second agent who finds them by phone number', async () => {
  const first = await demo.browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const anouk = await first.newPage();
  await login(anouk, demo.server.address, 'anouk');
  await anouk.getByRole('navigation').getByRole('link', { name: 'Klanten' }).click();

  // Keyboard first: the search box has the focus; the number is not known yet.
  const box = anouk.getByRole('searchbox', { name: 'Zoek een klant' });
  assert.equal(await box.evaluate((el) => el === document.activeElement), true, 'the search box has the focus');
  await anouk.keyboard.type('06 11 22 33 44');
  await anouk.keyboard.press('Enter');
  await anouk.getByText('Geen klant gevonden').waitFor();

  await anouk.getByLabel('Voornaam').fill('Sem');
  await anouk.getByLabel('Tussenvoegsel').fill('van');
  await anouk.getByLabel('Achternaam').fill('Leeuwen');
  await anouk.getByLabel('Telefoonnummer').fill('06 11 22 33 44');
  await anouk.getByLabel('Postcode').fill('3015 aa');
  await anouk.getByLabel('Huisnummer').fill('8');
  await anouk.getByRole('button', { name: 'Klant registreren' }).click();
  await anouk.getByRole('heading', { level: 1, name: 'Sem van Leeuwen' }).waitFor();
  assert.ok(await anouk.getByText('De klant is geregistreerd.').isVisible());
  assert.ok(await anouk.getByText('3015 AA').isVisible(), 'the postcode is written the Dutch way');

  await anouk.getByLabel('Kanaal', { exact: true }).first().selectOption('telefoon');
  await anouk.getByLabel('Onderwerp', { exact: true }).fill('Grofvuil laten ophalen');
  await anouk.getByLabel('Notitie').fill('Bank en kast; ophaalafspraak voor dinsdag gemaakt.');
  await anouk.getByLabel('Resultaat').selectOption('zelfstandig_afgehandeld');
  await anouk.getByRole('button', { name: 'Contact opslaan' }).click();
  await anouk.getByText('Het contact is geregistreerd.').waitFor();
  const timeline = anouk.getByRole('region', { name: 'Tijdlijn' });
  assert.ok(await timeline.getByRole('heading', { name: 'Grofvuil laten ophalen' }).isVisible());
  await anouk.screenshot({ path: join(screenshots, 'klant-contact-geregistreerd.png'), fullPage: true });

  // A second agent, a session of their own, the number typed another way.
  const second = await demo.browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const mohamed = await second.newPage();
  await login(mohamed, demo.server.address, 'mohamed');
  await mohamed.goto(demo.server.address + '/klanten');
  await mohamed.getByRole('searchbox', { name: 'Zoek een klant' }).fill('+31611223344');
  await mohamed.keyboard.press('Enter');
  // The only match opens at once.
  await mohamed.getByRole('heading', { level: 1, name: 'Sem van Leeuwen' }).waitFor();
  const seen = mohamed.getByRole('region', { name: 'Tijdlijn' });
  assert.ok(await seen.getByRole('heading', { name: 'Grofvuil laten ophalen' }).isVisible());
  assert.ok(await seen.getByText('Bank en kast; ophaalafspraak voor dinsdag gemaakt.').isVisible());
  assert.ok(await seen.getByText('Anouk Jansen').isVisible(), 'who handled it is shown');
  await mohamed.screenshot({ path: join(screenshots, 'klant-tijdlijn-tweede-medewerker.png'), fullPage: true });
  await first.close();
  await second.close();
});

test('a request and a task registered for a customer reach the timeline and the team worklist', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 1200 } });
  await login(page, demo.server.address, 'anouk');
  await openCustomer(page, demo.server.address, 'bouzid', 'Fatima Bouzid');
  await page.getByText('Verzoek registreren').click();
  await page.getByLabel('Soort verzoek').selectOption({ label: 'Grofvuil ophalen' });
  await page.getByLabel('Onderwerp van het verzoek').fill('Oude bank ophalen');
  await page.getByLabel('Behandelende afdeling').selectOption({ label: 'Team Afval en Reiniging' });
  await page.getByRole('button', { name: 'Verzoek opslaan' }).click();
  await page.getByText('Het verzoek is geregistreerd.').waitFor();
  const timeline = page.getByRole('region', { name: 'Tijdlijn' });
  const request = timeline.getByRole('listitem').filter({ hasText: 'Grofvuil ophalen: Oude bank ophalen' });
  assert.match(await request.innerText(), /Ontvangen/);

  await page.getByText('Taak uitzetten').click();
  await page.getByLabel('Gevraagde handeling').fill('Terugbellen over de ophaaldatum');
  await page.getByLabel('Taak voor').selectOption({ label: 'Team Telefonie' });
  await page.getByRole('button', { name: 'Taak opslaan' }).click();
  await page.getByText('De taak is uitgezet.').waitFor();
  await page.screenshot({ path: join(screenshots, 'klant-verzoek-en-taak.png'), fullPage: true });

  // A colleague of the same team finds the task on the team's worklist and finishes it.
  const other = await demo.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const mohamed = await other.newPage();
  await login(mohamed, demo.server.address, 'mohamed');
  await mohamed.getByRole('navigation').getByRole('link', { name: 'Taken' }).click();
  const task = mohamed.getByRole('listitem').filter({ hasText: 'Terugbellen over de ophaaldatum' });
  await task.getByLabel('Resultaat').fill('Gebeld: dinsdag opgehaald.');
  await task.getByRole('button', { name: /Afronden/ }).click();
  await mohamed.getByText('De taak is afgerond.').waitFor();
  assert.equal(await mohamed.getByText('Terugbellen over de ophaaldatum').count(), 0, 'no longer open');
  await other.close();

  // The back office moves the request on; the agent sees the new status.
  await request.getByLabel('Nieuwe status').selectOption('in_behandeling');
  await request.getByLabel('Toelichting bij de status').fill('Ingepland');
  await request.getByRole('button', { name: /Status wijzigen/ }).click();
  await page.getByText('De status van het verzoek is gewijzigd.').waitFor();
  const moved = page.getByRole('region', { name: 'Tijdlijn' }).getByRole('listitem').filter({ hasText: 'Oude bank ophalen' });
  assert.match(await moved.innerText(), /In behandeling/);
  await page.close();
});

test('an invalid BSN is named at its field and nothing is registered', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await login(page, demo.server.address, 'anouk');
  await page.goto(demo.server.address + '/klanten');
  await page.getByLabel('Achternaam').fill('Bakker');
  await page.getByLabel('BSN').fill('123456789');
  await page.getByRole('button', { name: 'Klant registreren' }).click();
  await page.getByRole('alert').waitFor();
  const bsn = page.getByLabel('BSN');
  assert.equal(await bsn.getAttribute('aria-invalid'), 'true');
  assert.equal(await bsn.inputValue(), '123456789', 'what was typed stays');
  await page.screenshot({ path: join(screenshots, 'klant-ongeldig-bsn.png'), fullPage: true });
  await page.goto(demo.server.address + '/klanten?q=bakker');
  await page.getByText('Geen klant gevonden').waitFor();
  await page.close();
});

test('the demo customers have a history across channels', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await login(page, demo.server.address, 'joost');
  // Typed with a letter missing: found all the same, and the only match opens.
  await openCustomer(page, demo.server.address, 'kramr', 'Henk Kramer');
  assert.match(page.url(), /\/klanten\/[0-9a-f-]{36}$/);
  const timeline = page.getByRole('region', { name: 'Tijdlijn' });
  const subjects = await timeline.getByRole('heading', { level: 3 }).allInnerTexts();
  assert.deepEqual(
    subjects,
    ['Bezwaar WOZ-beschikking', 'Bladkorf: stand van zaken', 'Bladkorf aanvragen'],
    'newest first: the open callback, then the contacts',
  );
  await page.close();
});

test('a beheerder exports a person\'s data and erases it on request', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await login(page, demo.server.address, 'frank');
  await page.getByRole('navigation').getByRole('link', { name: 'Beheer' }).click();
  await page.getByRole('main').getByRole('link', { name: 'Privacyverzoeken' }).click();
  await page.getByLabel('BSN').fill('390996038');
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await page.getByRole('heading', { name: 'Wim van der Linden' }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Alle gegevens downloaden (JSON)' }).click(),
  ]);
  const exported = JSON.parse(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString()));
  assert.equal(exported.party.display_name, 'Wim van der Linden');
  assert.equal(exported.contacts[0].subject, 'Parkeervergunning');
  await page.screenshot({ path: join(screenshots, 'privacyverzoek.png'), fullPage: true });

  await page.getByLabel('Reden van het wissen').fill('Verzoek van betrokkene');
  await page.getByLabel(/Ik heb gecontroleerd/).check();
  await page.getByRole('button', { name: 'Gegevens wissen' }).click();
  await page.getByText('De gegevens zijn gewist.').waitFor();
  await page.close();

  const agent = await demo.browser.newPage();
  await login(agent, demo.server.address, 'anouk');
  await agent.goto(demo.server.address + '/klanten?q=linden');
  await agent.getByText('Geen klant gevonden').waitFor();
  await agent.close();
});
