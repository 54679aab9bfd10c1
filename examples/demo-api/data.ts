import { createHash } from 'node:crypto';

/** Seed data for the demo shop: deterministic, so the simulator knows which stolen credentials are valid. */
export interface DemoUser {
  readonly id: number;
  readonly username: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly name: string;
}

export interface DemoProduct {
  readonly id: number;
  readonly name: string;
  readonly price: number;
  readonly description: string;
}

const FIRST = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Frances',
  'Alan',
  'Radia',
  'Seán',
  'Zoë',
];
const LAST = [
  "O'Brien",
  'Hopper',
  'Lovelace',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Allen',
  'Turing',
  'Perlman',
];
const ITEMS = ['Kettle', 'Lamp', 'Chair', 'Notebook', 'Backpack', 'Headphones', 'Mug', 'Desk', 'Pen', 'Umbrella'];
const ADJ = ['Blue', 'Compact', 'Deluxe', 'Recycled', 'Travel', 'Classic', 'Select', 'Union Square'];

export function hashPassword(password: string): string {
  return createHash('sha256').update(`demo-salt:${password}`).digest('hex');
}

/** The password of demo user n; the simulator's "stolen credentials" list is built from the same rule. */
export function demoPassword(n: number): string {
  return `pass-${(n * 7919) % 100_003}`;
}

export const USERS: readonly DemoUser[] = Array.from({ length: 500 }, (_, i) => {
  const id = i + 1;
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[(i * 7) % LAST.length]!;
  const username = `user${id}`;
  return {
    id,
    username,
    email: `${username}@example.com`,
    passwordHash: hashPassword(demoPassword(id)),
    name: `${first} ${last}`,
  };
});

export const PRODUCTS: readonly DemoProduct[] = Array.from({ length: 1_000 }, (_, i) => ({
  id: i + 1,
  name: `${ADJ[i % ADJ.length]} ${ITEMS[(i * 3) % ITEMS.length]}`,
  price: Math.round((5 + ((i * 37) % 200) + 0.99) * 100) / 100,
  description: 'Select this for your home & office — ships in 2 days. <b>Bestseller</b>',
}));
