/**
 * @botwire/skill-banking-faq/desk — the bank's front desk as a bot extension: registration,
 * answers with sources, moderator hand-off, broadcast, the admin panel and the audit log.
 */

export { type AuditEntry, AuditLog } from './audit-log';
export { type BankDeskExtension, bankDesk, type DeskParts } from './bank-desk';
export type { BroadcastRecord } from './broadcast/broadcast-desk';
export { type BankDeskOptions, Desk } from './desk';
export { Directory, type Member } from './directory';
export type { Ticket } from './tickets/ticket-desk';
