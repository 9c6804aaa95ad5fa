/**
 * @module
 * Where recovery codes and notices go. Development: the outbox table, shown at `/dev/outbox`
 * (never in production). Production: a webhook (`NOTIFY_WEBHOOK_URL`) that your mail/SMS gateway
 * receives as JSON — the server refuses to start in production without one.
 */
import type { Notification, Notifier } from '@mfakit/registry';
import type { ServerStore } from './server-store.js';

export class OutboxNotifier implements Notifier {
  readonly #store: ServerStore;
  readonly #now: () => number;
  constructor(store: ServerStore, now: () => number) {
    this.#store = store;
    this.#now = now;
  }
  async send(notification: Notification): Promise<void> {
    await this.#store.appendOutbox({
      at: this.#now(),
      channel: notification.channel,
      to: notification.to,
      subject: notification.subject,
      text: notification.text,
    });
  }
}

export class WebhookNotifier implements Notifier {
  readonly #url: string;
  constructor(url: string) {
    if (!/^https?:\/\/\S+$/.test(url)) throw new TypeError('NOTIFY_WEBHOOK_URL must be an http(s) URL');
    this.#url = url;
  }
  async send(notification: Notification): Promise<void> {
    const response = await fetch(this.#url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification),
      signal: AbortSignal.timeout(10_000),
    });
    // The gateway's answer is not quoted: it may echo the message (the code).
    if (!response.ok) throw new Error(`The notification webhook answered ${response.status}`);
  }
}
