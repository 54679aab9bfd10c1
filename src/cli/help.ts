export const MAIN_HELP = `portcullis — inline API attack-protection gateway

Usage: portcullis <command> [options]

Commands:
  start       run the gateway in front of an upstream API
  demo        run the gateway in front of the bundled demo shop API (what \`npm start\` does)
  decisions   add, remove, search, import and export block/allow decisions (talks to the admin API)
  explain IP  every decision that applies to a client address, and which one wins
  replay      run an access log through the detectors offline and report what would have been blocked
  simulate    drive legitimate and attack traffic through a real gateway and report what got through
  goodbots    refresh the published address ranges of verified crawlers and monitors

Options:
  -h, --help      this help; \`portcullis <command> --help\` for a command's options
  -v, --version   print the version

Docs: README.md, docs/configuration.md, docs/admin-api.md, docs/errors.md
`;

export const START_HELP = `Usage: portcullis start [options]

Runs the gateway. Settings come from the config file, then PORTCULLIS_* environment variables, then these flags
(each later one wins). Every key and default is in docs/configuration.md.

Options:
  -c, --config FILE         YAML config file (unknown keys and bad values are errors; exit code 2)
      --listen HOST:PORT    where clients connect (default 127.0.0.1:8080; use 0.0.0.0:8080 to face a network)
      --upstream URL        the API to protect (default http://127.0.0.1:3000)
      --admin HOST:PORT     admin API, /healthz and /metrics (default 127.0.0.1:9090; keep it private)
      --data-dir DIR        decisions, events, admin token (default .portcullis)
      --mode MODE           enforce (apply actions, default) or monitor (only record what enforce would do)
      --trust-proxy CIDRS   comma-separated proxies whose X-Forwarded-For is believed (default: none)
      --disable FAMILIES    comma-separated detector families to switch off (e.g. sqli,scanning)
  -h, --help                this help

Environment:
  PORTCULLIS_ADMIN_TOKEN    admin API token (else config admin.token, else generated into the data dir, mode 0600)
  PORTCULLIS_LISTEN, PORTCULLIS_UPSTREAM, PORTCULLIS_ADMIN_LISTEN, PORTCULLIS_DATA_DIR, PORTCULLIS_MODE,
  PORTCULLIS_REDIS_URL      the same settings as the flags above

Signals: SIGTERM or SIGINT drain in-flight requests (up to shutdown.drainTimeoutMs) and exit 0. SIGHUP re-reads\nthe config and applies the reloadable sections (detection); POST /api/v1/reload does the same.
Exit codes: 0 stopped cleanly, 1 failed while running, 2 bad configuration or flags.
`;

export const DEMO_HELP = `Usage: portcullis demo [start options]

Starts the bundled demo shop API on 127.0.0.1:3000 (or --demo-port) and the gateway in front of it, and prints
URLs to try and the admin token. Accepts every \`portcullis start\` option except --upstream.

Options:
      --demo-port PORT      port of the demo API (default 3000; 0 picks a free one)
`;
