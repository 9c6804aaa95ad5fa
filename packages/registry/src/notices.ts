/**
 * @module
 * Sending notices after a change has committed (recovery codes, "recovery completed", "device
 * deactivated"). A notifier error cannot undo the change, so it is never thrown: each failed
 * message is audited as `notice_failed` naming the channel and kind only (a gateway's error text
 * may echo the address, the message or the code) and reported to the caller, who must tell the
 * user another way or alert.
 */
import { audit, type RegistryContext } from './context.js';
import type { UserRecord } from './model.js';
import type { Notification, NotificationChannel } from './notifier.js';

/** Sends each notice whatever became of the others; returns the channels that failed. */
export async function sendNotices(
  context: RegistryContext,
  user: Pick<UserRecord, 'id' | 'accountId'>,
  notices: Notification[],
  at: number,
  detail: Record<string, string | number> = {},
): Promise<NotificationChannel[]> {
  const { notifier } = context.config;
  const failed: NotificationChannel[] = [];
  for (const notice of notices) {
    try {
      if (notifier === undefined) throw new Error('no notifier');
      await notifier.send(notice);
    } catch {
      failed.push(notice.channel);
      await audit(context, at, {
        event: 'notice_failed',
        actor: 'system',
        accountId: user.accountId,
        userId: user.id,
        outcome: 'fail',
        detail: { ...detail, channel: notice.channel, kind: notice.kind },
      });
    }
  }
  return failed;
}
