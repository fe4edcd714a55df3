// The digests of IoT SQL's hashing functions, in plain TypeScript over bytes. domain/ imports nothing but
// fp-ts and io-ts, and a digest is a pure computation; node:crypto could not be injected for all of them
// anyway, since OpenSSL 3 no longer offers MD2. hashes.test.ts checks each against node:crypto and the RFCs.

const hex = (bytes: Iterable<number>): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

// RFC 1319 (MD2): the permutation of 0..255 built from the digits of pi.
const MD2_S = [
  41, 46, 67, 201, 162, 216, 124, 1, 61, 54, 84, 161, 236, 240, 6, 19, 98, 167, 5, 243, 192, 199, 115, 140, 152, 147,
  43, 217, 188, 76, 130, 202, 30, 155, 87, 60, 253, 212, 224, 22, 103, 66, 111, 24, 138, 23, 229, 18, 190, 78, 196, 214,
  218, 158, 222, 73, 160, 251, 245, 142, 187, 47, 238, 122, 169, 104, 121, 145, 21, 178, 7, 63, 148, 194, 16, 137, 11,
  34, 95, 33, 128, 127, 93, 154, 90, 144, 50, 39, 53, 62, 204, 231, 191, 247, 151, 3, 255, 25, 48, 179, 72, 165, 181,
  209, 215, 94, 146, 42, 172, 86, 170, 198, 79, 184, 56, 210, 150, 164, 125, 182, 118, 252, 107, 226, 156, 116, 4, 241,
  69, 157, 112, 89, 100, 113, 135, 32, 134, 91, 207, 101, 230, 45, 168, 2, 27, 96, 37, 173, 174, 176, 185, 246, 28, 70,
  97, 105, 52, 64, 126, 15, 85, 71, 163, 35, 221, 81, 175, 58, 195, 92, 249, 206, 186, 197, 234, 38, 44, 83, 13, 110,
  133, 40, 132, 9, 211, 223, 205, 244, 65, 129, 77, 82, 106, 220, 55, 200, 108, 193, 171, 250, 36, 225, 123, 8, 12, 189,
  177, 74, 120, 136, 149, 139, 227, 99, 232, 109, 233, 203, 213, 254, 59, 0, 29, 57, 242, 239, 183, 14, 102, 88, 208,
  228, 166, 119, 114, 248, 235, 117, 75, 10, 49, 68, 80, 180, 143, 237, 31, 26, 219, 153, 141, 51, 159, 17, 131, 20,
];

export const md2 = (message: Uint8Array): string => {
  const padLength = 16 - (message.length % 16);
  const data = [...message, ...new Array<number>(padLength).fill(padLength)];
  const checksum = new Array<number>(16).fill(0);
  let last = 0;
  for (let block = 0; block < data.length; block += 16) {
    for (let j = 0; j < 16; j += 1) {
      checksum[j] = (checksum[j] as number) ^ (MD2_S[(data[block + j] as number) ^ last] as number);
      last = checksum[j] as number;
    }
  }
  data.push(...checksum);
  const x = new Array<number>(48).fill(0);
  for (let block = 0; block < data.length; block += 16) {
    for (let j = 0; j < 16; j += 1) {
      x[16 + j] = data[block + j] as number;
      x[32 + j] = (x[16 + j] as number) ^ (x[j] as number);
    }
    let t = 0;
    for (let round = 0; round < 18; round += 1) {
      for (let k = 0; k < 48; k += 1) {
        x[k] = (x[k] as number) ^ (MD2_S[t] as number);
        t = x[k] as number;
      }
      t = (t + round) % 256;
    }
  }
  return hex(x.slice(0, 16));
};

/** Merkle–Damgård padding: 0x80, zeros, then the bit length in `lengthBytes` bytes, big- or little-endian. */
const pad = (message: Uint8Array, blockBytes: number, lengthBytes: number, littleEndian: boolean): Uint8Array => {
  const total = Math.ceil((message.length + 1 + lengthBytes) / blockBytes) * blockBytes;
  const out = new Uint8Array(total);
  out.set(message);
  out[message.length] = 0x80;
  let bits = BigInt(message.length) * 8n;
  for (let k = 0; k < 8; k += 1) {
    out[littleEndian ? total - lengthBytes + k : total - 1 - k] = Number(bits & 0xffn);
    bits >>= 8n;
  }
  return out;
};

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));
const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

const MD5_SHIFT = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_K = Array.from({ length: 64 }, (_, k) => Math.floor(Math.abs(Math.sin(k + 1)) * 2 ** 32) >>> 0);

