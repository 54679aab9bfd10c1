/**
 * A small, bounds-checked parser for the TLS ClientHello, reading exactly the fields JA4 and JA3 need.
 * It works on the first TLS record as peeked from the socket (RFC 8446 §5.1 record, §4.1.2 ClientHello):
 *
 *   record:    type(1)=0x16 | legacy_record_version(2) | length(2) | fragment…
 *   handshake: msg_type(1)=0x01 | length(3) | legacy_version(2) | random(32)
 *              | session_id<0..32> (1-byte length) | cipher_suites<2..2^16-2> (2-byte length)
 *              | compression_methods<1..2^8-1> (1-byte length) | extensions<0..2^16-1> (2-byte length)
 *   extension: type(2) | length(2) | data
 *
 * A ClientHello can in theory span several records; every stack we test (OpenSSL, BoringSSL, NSS, curl) fits it
 * in one, even with post-quantum key shares (~1.8 KB of a 16 KB record), so a hello cut by its record is "not
 * parsed" rather than reassembled.
 */

export interface ClientHello {
  /** legacy_version from the handshake body (0x0303 for TLS 1.2 and 1.3 clients). */
  readonly legacyVersion: number;
  /** All values in arrival order, GREASE included: callers decide what to drop. */
  readonly ciphers: readonly number[];
  readonly extensions: readonly number[];
  readonly serverName?: string;
  /** ALPN protocol ids decoded as latin1, so each char is one original byte. */
  readonly alpn: readonly string[];
  readonly supportedVersions: readonly number[];
  readonly signatureAlgorithms: readonly number[];
  readonly supportedGroups: readonly number[];
  readonly pointFormats: readonly number[];
}

/** RFC 8701 GREASE: 0x?a?a with both bytes equal (0x0a0a, 0x1a1a … 0xfafa). */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >>> 8 === (v & 0xff);
}

const EXT_SERVER_NAME = 0x0000;
const EXT_SUPPORTED_GROUPS = 0x000a;
const EXT_POINT_FORMATS = 0x000b;
const EXT_SIGNATURE_ALGORITHMS = 0x000d;
const EXT_ALPN = 0x0010;
const EXT_SUPPORTED_VERSIONS = 0x002b;

/** Bytes needed for the whole first record, or undefined when the head is not a TLS handshake record. */
export function tlsRecordLength(head: Buffer): number | undefined {
  if (head.length < 5 || head[0] !== 0x16 || head[1] !== 0x03) return undefined;
  return 5 + head.readUInt16BE(3);
}

class Reader {
  pos: number;
  readonly end: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    end: number,
  ) {
    this.pos = start;
    this.end = end;
  }
  need(n: number): void {
    if (this.pos + n > this.end) throw new RangeError('truncated ClientHello');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u24(): number {
    return (this.u8() << 16) | this.u16();
  }
  /** A sub-reader over the next `n` bytes; this reader skips them. */
  take(n: number): Reader {
    this.need(n);
    const r = new Reader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
  get left(): number {
    return this.end - this.pos;
  }
  u16List(): number[] {
    const out: number[] = [];
    while (this.left >= 2) out.push(this.u16());
    return out;
  }
}

/** Parses the ClientHello from a buffer that starts with its TLS record; undefined when it is not one. */
export function parseClientHello(record: Buffer): ClientHello | undefined {
  const total = tlsRecordLength(record);
  if (total === undefined || record.length < total) return undefined;
  try {
    const rec = new Reader(record, 5, total);
    if (rec.u8() !== 0x01) return undefined;
    const body = rec.take(rec.u24());
    const legacyVersion = body.u16();
    body.take(32);
    body.take(body.u8());
    const ciphers = body.take(body.u16()).u16List();
    body.take(body.u8());
    const hello = {
      legacyVersion,
      ciphers,
      extensions: [] as number[],
      serverName: undefined as string | undefined,
      alpn: [] as string[],
      supportedVersions: [] as number[],
      signatureAlgorithms: [] as number[],
      supportedGroups: [] as number[],
      pointFormats: [] as number[],
    };
    // SSL 3.0-era hellos may end without an extensions block.
    const exts = body.left >= 2 ? body.take(body.u16()) : undefined;
    while (exts && exts.left >= 4) {
      const type = exts.u16();
      const data = exts.take(exts.u16());
      hello.extensions.push(type);
      // A malformed extension body loses only its own details; its id still counts for the fingerprint.
      try {
        readExtension(hello, type, data);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
      }
    }
    const { serverName, ...rest } = hello;
    return serverName === undefined ? rest : { ...rest, serverName };
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

type MutableHello = {
  serverName: string | undefined;
  alpn: string[];
  supportedVersions: number[];
  signatureAlgorithms: number[];
  supportedGroups: number[];
  pointFormats: number[];
};

function readExtension(hello: MutableHello, type: number, data: Reader): void {
  switch (type) {
    case EXT_SERVER_NAME: {
      // RFC 6066 §3: ServerNameList; name_type 0 is host_name.
      const list = data.take(data.u16());
      while (list.left >= 3) {
        const nameType = list.u8();
        const name = list.take(list.u16());
        if (nameType === 0) hello.serverName = name.buf.toString('latin1', name.pos, name.end);
      }
      break;
    }
    case EXT_ALPN: {
      // RFC 7301 §3.1: ProtocolNameList of 1-byte-length-prefixed names.
      const list = data.take(data.u16());
      while (list.left >= 1) {
        const p = list.take(list.u8());
        hello.alpn.push(p.buf.toString('latin1', p.pos, p.end));
      }
      break;
    }
    case EXT_SUPPORTED_VERSIONS:
      hello.supportedVersions = data.take(data.u8()).u16List();
      break;
    case EXT_SIGNATURE_ALGORITHMS:
      hello.signatureAlgorithms = data.take(data.u16()).u16List();
      break;
    case EXT_SUPPORTED_GROUPS:
      hello.supportedGroups = data.take(data.u16()).u16List();
      break;
    case EXT_POINT_FORMATS: {
      const list = data.take(data.u8());
      while (list.left >= 1) hello.pointFormats.push(list.u8());
      break;
    }
  }
}
