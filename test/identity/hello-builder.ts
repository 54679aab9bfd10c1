/**
 * Builds ClientHello records byte by byte (RFC 8446 §4.1.2) so JA4/JA3 tests can start from known inputs instead
 * of captures. Extension helpers encode the same wire shapes the parser reads.
 */
export interface HelloSpec {
  readonly legacyVersion?: number;
  readonly ciphers: readonly number[];
  readonly extensions: readonly { readonly type: number; readonly data?: Buffer }[];
}

const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const u16s = (vs: readonly number[]) => Buffer.concat(vs.map(u16));

export function buildClientHello(spec: HelloSpec): Buffer {
  const exts = Buffer.concat(
    spec.extensions.map((e) => {
      const data = e.data ?? Buffer.alloc(0);
      return Buffer.concat([u16(e.type), u16(data.length), data]);
    }),
  );
  const body = Buffer.concat([
    u16(spec.legacyVersion ?? 0x0303),
    Buffer.alloc(32, 7),
    Buffer.from([0]),
    u16(spec.ciphers.length * 2),
    u16s(spec.ciphers),
    Buffer.from([1, 0]),
    u16(exts.length),
    exts,
  ]);
  const hs = Buffer.concat([Buffer.from([1, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), u16(hs.length), hs]);
}

export const ext = {
  sni(name: string): { type: number; data: Buffer } {
    const n = Buffer.from(name, 'latin1');
    const entry = Buffer.concat([Buffer.from([0]), u16(n.length), n]);
    return { type: 0x0000, data: Buffer.concat([u16(entry.length), entry]) };
  },
  alpn(...protocols: (string | Buffer)[]): { type: number; data: Buffer } {
    const list = Buffer.concat(
      protocols.map((p) => {
        const b = typeof p === 'string' ? Buffer.from(p, 'latin1') : p;
        return Buffer.concat([Buffer.from([b.length]), b]);
      }),
    );
    return { type: 0x0010, data: Buffer.concat([u16(list.length), list]) };
  },
  versions(...vs: number[]): { type: number; data: Buffer } {
    return { type: 0x002b, data: Buffer.concat([Buffer.from([vs.length * 2]), u16s(vs)]) };
  },
  sigAlgs(...vs: number[]): { type: number; data: Buffer } {
    return { type: 0x000d, data: Buffer.concat([u16(vs.length * 2), u16s(vs)]) };
  },
  groups(...vs: number[]): { type: number; data: Buffer } {
    return { type: 0x000a, data: Buffer.concat([u16(vs.length * 2), u16s(vs)]) };
  },
  pointFormats(...vs: number[]): { type: number; data: Buffer } {
    return { type: 0x000b, data: Buffer.from([vs.length, ...vs]) };
  },
  empty(type: number): { type: number } {
    return { type };
  },
};
