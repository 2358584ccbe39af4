// The look-up index for re-used photos: one small entry per (tenant, hash band, photo) and per (tenant, SHA-256,
// photo), spread over 9 × 256 small collections (per band position, by the band's first byte).
// Why not an ordinary index on the photos collection: the local database (FerretDB v1, SQLite) scans the whole
// collection for every filter, which at 100,000 photos takes seconds; a small collection is read in milliseconds
// however many photos the tenant has, and on MongoDB the anchored _id prefix uses the _id index.
// Why one entry per photo in numbered slots (key#0, key#1, …) and not one document per key with $push: FerretDB v1
// loses concurrent updates of one document, and several server instances index at once. An insert into a slot
// either wins or fails on the unique _id, so nothing is lost; readers fetch slots by exact _id, the one lookup
// FerretDB pushes down, in small batches until an empty slot.
import type { Connection, Types, mongo } from 'mongoose';
import { hashBands } from './photo-match.ts';

export interface IndexedPhoto {
  photoId: string; visitId: string; repId: string; customerId: string;
  sha256: string; phash: string; dhash: string; receivedAt: Date;
}

interface IndexEntry extends IndexedPhoto { _id: string }

/** At most this many photos per key: a band shared by more says nothing anyway. */
const MAX_PER_KEY = 64;
const READ_BATCH = 2;

function keysOf(tenantId: Types.ObjectId, p: { sha256: string; phash: string; dhash: string }): { key: string; shard: string }[] {
  const t = String(tenantId);
  return [
    { key: `${t}:s:${p.sha256}`, shard: `s${p.sha256.slice(0, 2)}` },
    // "p0:ab12" → collection photo_index_p0ab: each band position has its own 256 collections.
    ...hashBands(p.phash, p.dhash).map((band) => ({ key: `${t}:${band}`, shard: `${band.slice(0, 2)}${band.slice(3, 5)}` })),
  ];
}

export function photoIndex(conn: Connection) {
  const shard = (name: string): mongo.Collection<IndexEntry> => {
    if (!conn.db) throw new Error('database not connected');
    return conn.db.collection<IndexEntry>(`photo_index_${name}`);
  };

  async function addToKey(key: string, col: mongo.Collection<IndexEntry>, photo: IndexedPhoto): Promise<void> {
    for (let slot = 0; slot < MAX_PER_KEY; slot += 1) {
      try {
        await col.insertOne({ ...photo, _id: `${key}#${slot}` });
        return;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        const taken = await col.findOne({ _id: `${key}#${slot}` });
        if (taken?.photoId === photo.photoId) return; // a retried upload: already indexed
      }
    }
    // Every slot taken: a band shared by this many photos says nothing; the SHA-256 and other bands still do.
  }

  async function readKey(key: string, col: mongo.Collection<IndexEntry>): Promise<IndexedPhoto[]> {
    const out: IndexedPhoto[] = [];
    for (let first = 0; first < MAX_PER_KEY; first += READ_BATCH) {
      const batch = await Promise.all(Array.from({ length: READ_BATCH }, (_, i) => col.findOne({ _id: `${key}#${first + i}` })));
      for (const doc of batch) if (doc) { const { _id: _slot, ...entry } = doc; out.push(entry); }
      if (batch.some((d) => !d)) break;
    }
    return out;
  }

  return {
    async add(tenantId: Types.ObjectId, photo: IndexedPhoto): Promise<void> {
      await Promise.all(keysOf(tenantId, photo).map(({ key, shard: s }) => addToKey(key, shard(s), photo)));
    },

    /** Bulk load into an empty index (a rebuild from the photos collection, or benchmark data). */
    async addMany(tenantId: Types.ObjectId, photos: IndexedPhoto[]): Promise<void> {
      const byShard = new Map<string, Map<string, IndexedPhoto[]>>();
      for (const p of photos) {
        for (const { key, shard: s } of keysOf(tenantId, p)) {
          const keys = byShard.get(s) ?? new Map<string, IndexedPhoto[]>();
          keys.set(key, [...(keys.get(key) ?? []), p]);
          byShard.set(s, keys);
        }
      }
      for (const [s, keys] of byShard) {
        const docs = [...keys].flatMap(([key, list]) => list.slice(0, MAX_PER_KEY).map((p, slot) => ({ ...p, _id: `${key}#${slot}` })));
        for (let i = 0; i < docs.length; i += 5000) await shard(s).insertMany(docs.slice(i, i + 5000), { ordered: false });
      }
    },

    /** Photos sharing the file or any hash band with this one (the caller measures the real distances). */
    async candidates(tenantId: Types.ObjectId, photo: { sha256: string; phash: string; dhash: string }): Promise<IndexedPhoto[]> {
      const found = await Promise.all(keysOf(tenantId, photo).map(({ key, shard: s }) => readKey(key, shard(s))));
      const seen = new Map<string, IndexedPhoto>();
      for (const entry of found.flat()) seen.set(entry.photoId, entry);
      return [...seen.values()];
    },
  };
}

export type PhotoIndex = ReturnType<typeof photoIndex>;
