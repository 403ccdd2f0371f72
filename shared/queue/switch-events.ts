/**
 * The call distribution's conversation with the SIP engine that holds the calls, in words of no
 * particular engine. The platform decides (which agent, when to give up); the engine keeps the
 * caller waiting, rings agents, and reports what happened. The reference adapter is Kamailio over
 * evapi (platform/src/queue/kamailio-link.ts, e2e/sip/kamailio.cfg.tpl); an adapter for
 * FreeSWITCH mod_callcenter or Asterisk queues maps its own events onto these and gets the same
 * distribution, figures and lead's view.
 *
 * Events (engine → platform), each about one call:
 * - `entered`: the engine took a call for the queue `line` (the number dialled) and holds it
 *   (the caller hears ringback). `handle` is the engine's own reference, given back in commands.
 *   The call's wait starts here.
 * - `answered`: offer number `attempt` was answered by `agent` (the wait ends).
 * - `notAnswered`: offer `attempt` rang out, or the agent declined or was busy (`code`, the SIP
 *   status); the engine holds the call again.
 * - `offerFailed`: offer `attempt` could not reach `agent` (not registered, unreachable); held again.
 * - `callerHangup`: the caller hung up before an agent answered (while waiting or ringing).
 * - `ended`: an answered call ended (either side hung up): the agent's talk time ends.
 * - `gone`: a command named a call the engine no longer holds (it ended meanwhile): the call is
 *   taken as abandoned if it had not left the queue.
 *
 * Commands (platform → engine):
 * - `offer`: ring `agent` (their SIP user) for at most `ringS` seconds; numbered `attempt` so
 *   that a late or repeated report of an earlier offer is recognised.
 * - `overflow`: send the call on to `target` (another line or number): it left the queue.
 * - `giveUp`: end the call (the longest wait passed and there is nowhere to send it).
 *
 * The engine reports at least once; the platform takes each report once (a report that does not
 * fit the call's state, or names another attempt, changes nothing), so every platform instance
 * may hear every report.
 */
import { z } from 'zod';

const callId = z.string().min(1).max(256);
const handle = z.string().min(1).max(128);
const agent = z.string().regex(/^[A-Za-z0-9_.+-]{1,64}$/);
/** Queue lines are dialled numbers (12345, 12345-1 for a dual-number line routed to 12345 …). */
export const queueLineSchema = z.string().regex(/^[0-9A-Za-z*#+-]{1,32}$/);
const attempt = z.number().int().min(1).max(10_000);
/** When it happened at the engine, epoch ms; the platform's clock when absent. */
const at = z.number().int().min(0).optional();
const sipStatus = z.number().int().min(100).max(699);

export const switchEventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('entered'), callId, line: queueLineSchema, handle, at }).strict(),
  z.object({ event: z.literal('answered'), callId, agent, attempt, at }).strict(),
  z.object({ event: z.literal('notAnswered'), callId, agent, attempt, code: sipStatus, at }).strict(),
  z.object({ event: z.literal('offerFailed'), callId, agent, attempt, code: sipStatus.optional(), at }).strict(),
  z.object({ event: z.literal('callerHangup'), callId, at }).strict(),
  z.object({ event: z.literal('ended'), callId, at }).strict(),
  z.object({ event: z.literal('gone'), callId, at }).strict(),
]);
export type SwitchEvent = z.infer<typeof switchEventSchema>;

export const switchCommandSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('offer'), callId, handle, agent, attempt, ringS: z.number().int().min(3).max(120) }).strict(),
  z.object({ action: z.literal('overflow'), callId, handle, target: z.string().regex(/^[A-Za-z0-9_.+*#-]{1,64}$/) }).strict(),
  z.object({ action: z.literal('giveUp'), callId, handle }).strict(),
]);
export type SwitchCommand = z.infer<typeof switchCommandSchema>;
