// DER building blocks against known encodings (X.690 examples and bytes openssl writes for the same values).
import { describe, expect, it } from 'vitest';
import { bits, oid, readTlv, seq, subjectDer, time, uint, utf8 } from '../../src/certs/der.js';

const hex = (b: Buffer) => b.toString('hex');

describe('der', () => {
  it('encodes object identifiers, including multi-byte arcs', () => {
    expect(hex(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
    expect(hex(oid('2.5.29.17'))).toBe('0603551d11');
    expect(hex(oid('1.3.6.1.5.5.7.3.1'))).toBe('06082b06010505070301');
    // X.690 8.19.5's example: the first subidentifier (40·2 + 999 = 1079) is itself multi-byte.
    expect(hex(oid('2.999.3'))).toBe('0603883703');
  });

  it('uses short and long length forms at the right boundaries', () => {
    expect(hex(utf8('a'.repeat(127))).slice(0, 4)).toBe('0c7f');
    expect(hex(utf8('a'.repeat(128))).slice(0, 6)).toBe('0c8180');
    expect(hex(utf8('a'.repeat(300))).slice(0, 8)).toBe('0c82012c');
    const long = seq(utf8('x'.repeat(70000)));
    const t = readTlv(long, 0);
    expect(t.end).toBe(long.length);
    expect(readTlv(long, t.body).end - readTlv(long, t.body).body).toBe(70000);
  });

  it('writes minimal positive integers', () => {
    expect(hex(uint(Buffer.from([0x00, 0x00, 0x05])))).toBe('020105');
    expect(hex(uint(Buffer.from([0x80])))).toBe('02020080');
    expect(hex(uint(Buffer.from([0x00])))).toBe('020100');
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050', () => {
    expect(time(new Date('2049-12-31T23:59:59.900Z')).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });

  it('bit strings carry their unused-bit count', () => {
    expect(hex(bits(Buffer.from([0x80]), 7))).toBe('03020780');
  });

  it('reads the subject out of a certificate, after the issuer', () => {
    const name = (cn: string) => seq(utf8(cn));
    const tbs = seq(
      Buffer.from('a003020102', 'hex'), // [0] v3
      uint(Buffer.from([1])),
      seq(oid('1.2.840.10045.4.3.2')),
      name('issuer'),
      seq(time(new Date(0)), time(new Date(1e12))),
      name('subject'),
    );
    const cert = seq(tbs, seq(oid('1.2.840.10045.4.3.2')), bits(Buffer.from([1, 2])));
    expect(subjectDer(cert)).toEqual(name('subject'));
    expect(() => readTlv(Buffer.from([0x30, 0x05, 0x01]), 0)).toThrow(/truncated/);
  });
});
