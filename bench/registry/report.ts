/**
 * @module
 * Presents one registry run: a console table and a markdown table (devices per user as rows,
 * correct / wrong code as columns), the target check, and the results JSON.
 */
import { formatRate, textTable } from '../src/report.js';
import { CODE_KINDS, type CodeKind } from './cases.js';
import type { RegistryMeasurement } from './harness.js';

/** Target: the memory store sustains ≥ 100 000 verifications/s for a user with one device. */
const TARGET_OPS_PER_SEC = 100_000;

export interface RegistryRunInfo {
  node: string;
  cpu: string;
  date: string;
  rounds: number;
  sampleMs: number;
}

function lookup(
  measurements: readonly RegistryMeasurement[],
  devices: number,
  kind: CodeKind,
): RegistryMeasurement | undefined {
  return measurements.find((m) => m.devices === devices && m.case === kind);
}

function rows(measurements: readonly RegistryMeasurement[]): string[][] {
  const deviceCounts = [...new Set(measurements.map((m) => m.devices))];
  return deviceCounts.map((devices) => [
    `${devices} device${devices === 1 ? '' : 's'}`,
    ...CODE_KINDS.map((kind) => {
      const measurement = lookup(measurements, devices, kind);
      return measurement === undefined
        ? '—'
        : `${formatRate(measurement.opsPerSec)} ±${Math.round(measurement.spread * 50)}%`;
    }),
  ]);
}

export function registryConsoleTable(measurements: readonly RegistryMeasurement[]): string {
  return textTable(['verifySignIn/s', ...CODE_KINDS], rows(measurements));
}

export function registryTargetLines(measurements: readonly RegistryMeasurement[]): string[] {
  return (['correct-code', 'wrong-code'] as const).map((kind) => {
    const measurement = lookup(measurements, 1, kind);
    if (measurement === undefined) return `not measured: ${kind}, 1 device`;
    const ok = measurement.opsPerSec >= TARGET_OPS_PER_SEC;
    return `${ok ? 'met   ' : 'MISSED'} ${kind}, 1 device: ${formatRate(measurement.opsPerSec)}/s (target ≥ ${formatRate(TARGET_OPS_PER_SEC)}/s)`;
  });
}

export function registryMarkdownReport(measurements: readonly RegistryMeasurement[], info: RegistryRunInfo): string {
  return [
    `\`Registry.verifySignIn\` per second on \`MemoryRegistryStore\`, median over ${info.rounds} interleaved rounds`,
    '(±half the interquartile range). Virtual TOTP devices (SHA-1, 6 digits, 30 s, window ±1), secrets sealed',
    'with AES-256-GCM and prepared keys cached; every sign-in computes the window of every active device and',
    'appends a hash-chained audit record. correct-code: the code of the user’s last device, the fake clock one',
    'step on after each accepted sign-in; wrong-code: a code no device accepts (never throttled or locked);',
    'security-key: `verifySecurityKeySignIn` with a WebAuthn assertion of a virtual key (challenge from the',
    'store, ES256 signature, sign-counter compare-and-set, audit record), the user’s only device.',
    'Absolute figures vary from machine to machine and run to run.',
    '',
    `| devices | ${CODE_KINDS.join(' | ')} |`,
    `|---|${CODE_KINDS.map(() => '---:').join('|')}|`,
    ...rows(measurements).map((row) => `| ${row.join(' | ')} |`),
    '',
    `Node ${info.node}, ${info.cpu}, ${info.date}.`,
    '',
  ].join('\n');
}

export function registryResultsJson(measurements: readonly RegistryMeasurement[], info: RegistryRunInfo): string {
  const results = measurements.map((m) => ({ case: m.case, devices: m.devices, opsPerSec: Math.round(m.opsPerSec) }));
  return `${JSON.stringify({ results, node: info.node, cpu: info.cpu, date: info.date, rounds: info.rounds, sampleMs: info.sampleMs }, null, 2)}\n`;
}
