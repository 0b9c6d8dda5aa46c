//! E-mail as a channel: a beheerder sets up a mailbox, a mail server pipes mail in, each thread
//! is a work item with a receipt, answers land in their thread, and the threading rules hold on
//! a corpus of mails that other systems get wrong.

use loket::auth::Role;
use serde_json::{Value, json};

use crate::callbacks::{Postbox, get, post};
use crate::contacts::unit_with_agent;
use crate::helpers::TestApp;
use crate::on_both_backends;

const MAILBOX: &str = "info@dijkstad.example.nl";

/// A mailbox fed into a team's queue; answers (beheerder token, agent token).
async fn mailbox(app: &TestApp) -> (String, String) {
    let (unit, agent) = unit_with_agent(app, "Team Post").await;
    let admin = app.token(&[Role::Beheerder]).await;
    let (status, created) = post(app, &admin, "/api/v1/mailboxes", &json!({"address": MAILBOX, "team": unit})).await;
    assert_eq!(status, 201, "{created}");
    (admin, agent)
}

/// Delivers a raw mail as a mail server would.
async fn deliver(app: &TestApp, token: &str, raw: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/mailboxes/{MAILBOX}/inbound")))
        .bearer_auth(token)
        .header("Content-Type", "message/rfc822")
        .body(raw.replace('\n', "\r\n"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn mail(id: &str, from: &str, subject: &str, extra_headers: &str, body: &str) -> String {
    format!(
        "Message-ID: <{id}>\nFrom: {from}\nTo: {MAILBOX}\nSubject: {subject}\nDate: Mon, 7 Dec 2026 10:00:00 +0100\n\
         {extra_headers}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
    )
}

async fn thread(app: &TestApp, agent: &str, id: &str) -> Value {
    let (status, item) = get(app, agent, &format!("/api/v1/work-items/{id}")).await;
    assert_eq!(status, 200, "{item}");
    item
}

fn kinds(item: &Value) -> Vec<String> {
    item["messages"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap().to_owned()).collect()
}

async fn a_mail_becomes_a_thread_with_a_receipt_and_the_answer_goes_out_in_that_thread(app: &TestApp) {
    let (admin, agent) = mailbox(app).await;
    let first = mail(
        "vraag-1@burger.example.nl",
        "Jan Jansen <jan@burger.example.nl>",
        "Grofvuil",
        "",
        "Wanneer wordt het opgehaald?",
    );
    let (status, intake) = deliver(app, &admin, &first).await;
    assert_eq!((status, intake["new_thread"].as_bool()), (202, Some(true)), "{intake}");
    let id = intake["work_item"].as_str().unwrap().to_owned();
    let (status, again) = deliver(app, &admin, &first).await;
    assert_eq!(
        (status, again),
        (202, json!({"work_item": id, "new_thread": false})),
        "the same mail twice is one mail"
    );

    let (status, queue) = get(app, &agent, "/api/v1/work-items?channel=e-mail").await;
    assert_eq!(status, 200, "{queue}");
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{queue}");
    let reference = items[0]["reference"].as_str().unwrap().to_owned();
    assert!(reference.starts_with("E-"), "{reference}");
    assert_eq!(
        (items[0]["subject"].as_str(), items[0]["from"].as_str(), items[0]["state"].as_str()),
        (Some("Grofvuil"), Some("jan@burger.example.nl"), Some("nieuw"))
    );
    assert!(items[0]["due_at"].is_string(), "due by the e-mail target: {queue}");
    let (_, phone_only) = get(app, &agent, "/api/v1/work-items?channel=telefoon").await;
    assert_eq!(phone_only["items"], json!([]));

    let item = thread(app, &agent, &id).await;
    assert_eq!(kinds(&item), ["bericht", "ontvangstbevestiging"], "{item}");
    let receipt = &item["messages"][1];
    assert_eq!(
        (receipt["direction"].as_str(), receipt["to"][0].as_str()),
        (Some("out"), Some("jan@burger.example.nl"))
    );
    assert!(receipt["subject"].as_str().unwrap().contains(&reference), "{receipt}");
    assert!(receipt["text"].as_str().unwrap().contains("uiterlijk"), "the receipt says when: {receipt}");
    let receipt_id = receipt["message_id"].as_str().unwrap().to_owned();

    // The citizen answers the receipt: same thread, no second receipt.
    let answer = mail(
        "vraag-2@burger.example.nl",
        "jan@burger.example.nl",
        &format!("Re: Grofvuil [{reference}]"),
        &format!("In-Reply-To: <{receipt_id}>\nReferences: <vraag-1@burger.example.nl> <{receipt_id}>\n"),
        "Het gaat om een bank.",
    );
    let (status, joined) = deliver(app, &admin, &answer).await;
    assert_eq!((status, joined), (202, json!({"work_item": id, "new_thread": false})));

    // The agent takes it and answers.
    assert_eq!(post(app, &agent, &format!("/api/v1/work-items/{id}/claim"), &json!({})).await.0, 200);
    let (status, reply) = post(
        app,
        &agent,
        &format!("/api/v1/work-items/{id}/reply"),
        &json!({"body": "Op 14 december halen we de bank op."}),
    )
    .await;
    assert_eq!(status, 201, "{reply}");
    let item = thread(app, &agent, &id).await;
    assert_eq!(kinds(&item), ["bericht", "ontvangstbevestiging", "bericht", "antwoord"]);
    assert_eq!(item["state"].as_str(), Some("in_behandeling"));

    // What leaves: from the mailbox, in the thread; the receipt marked as automatic.
    let postbox = Postbox::default();
    let sent = loket::mail::deliver_step(&app.store, &postbox, &app.address).await.unwrap();
    assert_eq!(sent, 2);
    let out = postbox.0.lock().unwrap().clone();
    let receipt = out.iter().find(|m| m.auto_submitted).expect("the receipt is marked Auto-Submitted");
    assert_eq!(receipt.from.as_deref(), Some(MAILBOX));
    assert_eq!(receipt.in_reply_to.as_deref(), Some("vraag-1@burger.example.nl"));
    let answer = out.iter().find(|m| !m.auto_submitted).unwrap();
    assert_eq!((answer.to.as_str(), answer.from.as_deref()), ("jan@burger.example.nl", Some(MAILBOX)));
    assert_eq!(answer.in_reply_to.as_deref(), Some("vraag-2@burger.example.nl"));
    assert!(answer.references.contains(&receipt_id), "{:?}", answer.references);
    assert!(answer.subject.contains(&reference) && answer.body.contains(&reference));
    assert!(!answer.body.contains(&app.address), "no link into Loket in a mail to a citizen");
}

async fn a_mail_never_joins_a_thread_of_someone_else(app: &TestApp) {
    let (admin, agent) = mailbox(app).await;
    let (_, first) =
        deliver(app, &admin, &mail("a-1@x.example.nl", "anna@x.example.nl", "Paspoort", "", "Kwijt.")).await;
    let first_id = first["work_item"].as_str().unwrap();
    let reference = thread(app, &agent, first_id).await["reference"].as_str().unwrap().to_owned();
    // Someone in Cc answers with the reference and the references of Anna's mail.
    let from_cc = mail(
        "b-1@y.example.nl",
        "bert@y.example.nl",
        &format!("RE: Paspoort [{reference}]"),
        "In-Reply-To: <a-1@x.example.nl>\nReferences: <a-1@x.example.nl>\n",
        "Ik heb hem gevonden.",
    );
    let (_, other) = deliver(app, &admin, &from_cc).await;
    assert_eq!(other["new_thread"].as_bool(), Some(true), "{other}");
    let other_id = other["work_item"].as_str().unwrap();
    assert_ne!(other_id, first_id);
    let linked = thread(app, &agent, other_id).await;
    assert_eq!(linked["linked_to"].as_str(), Some(first_id), "the new thread points at the one it matched");
    assert_eq!(
        kinds(&thread(app, &agent, first_id).await),
        ["bericht", "ontvangstbevestiging"],
        "Anna's thread is hers"
    );
}

/// One case of the corpus: a mail, and whether it must join the thread of the first mail.
struct Case {
    name: &'static str,
    raw: String,
    joins: bool,
    receipt: bool,
}

async fn the_threading_rules_hold_on_mails_that_other_systems_get_wrong(app: &TestApp) {
    let (admin, agent) = mailbox(app).await;
    let start = mail("start@burger.example.nl", "Piet <piet@burger.example.nl>", "Bijstand", "", "Mijn vraag.");
    let (_, first) = deliver(app, &admin, &start).await;
    let id = first["work_item"].as_str().unwrap().to_owned();
    let item = thread(app, &agent, &id).await;
    let reference = item["reference"].as_str().unwrap().to_owned();
    let receipt_id = item["messages"][1]["message_id"].as_str().unwrap().to_owned();
    let cases = [
        Case {
            name: "an Outlook reply without references, the reference in the subject",
            raw: mail(
                "o-1@burger.example.nl",
                "piet@burger.example.nl",
                &format!("AW: Antw: Bijstand [{reference}]"),
                "",
                "Aanvulling.",
            ),
            joins: true,
            receipt: false,
        },
        Case {
            name: "a rewritten Message-ID, the reference in the quoted body",
            raw: mail(
                "rw-1@burger.example.nl",
                "piet@burger.example.nl",
                "Re: Bijstand",
                "In-Reply-To: <rewritten-by-server@mx.example.nl>\n",
                &format!("Dank u.\n\n> Ons kenmerk: {reference}"),
            ),
            joins: true,
            receipt: false,
        },
        Case {
            name: "a reply to the receipt by its Message-ID, subject changed",
            raw: mail(
                "id-1@burger.example.nl",
                "piet@burger.example.nl",
                "Nog iets",
                &format!("In-Reply-To: <{receipt_id}>\n"),
                "En dit.",
            ),
            joins: true,
            receipt: false,
        },
        Case {
            name: "a newsletter answered by someone else with the same In-Reply-To",
            raw: mail(
                "nl-1@z.example.nl",
                "zoe@z.example.nl",
                "Re: Nieuwsbrief",
                "In-Reply-To: <nieuwsbrief-12@dijkstad.example.nl>\n",
                "Afmelden.",
            ),
            joins: false,
            receipt: true,
        },
        Case {
            name: "a second reader of the same newsletter",
            raw: mail(
                "nl-2@q.example.nl",
                "quinten@q.example.nl",
                "Re: Nieuwsbrief",
                "In-Reply-To: <nieuwsbrief-12@dijkstad.example.nl>\n",
                "Leuk.",
            ),
            joins: false,
            receipt: true,
        },
        Case {
            name: "PGP/MIME from the same sender answering the receipt",
            raw: format!(
                "Message-ID: <pgp-1@burger.example.nl>\nFrom: piet@burger.example.nl\nTo: {MAILBOX}\nSubject: ...\n\
                 In-Reply-To: <{receipt_id}>\nMIME-Version: 1.0\n\
                 Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b\"\n\n\
                 --b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\
                 --b\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\n\n\
                 -----BEGIN PGP MESSAGE-----\nhQEMA0x\n-----END PGP MESSAGE-----\n--b--\n"
            ),
            joins: true,
            receipt: false,
        },
        Case {
            name: "an out-of-office reply from a new address",
            raw: mail(
                "ooo-1@w.example.nl",
                "wim@w.example.nl",
                "Afwezig: Bijstand",
                "Auto-Submitted: auto-replied\n",
                "Ik ben afwezig.",
            ),
            joins: false,
            receipt: false,
        },
        Case {
            name: "a mailing list message",
            raw: mail(
                "list-1@l.example.nl",
                "lijst@l.example.nl",
                "Nieuws",
                "List-Id: <nieuws.l.example.nl>\nPrecedence: list\n",
                "Nieuws.",
            ),
            joins: false,
            receipt: false,
        },
    ];
    for case in &cases {
        let (status, intake) = deliver(app, &admin, &case.raw).await;
        assert_eq!(status, 202, "{}: {intake}", case.name);
        let joined = intake["work_item"].as_str() == Some(id.as_str());
        assert_eq!(joined, case.joins, "{}: {intake}", case.name);
        let got = kinds(&thread(app, &agent, intake["work_item"].as_str().unwrap()).await);
        let receipts = got.iter().filter(|k| *k == "ontvangstbevestiging").count();
        if !case.joins {
            assert_eq!(receipts, usize::from(case.receipt), "{}: {got:?}", case.name);
        }
    }
    let item = thread(app, &agent, &id).await;
    assert_eq!(kinds(&item).iter().filter(|k| *k == "ontvangstbevestiging").count(), 1, "one receipt per thread");
    let pgp =
        item["messages"].as_array().unwrap().iter().find(|m| m["message_id"] == "pgp-1@burger.example.nl").unwrap();
    assert!(pgp["refused"].as_str().unwrap().contains("versleuteld"), "{pgp}");
    assert!(!pgp["attachments"].as_array().unwrap().is_empty(), "the encrypted part is kept as an attachment");

    // A bounce of the receipt joins the thread it bounced, without a receipt of its own.
    let bounce = format!(
        "Message-ID: <dsn-1@mx.example.nl>\nFrom: MAILER-DAEMON@mx.example.nl\nTo: {MAILBOX}\nSubject: Undelivered Mail\n\
         MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n\n\
         --r\nContent-Type: text/plain\n\nDelivery failed.\n\
         --r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.nl\n\n\
         --r\nContent-Type: text/rfc822-headers\n\nMessage-ID: <{receipt_id}>\nSubject: x\n\n--r--\n"
    );
    let (status, bounced) = deliver(app, &admin, &bounce).await;
    assert_eq!((status, bounced["work_item"].as_str()), (202, Some(id.as_str())), "{bounced}");
    assert!(kinds(&thread(app, &agent, &id).await).contains(&"onbestelbaar".to_owned()));
}

async fn receipts_are_limited_to_three_per_sender_a_day(app: &TestApp) {
    let (admin, agent) = mailbox(app).await;
    let mut receipts = 0;
    for n in 0..5 {
        let raw = mail(&format!("bomb-{n}@b.example.nl"), "bob@b.example.nl", &format!("Vraag {n}"), "", "?");
        let (_, intake) = deliver(app, &admin, &raw).await;
        let item = thread(app, &agent, intake["work_item"].as_str().unwrap()).await;
        receipts += kinds(&item).iter().filter(|k| *k == "ontvangstbevestiging").count();
    }
    assert_eq!(receipts, 3);
}

async fn an_attachment_over_the_limit_is_refused_by_name_and_the_mail_is_kept(app: &TestApp) {
    let (unit, agent) = unit_with_agent(app, "Team Post").await;
    let admin = app.token(&[Role::Beheerder]).await;
    let body = json!({"address": MAILBOX, "team": unit, "max_attachment_bytes": 2048});
    assert_eq!(post(app, &admin, "/api/v1/mailboxes", &body).await.0, 201);
    let big = "QUFB".repeat(1500);
    let raw = format!(
        "Message-ID: <att-1@c.example.nl>\nFrom: carla@c.example.nl\nTo: {MAILBOX}\nSubject: Foto's\nMIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"m\"\n\n--m\nContent-Type: text/plain\n\nZie bijlagen.\n\
         --m\nContent-Type: image/png; name=\"klein.png\"\nContent-Transfer-Encoding: base64\n\nQUFBQUFB\n\
         --m\nContent-Type: application/pdf; name=\"groot.pdf\"\nContent-Transfer-Encoding: base64\n\n{big}\n--m--\n"
    );
    let (status, intake) = deliver(app, &admin, &raw).await;
    assert_eq!(status, 202, "{intake}");
    let item = thread(app, &agent, intake["work_item"].as_str().unwrap()).await;
    let message = &item["messages"][0];
    assert!(message["refused"].as_str().unwrap().contains("groot.pdf"), "{message}");
    let attachments = message["attachments"].as_array().unwrap();
    let kept: Vec<(&str, bool)> =
        attachments.iter().map(|a| (a["filename"].as_str().unwrap(), a["kept"].as_bool().unwrap())).collect();
    assert_eq!(kept, [("klein.png", true), ("groot.pdf", false)]);
    let small = attachments[0]["id"].as_str().unwrap();
    let download =
        app.client.get(app.url(&format!("/api/v1/mail-attachments/{small}"))).bearer_auth(&agent).send().await.unwrap();
    assert_eq!(download.status(), 200);
    assert!(download.headers()["content-disposition"].to_str().unwrap().contains("klein.png"));
    assert_eq!(download.bytes().await.unwrap().as_ref(), b"AAAAAA");
    let refused = attachments[1]["id"].as_str().unwrap();
    let (status, _) = get(app, &agent, &format!("/api/v1/mail-attachments/{refused}")).await;
    assert_eq!(status, 404);
}

async fn mailboxes_keep_their_password_to_themselves_and_bad_deliveries_change_nothing(app: &TestApp) {
    let (unit, agent) = unit_with_agent(app, "Team Post").await;
    let admin = app.token(&[Role::Beheerder]).await;
    let body = json!({"address": MAILBOX, "team": unit, "imap_url": "imaps://kcc@mail.example.nl:993/INBOX", "password": "Zeer-geheim-42"});
    let (status, created) = post(app, &admin, "/api/v1/mailboxes", &body).await;
    assert_eq!(status, 201, "{created}");
    let (_, listed) = get(app, &admin, "/api/v1/mailboxes").await;
    assert!(!listed.to_string().contains("Zeer-geheim"), "{listed}");
    assert_eq!(listed[0]["password_stored"].as_bool(), Some(true));
    assert_eq!(post(app, &admin, "/api/v1/mailboxes", &body).await.0, 409);
    let with_password_in_url =
        json!({"address": "b@dijkstad.example.nl", "team": unit, "imap_url": "imaps://kcc:pw@mail.example.nl/INBOX"});
    let (status, refused) = post(app, &admin, "/api/v1/mailboxes", &with_password_in_url).await;
    assert_eq!((status, refused["errors"][0]["field"].as_str()), (400, Some("imap_url")), "{refused}");
    assert_eq!(get(app, &agent, "/api/v1/mailboxes").await.0, 403);

    let raw = mail("x-1@x.example.nl", "x@x.example.nl", "Hoi", "", "Hoi");
    assert_eq!(deliver(app, &agent, &raw).await.0, 403, "an agent does not deliver mail");
    let wrong_type = app
        .client
        .post(app.url(&format!("/api/v1/mailboxes/{MAILBOX}/inbound")))
        .bearer_auth(&admin)
        .header("Content-Type", "text/plain")
        .body(raw.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 415);
    let unknown = app
        .client
        .post(app.url("/api/v1/mailboxes/onbekend@dijkstad.example.nl/inbound"))
        .bearer_auth(&admin)
        .header("Content-Type", "message/rfc822")
        .body(raw.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let (_, queue) = get(app, &agent, "/api/v1/work-items?channel=e-mail").await;
    assert_eq!(queue["items"], json!([]), "nothing was taken in");
    // Bytes that are no mail at all still become a work item that says so.
    let (status, intake) = deliver(app, &admin, "\u{1}\u{2} dit is geen e-mail").await;
    assert_eq!(status, 202, "{intake}");
}

async fn erasing_a_customer_clears_their_mail_and_its_receipt(app: &TestApp) {
    let (admin, agent) = mailbox(app).await;
    let (status, party) = post(app, &agent, "/api/v1/parties", &crate::contacts::citizen()).await;
    assert_eq!(status, 201, "{party}");
    let raw = mail(
        "f-1@example.nl",
        "Fatma Özdemir <fatma@example.nl>",
        "Mijn schuld",
        "",
        "Ik kan de aanslag niet betalen.",
    );
    let (_, intake) = deliver(app, &admin, &raw).await;
    let id = intake["work_item"].as_str().unwrap();
    let item = thread(app, &agent, id).await;
    assert_eq!(item["suggested_party_id"], party["id"], "the one customer with this address is suggested");

    let erase = json!({"reason": "Verzoek van betrokkene"});
    let (status, report) =
        post(app, &admin, &format!("/api/v1/parties/{}/erase", party["id"].as_str().unwrap()), &erase).await;
    assert_eq!(status, 200, "an erasure is not blocked by mail about the person: {report}");
    let item = thread(app, &agent, id).await;
    let text = item.to_string();
    assert!(!text.contains("aanslag") && !text.contains("fatma@example.nl") && !text.contains("Özdemir"), "{item}");
    let postbox = Postbox::default();
    loket::mail::deliver_step(&app.store, &postbox, &app.address).await.unwrap();
    assert!(postbox.0.lock().unwrap().is_empty(), "the receipt to the erased person is not sent any more");
}

/// A mail server that refuses everything, counting what it was offered.
#[derive(Default)]
struct Refusing(std::sync::atomic::AtomicUsize);

impl loket::mail::Sender for Refusing {
    async fn send(&self, _: loket::mail::Outgoing) -> Result<(), String> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Err("451 greylisted, try again later".into())
    }
}

async fn a_refused_receipt_waits_before_it_is_tried_again(app: &TestApp) {
    let (admin, _) = mailbox(app).await;
    deliver(app, &admin, &mail("g-1@g.example.nl", "gerda@g.example.nl", "Vraag", "", "?")).await;
    let server = Refusing::default();
    assert_eq!(loket::mail::deliver_step(&app.store, &server, &app.address).await.unwrap(), 0);
    assert_eq!(loket::mail::deliver_step(&app.store, &server, &app.address).await.unwrap(), 0);
    assert_eq!(server.0.load(std::sync::atomic::Ordering::SeqCst), 1, "tried once, then it waits");
    let mut conn = app.store.acquire().await.unwrap();
    let kept = loket::store::mail::for_address(&mut conn, "gerda@g.example.nl").await.unwrap();
    assert_eq!((kept.len(), kept[0].attempts, kept[0].sent_at), (1, 1, None), "kept for a later try");
    assert!(kept[0].last_error.contains("greylisted"));
}

on_both_backends!(
    a_refused_receipt_waits_before_it_is_tried_again,
    erasing_a_customer_clears_their_mail_and_its_receipt,
    a_mail_becomes_a_thread_with_a_receipt_and_the_answer_goes_out_in_that_thread,
    a_mail_never_joins_a_thread_of_someone_else,
    the_threading_rules_hold_on_mails_that_other_systems_get_wrong,
    receipts_are_limited_to_three_per_sender_a_day,
    an_attachment_over_the_limit_is_refused_by_name_and_the_mail_is_kept,
    mailboxes_keep_their_password_to_themselves_and_bad_deliveries_change_nothing,
);
