// Photo files in MongoDB GridFS.
import { Readable } from 'node:stream';
import { mongo, type Connection, type Types } from 'mongoose';

export function photoBucket(conn: Connection): mongo.GridFSBucket {
  if (!conn.db) throw new Error('database not connected');
  return new mongo.GridFSBucket(conn.db, { bucketName: 'photos' });
}

/** `id` names the file in advance (an upload retried under the same key replaces what a dead try left). */
export async function saveFile(bucket: mongo.GridFSBucket, data: Buffer, filename: string, metadata: Record<string, unknown>, id?: Types.ObjectId): Promise<Types.ObjectId> {
  const upload = id ? bucket.openUploadStreamWithId(id, filename, { metadata }) : bucket.openUploadStream(filename, { metadata });
  await new Promise<void>((ok, fail) => {
    Readable.from([data]).pipe(upload).once('finish', () => ok()).once('error', fail);
  });
  return upload.id as Types.ObjectId;
}

/** Deletes stored files with their chunks; one already gone (or only half written) is no error. */
export async function deleteFiles(bucket: mongo.GridFSBucket, ids: Types.ObjectId[]): Promise<void> {
  for (const id of ids) await bucket.delete(id).catch(() => undefined);
}

export async function readFile(bucket: mongo.GridFSBucket, id: Types.ObjectId): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bucket.openDownloadStream(id)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
