/**
 * The SMTP service starter for the server process: MX, submission (STARTTLS) and submissions
 * (implicit TLS) on every listen address, policy from src/server/smtp, with the process's
 * metrics. The outbound queue is handed in by whoever builds it (`smtpStarter({ outbound })`);
 * without one, submissions to other domains are answered 451 4.3.0 and local mail still flows.
 */
import { Counter } from 'prom-client';
import type { OutboundQueue } from '../../queue/index.ts';
import type { DnsResolver, MessageCheck } from '../../filter/index.ts';
import { startSmtpServices } from '../../server/smtp/index.ts';
import type { Service, ServiceStarter } from './types.ts';

export interface SmtpStarterOptions {
  outbound?: OutboundQueue | null;
  resolver?: DnsResolver;
  checks?: MessageCheck[];
}

export function smtpStarter(options: SmtpStarterOptions = {}): ServiceStarter {
  return async ({ system, tls, metrics, log }) => {
    const messages = new Counter({
      name: 'congthu_smtp_messages_total',
      help: 'SMTP transactions by listener and outcome (accepted, or the reply code)',
      labelNames: ['listener', 'outcome'] as const,
      registers: [metrics.registry],
    });
    const running = await startSmtpServices({
      system,
      tls,
      log: log.child({ service: 'smtp' }),
      outbound: options.outbound ?? null,
      ...(options.resolver ? { resolver: options.resolver } : {}),
      ...(options.checks ? { checks: options.checks } : {}),
      onAuth: (status) => metrics.authAttempts.inc({ protocol: 'smtp', status }),
      onMessage: (listener, outcome) => messages.inc({ listener, outcome }),
    });
    const service: Service = {
      name: `smtp ${running.listeners.map((l) => `${l.kind}:${l.port}`).join(' ')}`,
      stop: () => running.stop(),
    };
    return [service];
  };
}

/** The starter with no outbound queue wired: for PROTOCOL_STARTERS until the queue lands. */
export const startSmtp: ServiceStarter = smtpStarter();
