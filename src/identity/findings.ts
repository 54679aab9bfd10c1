import { type Finding, truncateFragment } from '../core/finding.ts';
import type { BotStatus } from './good-bots.ts';
import type { ClaimedClient } from './user-agent.ts';

/**
 * The identity area's findings, each explaining itself in one sentence (style rule 11):
 *
 *   client.attack-tool   high    the User-Agent names a scanner or exploitation tool
 *   client.inconsistent  medium  the UA claims a browser the TLS/HTTP fingerprint contradicts
 *   bot.unverified       medium  the UA claims a known crawler that neither its ranges nor FCrDNS confirm
 *   client.automation    low     a headless browser or browser driver announces itself
 *   client.crawler       info    a self-declared crawler that is not one of the verifiable good bots
 *
 * Plain HTTP libraries (curl, python-requests, Go) are normal API clients and produce no finding; the family
 * is in the request's notes (`client`).
 */
export function clientFindings(
  claim: ClaimedClient,
  ua: string | undefined,
  mismatches: readonly string[],
  botName: string | undefined,
  botStatus: BotStatus | undefined,
): Finding[] {
  const out: Finding[] = [];
  const fragment = ua === undefined ? undefined : truncateFragment(ua);
  const at = fragment === undefined ? {} : { location: 'header.user-agent', fragment };
  if (claim.attackTool !== undefined) {
    out.push({
      ruleId: 'client.attack-tool',
      category: 'scanner',
      severity: 'high',
      ...at,
      explanation: `The User-Agent names ${claim.attackTool}, a scanning or exploitation tool.`,
    });
  }
  if (mismatches.length > 0) {
    out.push({
      ruleId: 'client.inconsistent',
      category: 'automation',
      severity: 'medium',
      ...at,
      explanation: `The User-Agent claims ${claim.family}${claim.version === undefined ? '' : ` ${claim.version}`}, but the request contradicts it: ${mismatches.map((m) => m.slice(m.indexOf(': ') + 2)).join('; ')}.`,
    });
  }
  if (botName !== undefined && botStatus === 'unverified') {
    out.push({
      ruleId: 'bot.unverified',
      category: 'impersonation',
      severity: 'medium',
      ...at,
      explanation: `The User-Agent claims ${botName}, but the address is outside its published ranges and its reverse DNS does not confirm it.`,
    });
  }
  if (claim.automation && claim.engine !== 'library' && claim.attackTool === undefined) {
    out.push({
      ruleId: 'client.automation',
      category: 'automation',
      severity: 'low',
      ...at,
      explanation: `The User-Agent announces a browser automation tool (${claim.family}).`,
    });
  }
  if (claim.crawler !== undefined && botName === undefined && claim.attackTool === undefined) {
    out.push({
      ruleId: 'client.crawler',
      category: 'crawler',
      severity: 'info',
      ...at,
      explanation: `A self-declared crawler (${claim.crawler}); informational, not a reason to block.`,
    });
  }
  return out;
}
