export type { OutboundMessage, OutboundQueue } from './types.ts';
