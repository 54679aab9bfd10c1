/**
 * Vocabulary for the benign traffic generator. The prose deliberately uses words detectors key on — select,
 * union, drop, from, where, or, and, script, alert, exec, cat, rm, eval — the way people write them, and the
 * code snippets are what developers paste into tickets and comments.
 */
export const FIRST = [
  'Seán',
  'Zoë',
  'José',
  'Mary-Kate',
  'Nguyễn',
  'Aoife',
  'Björn',
  'Chloé',
  'Dmitri',
  'Ayşe',
  'Li',
  'Priya',
  'Olu',
  "D'Arcy",
  'Jean-Luc',
  'Renée',
];

export const LAST = [
  "O'Brien",
  "D'Angelo",
  "O'Neil",
  'Smith-Jones',
  'van der Berg',
  'García',
  'Müller',
  'Łukasiewicz',
  "N'Diaye",
  'Null',
  'Select',
  'Union',
  'Drop',
  'Or',
  'Tables',
  "Dell'Acqua",
];

export const WORDS = [
  'alpha',
  'billing',
  'select',
  'union',
  'table',
  'drop',
  'script',
  'alert',
  'order',
  'group',
  'admin',
  'cat',
  'shell',
  'exec',
  'union-jack',
  'from',
  'where',
  'null',
  'true',
  'data',
];

export const TAGS = ['c++', 'c#', 'node.js', 'sql', 'html&css', 'r&d', 'q&a', 'how-to', 'rock-n-roll', '50%-off'];

export const EMOJI = ['🎉', '😀', '👍🏽', '🚀', '❤️', '🇮🇪', '🤷‍♀️', '(╯°□°)╯︵ ┻━┻', '¯\\_(ツ)_/¯', '<3', ':-)', '>_<'];

export const SEARCHES = [
  'union square hotels',
  'select comfort mattress',
  "O'Reilly books on SQL",
  'drop shipping & fulfilment',
  '"exact phrase" -excluded',
  'cats and dogs or birds',
  'price < 100 and rating > 4',
  'where to eat in Zürich?',
  'javascript tutorial for beginners',
  'how to exec a cron job',
  'rm -rf meaning',
  '1/2 cup sugar',
  'AT&T vs. T-Mobile',
  'C:\\Users\\me\\Documents',
  'script writing course',
  'alert fatigue in on-call',
  '#hashtag @mention',
  '5% discount (limited)',
  'café au lait',
  'null pointer exception',
];

export const PROSE = [
  "Please select the union members who'll attend and drop me a note by Friday.",
  "I can't find the table where we listed the options — or did we delete it?",
  'Order by price, then group by category; that is what the report needs.',
  "O'Brien said the script was fine, but the alert kept firing after 5 minutes.",
  'We ran the numbers from the last quarter and the union vote passed 120 to 3.',
  'Update: the cat knocked over my coffee (again) and I lost the draft.',
  "Select 'all' in the dropdown if you don't know which one applies.",
  'The exec team will review this; if it is approved, we drop the old plan.',
  'Use the "Save & Continue" button, not the back arrow <- it loses your work.',
  "It's 50% off today only! Don't miss it :)",
  'My password manager says the field accepts 8–64 characters, including symbols like #, $ and &.',
  'Dear team, thanks for the data. Regards, Renée',
  // Command names that are English words, after a line break, `;` or `(` (blocked before 2026-11-22).
  'Pets allowed:\ncat and dog, no birds',
  'Please enter your customer number (id) below.',
  'Notes\nping me when the parcel arrives',
  'Dear Bob,\nid like to order 3 chairs',
  'Editors: nano; vi is too hard for me',
  'Step 1 (cat) then step 2 (dog)',
  'I mostly write a scripting language (Python) at work.',
  "Where's the best place for sushi? Or ramen — either's fine.",
  'The function returns null when the user is not found; is that expected?',
  'He wrote <b>bold</b> text in the comment box and it showed the tags.',
  'Tabs vs. spaces: 1 | 2 | 3 — which do you prefer?',
  "Rock 'n' roll will never die, or so they say.",
  'Step 1: open the app. Step 2: select "Settings". Step 3: tap "Reset".',
  'Meeting notes (2024-05-01): discussed SELECT performance, union contracts, and the drop in sign-ups.',
  'If x > 5 and y < 10 then we ship; otherwise we wait.',
  'The path is /home/projects/2024/report.pdf on the shared drive.',
  'Can you cat the log and send me the last 20 lines? Thanks!',
  'I typed 1=1 into the calculator and it said true, which is funny.',
  'Ping me at 10:30 & we can sync on the script review.',
  '¿Dónde está la biblioteca? Je ne sais pas. 日本語も大丈夫です。',
  'Remember: "--" is an em dash substitute in plain text emails.',
  'Version 2.0 (beta) — see changelog; the old /v1/ endpoints are deprecated.',
  "Bobby Tables' mum would approve of prepared statements.",
];

