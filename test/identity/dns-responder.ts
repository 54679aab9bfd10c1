import { createSocket, type Socket } from 'node:dgram';

/**
 * A tiny authoritative DNS responder over UDP (RFC 1035 §4) for FCrDNS tests: it answers PTR, A and AAAA from a
 * table and NXDOMAIN otherwise. Answers point back at the question name (compression pointer 0xc00c).
 */
export type Records = Readonly<Record<string, { PTR?: string[]; A?: string[]; AAAA?: string[] }>>;

const TYPES: Readonly<Record<number, 'A' | 'PTR' | 'AAAA'>> = { 1: 'A', 12: 'PTR', 28: 'AAAA' };

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.');
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])),
    Buffer.from([0]),
  ]);
}

function rdata(type: 'A' | 'PTR' | 'AAAA', value: string): Buffer {
  if (type === 'A') return Buffer.from(value.split('.').map(Number));
  if (type === 'PTR') return encodeName(value);
  const [head, tail] = value.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.concat(groups.map((g) => Buffer.from([Number.parseInt(g, 16) >> 8, Number.parseInt(g, 16) & 255])));
}

export async function startDnsResponder(
  records: Records,
): Promise<{ address: string; queries: string[]; close(): void }> {
  const socket: Socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, peer) => {
    let pos = 12;
    const labels: string[] = [];
    while (msg[pos]! > 0) {
      labels.push(msg.toString('latin1', pos + 1, pos + 1 + msg[pos]!));
      pos += 1 + msg[pos]!;
    }
    const qtype = msg.readUInt16BE(pos + 1);
    const question = msg.subarray(12, pos + 5);
    const name = labels.join('.').toLowerCase();
    const type = TYPES[qtype];
    queries.push(`${type ?? qtype} ${name}`);
    const values = type === undefined ? undefined : records[name]?.[type];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    header.writeUInt16BE(values === undefined ? 0x8183 : 0x8180, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(values?.length ?? 0, 6);
    const answers = (values ?? []).map((v) => {
      const data = rdata(type!, v);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0);
      rr.writeUInt16BE(qtype, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(data.length, 10);
      return Buffer.concat([rr, data]);
    });
    socket.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${socket.address().port}`, queries, close: () => socket.close() };
}
