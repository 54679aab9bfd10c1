const CONNECTION_HELP = `Connection (every subcommand):
  --admin-url URL    admin API (env PORTCULLIS_ADMIN_URL, default http://127.0.0.1:9090)
  --token TOKEN      admin token (env PORTCULLIS_ADMIN_TOKEN, else <data-dir>/admin-token)
  --data-dir DIR     where to find admin-token (default .portcullis)
  --as NAME          who you are, recorded in the audit log after the token identity
  --json             print JSON instead of text
`;

export const DECISIONS_HELP = `Usage: portcullis decisions <subcommand> [options]

Block, allow, challenge or tarpit clients by IP, CIDR or facet, through a running gateway's admin API.

  add VALUE [--action block|allow|challenge|tarpit] [--kind ip|cidr|tls|http|principal|account]
            [--ttl 24h] [--reason TEXT]
      e.g. portcullis decisions add 203.0.113.7 --ttl 24h --reason "credential stuffing"
           portcullis decisions add 203.0.113.7 --action allow --ttl 24h --reason "unblocked, ticket 42"
  remove ID [--why TEXT]                    delete one decision
  remove FILTERS [--yes] [--why TEXT]       bulk delete: prints the count; --yes deletes exactly that many
  search [FILTERS] [--limit N] [--cursor ID] [--all]
      prints: id, action, kind, value, expires, source, reason (tab-separated)
  import FILE|- [--format text|netset|drop|csv|json|crowdsec] [--name NAME] [--action A] [--ttl 24h]
                [--reason TEXT]
      streams the file; bad lines are listed as FILE:LINE: what is wrong, good lines are kept.
      Format is guessed from the file name when not given (.csv, .json, .netset, *drop*, else text).
  export [--format plain|nftables|ipset|json] [-o FILE] [--name SETNAME] [FILTERS]
      e.g. portcullis decisions export --format nftables -o /etc/nftables.d/portcullis.nft

Filters:
  --kind K  --value V  --contains IP (also the CIDRs covering it)  --action A  --reason TEXT (substring)
  --source S (import: matches every import)  --since T  --before T  --expiring-before T
  (times as ISO 8601 or epoch milliseconds)

${CONNECTION_HELP}
Exit status: 0 done, 1 the API refused or could not be reached, 2 usage error, 3 import kept some lines and
rejected others.
`;

export const EXPLAIN_HELP = `Usage: portcullis explain IP [--tls JA4] [--http FP] [--principal P] [--account A]

Shows every decision that applies to a client with this IP (its own, and every CIDR covering it, plus decisions on
the other facets given) and which one the gate applies, with reasons and evidence. The winner is marked with *.

${CONNECTION_HELP}`;