export const md5 = (message: Uint8Array): string => {
  const data = pad(message, 64, 8, true);
  const view = new DataView(data.buffer);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let block = 0; block < data.length; block += 64) {
    let [a, b, c, d] = h as [number, number, number, number];
    for (let k = 0; k < 64; k += 1) {
      const round = k >> 4;
      const f =
        round === 0 ? (b & c) | (~b & d) : round === 1 ? (d & b) | (~d & c) : round === 2 ? b ^ c ^ d : c ^ (b | ~d);
      const g = round === 0 ? k : round === 1 ? (5 * k + 1) % 16 : round === 2 ? (3 * k + 5) % 16 : (7 * k) % 16;
      const sum = (a + f + (MD5_K[k] as number) + view.getUint32(block + 4 * g, true)) | 0;
      [a, b, c, d] = [d, (b + rotl(sum, MD5_SHIFT[(round << 2) + (k & 3)] as number)) | 0, b, c];
    }
    h[0] = ((h[0] as number) + a) | 0;
    h[1] = ((h[1] as number) + b) | 0;
    h[2] = ((h[2] as number) + c) | 0;
    h[3] = ((h[3] as number) + d) | 0;
  }
  const out = new DataView(new ArrayBuffer(16));
  h.forEach((word, k) => out.setUint32(4 * k, word, true));
  return hex(new Uint8Array(out.buffer));
};

const words = (h: readonly number[], count: number): string =>
  h
    .slice(0, count)
    .map((w) => (w >>> 0).toString(16).padStart(8, '0'))
    .join('');

export const sha1 = (message: Uint8Array): string => {
  const data = pad(message, 64, 8, false);
  const view = new DataView(data.buffer);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Array<number>(80);
  for (let block = 0; block < data.length; block += 64) {
    for (let t = 0; t < 80; t += 1)
      w[t] =
        t < 16
          ? view.getUint32(block + 4 * t)
          : rotl((w[t - 3] as number) ^ (w[t - 8] as number) ^ (w[t - 14] as number) ^ (w[t - 16] as number), 1);
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let t = 0; t < 80; t += 1) {
      const [f, k] =
        t < 20
          ? [(b & c) | (~b & d), 0x5a827999]
          : t < 40
            ? [b ^ c ^ d, 0x6ed9eba1]
            : t < 60
              ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc]
              : [b ^ c ^ d, 0xca62c1d6];
      [a, b, c, d, e] = [(rotl(a, 5) + f + e + k + (w[t] as number)) | 0, a, rotl(b, 30), c, d];
    }
    [a, b, c, d, e].forEach((v, k) => {
      h[k] = ((h[k] as number) + v) | 0;
    });
  }
  return words(h, 5);
};

const SHA256_K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];

const sha256Family =
  (initial: readonly number[], outputWords: number) =>
  (message: Uint8Array): string => {
    const data = pad(message, 64, 8, false);
    const view = new DataView(data.buffer);
    const h = [...initial];
    const w = new Array<number>(64);
    for (let block = 0; block < data.length; block += 64) {
      for (let t = 0; t < 64; t += 1) {
        if (t < 16) {
          w[t] = view.getUint32(block + 4 * t);
          continue;
        }
        const x = w[t - 15] as number;
        const y = w[t - 2] as number;
        w[t] =
          ((w[t - 16] as number) +
            (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) +
            (w[t - 7] as number) +
            (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10))) |
          0;
      }
      let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
      for (let t = 0; t < 64; t += 1) {
        const t1 =
          (hh +
            (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
            ((e & f) ^ (~e & g)) +
            (SHA256_K[t] as number) +
            (w[t] as number)) |
          0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        [a, b, c, d, e, f, g, hh] = [(t1 + t2) | 0, a, b, c, (d + t1) | 0, e, f, g];
      }
      [a, b, c, d, e, f, g, hh].forEach((v, k) => {
        h[k] = ((h[k] as number) + v) | 0;
      });
    }
    return words(h, outputWords);
  };

