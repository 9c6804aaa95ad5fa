/**
 * @module
 * Out-of-band messages to a user's email and phone (lost-device recovery codes, notices that
 * recovery completed or a device was deactivated). Plug a mail/SMS gateway in by implementing
 * `Notifier`; the registry ships a console one for development and a memory one for tests.
 */

/** Where a message goes: the user's email or phone. */
export type NotificationChannel = 'email' | 'phone';
/** What a message is about. */
export type NotificationKind = 'recovery_code' | 'recovery_completed' | 'device_deactivated';

/** One message to a user. */
export interface Notification {
  channel: NotificationChannel;
  /** The address: the user's email or E.164 phone number. */
  to: string;
  userId: string;
  kind: NotificationKind;
  subject: string;
  /** Human-readable text; for `recovery_code` it contains the code. */
  text: string;
  /** The one-time code, on `recovery_code` messages only. */
  code?: string;
  /** The recovery session the message is about (`recovery_code` messages). */
  sessionId?: string;
}

/** Sends messages (your mail and SMS gateway). */
export interface Notifier {
  /** Sends one message; a throw is reported by the registry, never shown to the user. */
  send(notification: Notification): Promise<void>;
}

/** Keeps every message in memory: tests read the recovery codes a user "received". */
export class MemoryNotifier implements Notifier {
  readonly messages: Notification[] = [];

  /** The messages hold recovery codes: never print them. */
  toJSON(): { messages: number } {
    return { messages: this.messages.length };
  }
  toString(): string {
    return `MemoryNotifier(${this.messages.length} messages)`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Keeps the message. */
  async send(notification: Notification): Promise<void> {
    this.messages.push({ ...notification });
  }

  /** The latest message to `userId` on `channel`, optionally of one kind. */
  last(userId: string, channel: NotificationChannel, kind?: NotificationKind): Notification | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i] as Notification;
      if (message.userId === userId && message.channel === channel && (kind === undefined || message.kind === kind)) {
        return message;
      }
    }
    return undefined;
  }

  /** The latest recovery code sent to `userId` on `channel`. */
  lastCode(userId: string, channel: NotificationChannel): string | undefined {
    return this.last(userId, channel, 'recovery_code')?.code;
  }

  /** Forgets every message. */
  clear(): void {
    this.messages.length = 0;
  }
}

/**
 * Prints messages — including one-time recovery codes — to a line writer (default
 * `console.log`). For local development only: never use it where logs are collected.
 */
export class ConsoleNotifier implements Notifier {
  readonly #write: (line: string) => void;

  constructor(write: (line: string) => void = (line) => console.log(line)) {
    this.#write = write;
  }

  /** Prints the message. */
  async send(notification: Notification): Promise<void> {
    this.#write(`[mfakit ${notification.channel} to ${notification.to}] ${notification.subject}: ${notification.text}`);
  }
}
