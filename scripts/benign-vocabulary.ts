/**
 * Vocabulary for the benign traffic generator. The prose deliberately uses words detectors key on — select,
 * union, drop, from, where, or, and, script, alert, exec, cat, rm, eval — the way people write them, and the
 * code snippets are what developers paste into tickets and comments.
 */
export const FIRST = ["Seán", 'Zoë', 'José', 'Mary-Kate', 'Nguyễn', 'Aoife', 'Björn', 'Chloé', 'Dmitri', 'Ayşe', 'Li', 'Priya', 'Olu', "D'Arcy", 'Jean-Luc', 'Renée'];

export const LAST = ["O'Brien", "D'Angelo", "O'Neil", 'Smith-Jones', 'van der Berg', 'García', 'Müller', 'Łukasiewicz', "N'Diaye", 'Null', 'Select', 'Union', 'Drop', 'Or', 'Tables', "Dell'Acqua"];

export const WORDS = ['alpha', 'billing', 'select', 'union', 'table', 'drop', 'script', 'alert', 'order', 'group', 'admin', 'cat', 'shell', 'exec', 'union-jack', 'from', 'where', 'null', 'true', 'data'];

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
  "Where's the best place for sushi? Or ramen — either's fine.",
  'The function returns null when the user is not found; is that expected?',
  'He wrote <b>bold</b> text in the comment box and it showed the tags.',
  'Tabs vs. spaces: 1 | 2 | 3 — which do you prefer?',
  "Rock 'n' roll will never die, or so they say.",
  'Step 1: open the app. Step 2: select "Settings". Step 3: tap "Reset".',
  'Meeting notes (2024-05-01): discussed SELECT performance, union contracts, and the drop in sign-ups.',
  'If x > 5 and y < 10 then we ship; otherwise we wait.',
  'The path is /home/projects/2024/report.pdf on the shared drive.',
  "Can you cat the log and send me the last 20 lines? Thanks!",
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
  "docker run -p 8080:80 nginx:latest",
  'function add(a, b) { return a + b; }',
  'if err != nil {\n\treturn fmt.Errorf("open: %w", err)\n}',
  "<div class=\"card\">{{ item.title }}</div>",
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