export const sha224 = sha256Family(
  [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4],
  7,
);
export const sha256 = sha256Family(
  [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
  8,
);

// SHA-512 works on 64-bit words; BigInt keeps it short and exact (speed does not matter for a rule).
const MASK64 = (1n << 64n) - 1n;
const rotr64 = (x: bigint, n: bigint): bigint => ((x >> n) | (x << (64n - n))) & MASK64;
const SHA512_K = [
  '428a2f98d728ae22',
  '7137449123ef65cd',
  'b5c0fbcfec4d3b2f',
  'e9b5dba58189dbbc',
  '3956c25bf348b538',
  '59f111f1b605d019',
  '923f82a4af194f9b',
  'ab1c5ed5da6d8118',
  'd807aa98a3030242',
  '12835b0145706fbe',
  '243185be4ee4b28c',
  '550c7dc3d5ffb4e2',
  '72be5d74f27b896f',
  '80deb1fe3b1696b1',
  '9bdc06a725c71235',
  'c19bf174cf692694',
  'e49b69c19ef14ad2',
  'efbe4786384f25e3',
  '0fc19dc68b8cd5b5',
  '240ca1cc77ac9c65',
  '2de92c6f592b0275',
  '4a7484aa6ea6e483',
  '5cb0a9dcbd41fbd4',
  '76f988da831153b5',
  '983e5152ee66dfab',
  'a831c66d2db43210',
  'b00327c898fb213f',
  'bf597fc7beef0ee4',
  'c6e00bf33da88fc2',
  'd5a79147930aa725',
  '06ca6351e003826f',
  '142929670a0e6e70',
  '27b70a8546d22ffc',
  '2e1b21385c26c926',
  '4d2c6dfc5ac42aed',
  '53380d139d95b3df',
  '650a73548baf63de',
  '766a0abb3c77b2a8',
  '81c2c92e47edaee6',
  '92722c851482353b',
  'a2bfe8a14cf10364',
  'a81a664bbc423001',
  'c24b8b70d0f89791',
  'c76c51a30654be30',
  'd192e819d6ef5218',
  'd69906245565a910',
  'f40e35855771202a',
  '106aa07032bbd1b8',
  '19a4c116b8d2d0c8',
  '1e376c085141ab53',
  '2748774cdf8eeb99',
  '34b0bcb5e19b48a8',
  '391c0cb3c5c95a63',
  '4ed8aa4ae3418acb',
  '5b9cca4f7763e373',
  '682e6ff3d6b2b8a3',
  '748f82ee5defb2fc',
  '78a5636f43172f60',
  '84c87814a1f0ab72',
  '8cc702081a6439ec',
  '90befffa23631e28',
  'a4506cebde82bde9',
  'bef9a3f7b2c67915',
  'c67178f2e372532b',
  'ca273eceea26619c',
  'd186b8c721c0c207',
  'eada7dd6cde0eb1e',
  'f57d4f7fee6ed178',
  '06f067aa72176fba',
  '0a637dc5a2c898a6',
  '113f9804bef90dae',
  '1b710b35131c471b',
  '28db77f523047d84',
  '32caab7b40c72493',
  '3c9ebe0a15c9bebc',
  '431d67c49c100d4c',
  '4cc5d4becb3e42b6',
  '597f299cfc657e2a',
  '5fcb6fab3ad6faec',
  '6c44198c4a475817',
].map((k) => BigInt(`0x${k}`));

const sha512Family =
  (initial: readonly string[], outputWords: number) =>
  (message: Uint8Array): string => {
    const data = pad(message, 128, 16, false);
    const view = new DataView(data.buffer);
    const h = initial.map((v) => BigInt(`0x${v}`));
    const w = new Array<bigint>(80);
    for (let block = 0; block < data.length; block += 128) {
      for (let t = 0; t < 80; t += 1) {
        if (t < 16) {
          w[t] = view.getBigUint64(block + 8 * t);
          continue;
        }
        const x = w[t - 15] as bigint;
        const y = w[t - 2] as bigint;
        w[t] =
          ((w[t - 16] as bigint) +
            (rotr64(x, 1n) ^ rotr64(x, 8n) ^ (x >> 7n)) +
            (w[t - 7] as bigint) +
            (rotr64(y, 19n) ^ rotr64(y, 61n) ^ (y >> 6n))) &
          MASK64;
      }
      let [a, b, c, d, e, f, g, hh] = h as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
      for (let t = 0; t < 80; t += 1) {
        const t1 =
          (hh +
            (rotr64(e, 14n) ^ rotr64(e, 18n) ^ rotr64(e, 41n)) +
            ((e & f) ^ (~e & MASK64 & g)) +
            (SHA512_K[t] as bigint) +
            (w[t] as bigint)) &
          MASK64;
        const t2 = ((rotr64(a, 28n) ^ rotr64(a, 34n) ^ rotr64(a, 39n)) + ((a & b) ^ (a & c) ^ (b & c))) & MASK64;
        [a, b, c, d, e, f, g, hh] = [(t1 + t2) & MASK64, a, b, c, (d + t1) & MASK64, e, f, g];
      }
      [a, b, c, d, e, f, g, hh].forEach((v, k) => {
        h[k] = ((h[k] as bigint) + v) & MASK64;
      });
    }
    return h
      .slice(0, outputWords)
      .map((v) => v.toString(16).padStart(16, '0'))
      .join('');
  };

export const sha384 = sha512Family(
  [
    'cbbb9d5dc1059ed8',
    '629a292a367cd507',
    '9159015a3070dd17',
    '152fecd8f70e5939',
    '67332667ffc00b31',
    '8eb44a8768581511',
    'db0c2e0d64f98fa7',
    '47b5481dbefa4fa4',
  ],
  6,
);
export const sha512 = sha512Family(
  [
    '6a09e667f3bcc908',
    'bb67ae8584caa73b',
    '3c6ef372fe94f82b',
    'a54ff53a5f1d36f1',
    '510e527fade682d1',
    '9b05688c2b3e6c1f',
    '1f83d9abfb41bd6b',
    '5be0cd19137e2179',
  ],
  8,
);