export const CODE = [
  "const res = await fetch('/api/items?page=2');\nif (!res.ok) throw new Error(res.statusText);",
  'SELECT id, name FROM users WHERE email = $1 -- parameterised, safe',
  'for i in range(10):\n    print(i * 2)',
  'git log --oneline | head -n 5',
  'docker run -p 8080:80 nginx:latest',
  'function add(a, b) { return a + b; }',
  'if err != nil {\n\treturn fmt.Errorf("open: %w", err)\n}',
  '<div class="card">{{ item.title }}</div>',
  'npm install --save-dev typescript',
  'UPDATE orders SET status = ? WHERE id = ?',
  'curl -H "Accept: application/json" https://api.example.com/v1/health',
  'ls -la ~/projects && cd ~/projects/app',
];

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'okhttp/4.12.0',
  'axios/1.6.8',
  'python-requests/2.31.0',
  'Go-http-client/2.0',
  'MyApp/3.2.1 (iOS 17.4; iPhone15,2)',
  'PostmanRuntime/7.37.3',
];

/** What crash reporters and error trackers send: stack traces of the usual runtimes, as they print them. */
export const STACK_TRACES = [
  'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null\n\tat com.example.orders.OrderService.total(OrderService.java:42)\n\tat com.example.orders.OrderController.get(OrderController.java:17)\n\tat java.base/java.lang.Thread.run(Thread.java:833)',
  'Exception in thread "main" java.lang.IllegalStateException: pool closed\n\tat java.base/java.util.concurrent.ThreadPoolExecutor.execute(ThreadPoolExecutor.java:1357)\n\tat java.base/java.lang.reflect.Method.invoke(Method.java:568)',
  'java.io.UncheckedIOException: stream closed\n\tat java.io.FileInputStream.readBytes(Native Method)\n\tat com.example.Import$1.run(Unknown Source)\nCaused by: java.io.IOException: Broken pipe',
  'Traceback (most recent call last):\n  File "/usr/lib/python3.11/site-packages/requests/api.py", line 59, in request\n    return session.request(method=method, url=url, **kwargs)\nrequests.exceptions.ConnectionError: HTTPSConnectionPool(host=\'api.example.com\', port=443)',
  "TypeError: Cannot read properties of undefined (reading 'map')\n    at ProductList (https://shop.example.com/static/js/main.3f2a9c.js:2:123456)\n    at renderWithHooks (https://shop.example.com/static/js/vendor.js:1:99887)",
  "Error: ENOENT: no such file or directory, open '/var/www/app/config/settings.json'\n    at Object.openSync (node:fs:603:3)",
  'panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]\n\ngoroutine 1 [running]:\nmain.main()\n\t/home/dev/go/src/app/main.go:12 +0x1d',
  'System.NullReferenceException: Object reference not set to an instance of an object.\n   at MyApp.Controllers.HomeController.Index() in C:\\src\\MyApp\\Controllers\\HomeController.cs:line 25',
  "NoMethodError: undefined method `name' for nil:NilClass\n/app/app/controllers/users_controller.rb:12:in `show'",
];

/** Log lines that log shippers forward: access logs, logfmt, syslog. */
export const LOG_LINES = [
  '203.0.113.7 - - [01/May/2024:12:00:00 +0000] "GET /api/v1/orders?page=2 HTTP/1.1" 200 512 "-" "curl/8.4.0"',
  '10.0.0.5 - - [10/Oct/2023:13:55:36 -0700] "POST /api/v1/login HTTP/1.1" 401 209 "https://app.example.com/" "Mozilla/5.0"',
  'level=warn ts=2024-05-01T12:00:01Z msg="upstream closed: GET /api/orders HTTP/1.1" code=502 duration=1.2s',
  'May  1 12:00:01 web1 sshd[1234]: Failed password for invalid user admin from 203.0.113.5 port 51234 ssh2',
  '2024-05-01T12:00:00Z ERROR [main] c.e.App - Failed to connect to jdbc:postgresql://db.internal:5432/app',
];

/** Links people paste into rich-text fields. */
export const LINKS = [
  'javascript:void(0)',
  'javascript:void(0);',
  'mailto:support@example.com?subject=Order%20%23123',
  'tel:+15551234567',
  '#section-2',
  'https://docs.example.com/guide#install',
];
